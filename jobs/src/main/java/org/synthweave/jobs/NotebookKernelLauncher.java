package org.synthweave.jobs;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Field;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Starts the notebooks' Java kernel (rapaio-jupyter-kernel's {@code MainApp}) so that Jupyter's
 * first requests cannot reach it before it can answer them.
 *
 * <p>Why: Jupyter sends {@code kernel_info_request} at once and again every second, and ZeroMQ
 * queues them until the kernel binds its shell port. The kernel starts its shell loop when it binds
 * and registers its message handlers a moment later; a queued request that lands in between kills
 * the shell loop (a NullPointerException in {@code Channels.getHandler}) and the kernel never
 * answers. With Spark on the class path the kernel takes seconds to start, so that always happens.
 * Here the kernel binds a private shell port, and Jupyter's shell port is relayed to it byte for
 * byte only once the kernel reports itself connected.
 */
public final class NotebookKernelLauncher {
  private static final String MAIN = "org.rapaio.jupyter.kernel.MainApp";

  private NotebookKernelLauncher() {}

  /** {@code args[0]}: Jupyter's connection file. */
  public static void main(String[] args) throws Exception {
    if (args.length != 1) {
      throw new IllegalArgumentException("usage: NotebookKernelLauncher CONNECTION_FILE");
    }
    ObjectMapper json = new ObjectMapper();
    ObjectNode conn = (ObjectNode) json.readTree(Path.of(args[0]).toFile());
    InetAddress ip = InetAddress.getByName(conn.path("ip").asText("127.0.0.1"));
    int shellPort = conn.path("shell_port").asInt();
    ServerSocket front = new ServerSocket();
    front.bind(new InetSocketAddress(ip, shellPort));
    int privatePort;
    try (ServerSocket probe = new ServerSocket(0, 1, ip)) {
      privatePort = probe.getLocalPort();
    }
    conn.put("shell_port", privatePort);
    Path kernelConn = Files.createTempFile("synthweave-kernel-", ".json");
    kernelConn.toFile().deleteOnExit();
    json.writeValue(kernelConn.toFile(), conn);

    Class<?> mainApp = Class.forName(MAIN);
    Thread relay =
        new Thread(
            () -> relay(front, mainApp, new InetSocketAddress(ip, privatePort)),
            "kernel-shell-relay");
    relay.setDaemon(true);
    relay.start();
    mainApp
        .getMethod("main", String[].class)
        .invoke(null, (Object) new String[] {kernelConn.toString()});
    // MainApp.main returns when the kernel shuts down; the relay threads are daemons
  }

  private static void relay(ServerSocket front, Class<?> mainApp, InetSocketAddress kernel) {
    try {
      awaitConnected(mainApp, kernel);
      // The kernel's logging.properties, read as it starts, sets java.util.logging's root level
      // to FINEST. With Spark's jul-to-slf4j bridge that formats every FINER record, and Janino's
      // (entering a method with an IClass argument) fails in IClass.toString, which fails the
      // code generation of Spark queries. INFO, before the first cell arrives.
      Logger.getLogger("").setLevel(Level.INFO);
      while (true) {
        Socket client = front.accept();
        Socket back = new Socket();
        try {
          back.connect(kernel);
        } catch (IOException e) {
          // the kernel is shutting down: Jupyter's reconnect finds nobody, as without the relay
          closeQuietly(client);
          closeQuietly(back);
          continue;
        }
        pipe(client, back);
        pipe(back, client);
      }
    } catch (IOException e) {
      System.err.println("synthweave kernel launcher: shell relay stopped: " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void pipe(Socket from, Socket to) {
    Thread t =
        new Thread(
            () -> {
              try (InputStream in = from.getInputStream();
                  OutputStream out = to.getOutputStream()) {
                in.transferTo(out);
              } catch (IOException e) {
                // a side closed: close both below
              } finally {
                closeQuietly(from);
                closeQuietly(to);
              }
            },
            "kernel-shell-pipe");
    t.setDaemon(true);
    t.start();
  }

  /**
   * Waits until the kernel has its handlers: its {@code Channels.isConnected}, read by reflection;
   * if the kernel's fields are not as expected (another version), until its shell port listens and
   * then one second more.
   */
  private static void awaitConnected(Class<?> mainApp, InetSocketAddress kernel)
      throws InterruptedException {
    while (true) {
      Boolean connected = connected(mainApp);
      if (connected == null) {
        break;
      }
      if (connected) {
        return;
      }
      TimeUnit.MILLISECONDS.sleep(50);
    }
    while (!listening(kernel)) {
      TimeUnit.MILLISECONDS.sleep(100);
    }
    TimeUnit.SECONDS.sleep(1);
  }

  /** The kernel's connected flag; false before it exists, null when it cannot be read. */
  private static Boolean connected(Class<?> mainApp) {
    try {
      Object kernel = mainApp.getField("kernel").get(null);
      if (kernel == null) {
        return false;
      }
      Object channels = field(kernel, "channels");
      if (channels == null) {
        return false;
      }
      return (Boolean) field(channels, "isConnected");
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null;
    } catch (ExceptionInInitializerError e) {
      return null;
    }
  }

  private static Object field(Object o, String name) throws ReflectiveOperationException {
    Field f = o.getClass().getDeclaredField(name);
    f.setAccessible(true);
    return f.get(o);
  }

  private static boolean listening(InetSocketAddress address) {
    try (Socket s = new Socket()) {
      s.connect(address, 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException e) {
      // closing anyway
    }
  }
}
