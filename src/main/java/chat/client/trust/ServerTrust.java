package chat.client.trust;

import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Decides, before the chat connects, whether this TLS server is the one meant, as ssh does for a
 * host: it meets the server once ({@link CertificateProbe}), applies the {@link TrustDecision},
 * and on a first meeting asks the user (when there is one to ask) and remembers the answer in the
 * {@link KnownServers} file. A front calls it on its own thread, where it may block on the
 * network and on the user; what it returns is used for the first connection and every reconnect.
 */
public final class ServerTrust {

  /** How the user is asked; a front without a user has none. */
  public interface Asker {
    /** Shows {@code explanation}, asks {@code question}, and says whether the answer was yes. */
    boolean confirm(List<String> explanation, String question);
  }

  /** What came of it. */
  public sealed interface Outcome {}

  /** Connect, checking the server this way; {@code notes} are worth telling the user. */
  public record Ready(TrustedServer server, List<String> notes) implements Outcome {
    public Ready {
      notes = List.copyOf(notes);
    }
  }

  /**
   * Do not connect; {@code message} says why and what to do, one line each. A {@code warning}
   * is about a certificate other than the one trusted: someone may be listening in.
   */
  public record Refused(List<String> message, boolean warning) implements Outcome {
    public Refused {
      message = List.copyOf(message);
    }
  }

  private final KnownServers known;
  private final X509ExtendedTrustManager authorities;
  private final CertificateProbe probe;

  /**
   * @param authorities the certificate authorities trusted without asking (the JDK's by default)
   * @param timeout how long to try to connect, and to wait for the handshake
   */
  public ServerTrust(
      KnownServers known, X509ExtendedTrustManager authorities, Duration timeout) {
    this.known = known;
    this.authorities = authorities;
    this.probe = new CertificateProbe(authorities, timeout);
  }

  /** Trusts the JDK's authorities, and the servers in {@code knownServers}. */
  public static ServerTrust standard(Path knownServers, Duration timeout) {
    return new ServerTrust(
        new KnownServers(knownServers), CertificateProbe.systemAuthorities(), timeout);
  }

  /**
   * Meets {@code host:port} and decides.
   *
   * @param pinned the fingerprint given with {@code --trust}: then no other is accepted
   * @param asker how to ask about an unknown server; without one it is refused
   */
  public Outcome establish(String host, int port, Optional<String> pinned, Optional<Asker> asker) {
    CertificateProbe.Presented presented;
    Optional<KnownServers.Entry> entry;
    try {
      presented = probe.probe(host, port);
      entry = known.find(host, port);
    } catch (CertificateProbe.Failed e) {
      return new Refused(List.of(e.getMessage()), false);
    } catch (IOException e) {
      return new Refused(List.of("Cannot read " + known.file() + ": " + e.getMessage()), false);
    }
    TrustDecision.Verdict verdict =
        TrustDecision.decide(presented.fingerprint(), presented.pkixTrusted(), pinned, entry);
    String server = KnownServers.key(host, port);
    try {
      if (verdict instanceof TrustDecision.Trusted trusted) {
        return new Ready(trusted(trusted), List.of());
      } else if (verdict instanceof TrustDecision.Unknown unknown) {
        return asker.isPresent()
            ? ask(host, port, unknown.fingerprint(), asker.get())
            : new Refused(
                TrustMessages.unknownWithoutAsking(server, unknown.fingerprint(), known), false);
      } else if (verdict instanceof TrustDecision.NotPinned notPinned) {
        return new Refused(TrustMessages.notPinned(server, notPinned), true);
      } else {
        return new Refused(
            TrustMessages.changed(server, (TrustDecision.Changed) verdict, known), true);
      }
    } catch (GeneralSecurityException e) {
      return new Refused(List.of("Cannot set up TLS: " + e.getMessage()), false);
    }
  }

  private TrustedServer trusted(TrustDecision.Trusted trusted) throws GeneralSecurityException {
    return trusted.basis() == TrustDecision.Basis.PKIX
        ? TrustedServer.byAuthorities(authorities, trusted.fingerprint())
        : TrustedServer.byFingerprint(trusted.fingerprint(), trusted.basis());
  }

  private Outcome ask(String host, int port, String fingerprint, Asker asker)
      throws GeneralSecurityException {
    String server = KnownServers.key(host, port);
    boolean yes =
        asker.confirm(
            TrustMessages.firstMeeting(server, fingerprint),
            "Trust this server and remember it in " + known.file() + "? [y/N] ");
    if (!yes) {
      return new Refused(
          List.of("Not connecting: the server's certificate was not trusted."), false);
    }
    List<String> notes = new ArrayList<>(1);
    try {
      known.remember(host, port, fingerprint);
      notes.add("Remembered " + server + " in " + known.file() + ".");
    } catch (IOException | RuntimeException e) {
      notes.add("Could not remember " + server + " in " + known.file() + " (" + e.getMessage()
          + "); you will be asked again next time.");
    }
    return new Ready(TrustedServer.byFingerprint(fingerprint, TrustDecision.Basis.KNOWN), notes);
  }
}
