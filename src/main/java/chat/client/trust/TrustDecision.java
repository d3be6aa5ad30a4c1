package chat.client.trust;

import chat.tls.Fingerprints;
import java.util.Optional;

/**
 * Whether to trust the certificate a TLS server showed, decided from what is known of it without
 * touching a socket or a file: a fingerprint pinned with {@code --trust} is the only one accepted;
 * otherwise a certificate the JDK's trust store accepts (PKIX, name checked) is trusted; otherwise
 * the fingerprint must be the one remembered for the server, and an unknown one is for the user
 * to judge. Used by {@link ServerTrust}.
 */
public final class TrustDecision {

  private TrustDecision() {}

  /** Why a server is trusted. */
  public enum Basis {
    /** Its certificate is signed by an authority the JDK trusts, for the name connected to. */
    PKIX,
    /** Its fingerprint is the one given with {@code --trust}. */
    PINNED,
    /** Its fingerprint is the one remembered in the known-servers file. */
    KNOWN
  }

  /** What to do with the server. */
  public sealed interface Verdict {}

  /** Connect. */
  public record Trusted(String fingerprint, Basis basis) implements Verdict {}

  /** Never seen and signed by no one trusted: ask the user, or refuse where no one can answer. */
  public record Unknown(String fingerprint) implements Verdict {}

  /** The fingerprint is not the one pinned with {@code --trust}. */
  public record NotPinned(String pinned, String presented) implements Verdict {}

  /** The server is remembered with another fingerprint: a changed key, or an impostor. */
  public record Changed(KnownServers.Entry known, String presented) implements Verdict {}

  /**
   * The verdict on a certificate with fingerprint {@code presented}.
   *
   * @param pkixTrusted whether the JDK's trust store accepts it for the host connected to
   * @param pinned the fingerprint given with {@code --trust}, if any
   * @param known the server's line in the known-servers file, if any
   */
  public static Verdict decide(
      String presented,
      boolean pkixTrusted,
      Optional<String> pinned,
      Optional<KnownServers.Entry> known) {
    if (pinned.isPresent()) {
      return Fingerprints.same(pinned.get(), presented)
          ? new Trusted(presented, Basis.PINNED)
          : new NotPinned(pinned.get(), presented);
    }
    if (pkixTrusted) {
      return new Trusted(presented, Basis.PKIX);
    }
    if (known.isPresent()) {
      return Fingerprints.same(known.get().fingerprint(), presented)
          ? new Trusted(presented, Basis.KNOWN)
          : new Changed(known.get(), presented);
    }
    return new Unknown(presented);
  }
}
