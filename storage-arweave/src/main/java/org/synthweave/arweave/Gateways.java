package org.synthweave.arweave;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;

/**
 * Whether a gateway is on this machine. The one place that decides it, for the mainnet guard of
 * publish and for the redirects {@link org.synthweave.arweave.http.Gateway} follows: "local" is
 * judged by the addresses the host resolves to, never by its spelling, so {@code
 * 127.0.0.1.evil.example} is remote while {@code localhost}, {@code [::1]}, {@code
 * [::ffff:127.0.0.1]}, {@code 2130706433} or {@code 0x7f.1} (whatever the resolver accepts) are
 * local exactly when every address they resolve to is a loopback address.
 */
public final class Gateways {
  private Gateways() {}

  /** True when {@code u} is an http or https URL with a host: what a gateway address must be. */
  public static boolean isHttp(URI u) {
    return u != null
        && u.getHost() != null
        && ("http".equals(u.getScheme()) || "https".equals(u.getScheme()));
  }

  /**
   * True when {@code gateway} is an http(s) URL whose host resolves, and only to loopback
   * addresses. A host that does not resolve, a URL without a host and the wildcard address
   * (0.0.0.0, which is not loopback) are not local.
   */
  public static boolean isLocal(URI gateway) {
    return isHttp(gateway) && isLocalHost(gateway.getHost());
  }

  /** True when {@code host} (a name or an address literal, IPv6 in brackets or not) is local. */
  public static boolean isLocalHost(String host) {
    if (host == null || host.isEmpty() || host.indexOf('\0') >= 0) {
      return false;
    }
    InetAddress[] all;
    try {
      all = InetAddress.getAllByName(host);
    } catch (UnknownHostException | SecurityException | IllegalArgumentException e) {
      return false;
    }
    if (all.length == 0) {
      return false;
    }
    for (InetAddress a : all) {
      if (!a.isLoopbackAddress()) {
        return false;
      }
    }
    return true;
  }

  /**
   * Whether a redirect from {@code from} to {@code to} stays where the caller agreed to talk: the
   * same scheme, host and port, or, for a request without a body, another http(s) host that is
   * local exactly when {@code from} is (never from https down to http).
   */
  public static boolean redirectAllowed(URI from, URI to, boolean hasBody) {
    if (!isHttp(to)) {
      return false;
    }
    if ("https".equals(from.getScheme()) && !"https".equals(to.getScheme())) {
      return false;
    }
    boolean sameOrigin =
        from.getScheme().equals(to.getScheme())
            && from.getHost().equalsIgnoreCase(to.getHost())
            && port(from) == port(to);
    if (sameOrigin) {
      return true;
    }
    return !hasBody && isLocal(from) == isLocal(to);
  }

  private static int port(URI u) {
    if (u.getPort() >= 0) {
      return u.getPort();
    }
    return "https".equals(u.getScheme()) ? 443 : 80;
  }
}
