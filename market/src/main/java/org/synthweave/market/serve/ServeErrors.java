package org.synthweave.market.serve;

import java.util.List;

/**
 * Every error answer of {@code market serve}, each saying what was wrong, why, and what to ask
 * instead. Request text quoted in a message is cut short; pages escape it.
 */
final class ServeErrors {
  private ServeErrors() {}

  static HttpProblem badId(String id) {
    return new HttpProblem(
        400,
        "The listing id \""
            + FidelitySvg.cut(id, 60)
            + "\" is not an Arweave transaction id (43 characters of A-Z, a-z, 0-9, - and _)."
            + " Copy the id from a search result.");
  }

  static HttpProblem noListing(String id) {
    return new HttpProblem(
        404,
        "There is no listing "
            + id
            + " in this catalog. It may be newer than the last market sync: run"
            + " 'synthweave market sync --gateway URL' and restart market serve.");
  }

  static HttpProblem notFound(String path) {
    return new HttpProblem(
        404,
        "Nothing is served at "
            + FidelitySvg.cut(path, 80)
            + ". The pages are / (search) and /listings/ID; the API is /api/search,"
            + " /api/listings/ID and /api/listings/ID/preview.");
  }

  static HttpProblem methodNotAllowed(String method) {
    return new HttpProblem(
        405,
        "The method "
            + FidelitySvg.cut(method, 20)
            + " is not allowed: this server only reads. Use GET.");
  }

  static HttpProblem badParameter(String name, String value, String expected) {
    return new HttpProblem(
        400,
        "The parameter "
            + name
            + "=\""
            + FidelitySvg.cut(value, 60)
            + "\" is not valid: it must be "
            + expected
            + ".");
  }

  static HttpProblem badChoice(String name, String value, List<String> choices) {
    return badParameter(name, value, "one of " + String.join(", ", choices));
  }

  static HttpProblem queryTooLong(int length, int max) {
    return new HttpProblem(
        400,
        "The query has "
            + length
            + " characters, more than the "
            + max
            + " this server accepts. Search with fewer words.");
  }

  static HttpProblem badQueryString(Throwable cause) {
    return new HttpProblem(
        400,
        "The query string could not be decoded (it must be UTF-8 with valid %-escapes).",
        cause);
  }

  static HttpProblem gatewayFailed(String id, String what, Throwable cause) {
    return new HttpProblem(
        502,
        "The "
            + what
            + " of listing "
            + id
            + " could not be read from its gateway: "
            + (cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage())
            + ". Try again later or check that the gateway is up.",
        cause);
  }

  /**
   * The gateway answered, but the listing's data is not what its publisher signed (or unusable).
   */
  static HttpProblem refused(String id, String what, Throwable cause) {
    return new HttpProblem(
        422,
        "The "
            + what
            + " of listing "
            + id
            + " was refused: "
            + cause.getMessage()
            + ". Asking again will not help; the listing's data is not usable as published.",
        cause);
  }

  static HttpProblem gatewayTimeout(String id, String what, long millis) {
    return new HttpProblem(
        504,
        "The "
            + what
            + " of listing "
            + id
            + " did not arrive from its gateway within "
            + millis
            + " ms. Try again later; market serve --source-timeout sets the limit.");
  }

  static HttpProblem busy() {
    return new HttpProblem(
        503, "The server is reading too many listings from the gateway at once. Try again soon.");
  }

  static HttpProblem noSource() {
    return new HttpProblem(
        501,
        "This server reads no listing details or rows from the gateway (it was started without"
            + " a listing source), so only the catalog row is shown. Fetch the listing with the"
            + " market get command instead.");
  }
}
