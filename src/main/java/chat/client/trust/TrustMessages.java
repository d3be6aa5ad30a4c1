package chat.client.trust;

import java.util.List;

/** What the user is told about a server's certificate, line by line, by {@link ServerTrust}. */
final class TrustMessages {

  private TrustMessages() {}

  /** Before asking whether to trust a server met for the first time. */
  static List<String> firstMeeting(String server, String fingerprint) {
    return List.of(
        "The server " + server + " is not known yet, and no authority this computer trusts",
        "has signed its certificate (a server that made its own certificate looks like this).",
        "Its SHA-256 fingerprint is:",
        "  " + fingerprint,
        "Compare it with the fingerprint the server's operator gives you (the server logs it",
        "at start-up). If they differ, someone may be between you and the server: answer no.");
  }

  /** Where no one can be asked (piped input). */
  static List<String> unknownWithoutAsking(
      String server, String fingerprint, KnownServers known) {
    return List.of(
        "Not connecting: the certificate of " + server + " is signed by no authority this"
            + " computer trusts, and the server is not in " + known.file() + ".",
        "Its SHA-256 fingerprint is " + fingerprint + ".",
        "If the server's operator gives that fingerprint, run again with --trust " + fingerprint
            + " (or connect once from a terminal and answer yes, to remember it).");
  }

  static List<String> notPinned(String server, TrustDecision.NotPinned notPinned) {
    return List.of(
        "Not connecting: the certificate of " + server + " has SHA-256 fingerprint",
        "  " + notPinned.presented(),
        "not the one given with --trust:",
        "  " + notPinned.pinned(),
        "Someone may be between you and the server, or the server has a new certificate:"
            + " ask its operator.");
  }

  /** The loud warning of a server remembered with another certificate. */
  static List<String> changed(String server, TrustDecision.Changed changed, KnownServers known) {
    String rule = "@".repeat(70);
    return List.of(
        rule,
        "@  WARNING: THE CERTIFICATE OF " + server + " HAS CHANGED!",
        rule,
        "It is not the certificate you trusted before. Someone may be between you and the",
        "server, reading everything (a man-in-the-middle attack); or the server has been given",
        "a new key. Trusted before (line " + changed.known().line() + " of " + known.file() + "):",
        "  " + changed.known().fingerprint(),
        "Shown now:",
        "  " + changed.presented(),
        "Not connecting. If the server's operator confirms the new fingerprint, forget the old",
        "one by deleting line " + changed.known().line() + " of " + known.file() + " (the line",
        "that starts with " + server + "), then connect again and accept the new one;",
        "or run with --trust " + changed.presented() + ".");
  }
}
