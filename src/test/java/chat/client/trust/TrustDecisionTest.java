package chat.client.trust;

import static org.junit.jupiter.api.Assertions.assertEquals;

import chat.client.trust.TrustDecision.Basis;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TrustDecisionTest {

  static final String SEEN = "AB:" + "01:".repeat(30) + "CD";
  static final String OTHER = "EF:" + "01:".repeat(30) + "CD";
  static final KnownServers.Entry KNOWN = new KnownServers.Entry(3, SEEN);

  @Test
  void anUnknownSelfSignedServerIsForTheUserToJudge() {
    assertEquals(new TrustDecision.Unknown(SEEN),
        TrustDecision.decide(SEEN, false, Optional.empty(), Optional.empty()));
  }

  @Test
  void aKnownServerWithItsRememberedCertificateIsTrusted() {
    assertEquals(new TrustDecision.Trusted(SEEN, Basis.KNOWN),
        TrustDecision.decide(SEEN, false, Optional.empty(), Optional.of(KNOWN)));
  }

  @Test
  void aKnownServerWithAnotherCertificateHasChanged() {
    assertEquals(new TrustDecision.Changed(KNOWN, OTHER),
        TrustDecision.decide(OTHER, false, Optional.empty(), Optional.of(KNOWN)));
  }

  @Test
  void aPinIsCheckedWithoutRegardToCaseOrColonsAndAdmitsNoOther() {
    String typed = SEEN.replace(":", "").toLowerCase(java.util.Locale.ROOT);
    assertEquals(new TrustDecision.Trusted(SEEN, Basis.PINNED),
        TrustDecision.decide(SEEN, false, Optional.of(typed), Optional.empty()));
    assertEquals(new TrustDecision.NotPinned(typed, OTHER),
        TrustDecision.decide(OTHER, false, Optional.of(typed), Optional.empty()));
  }

  @Test
  void aPinWinsOverEverythingElse() {
    assertEquals(new TrustDecision.NotPinned(OTHER, SEEN),
        TrustDecision.decide(SEEN, true, Optional.of(OTHER), Optional.of(KNOWN)));
  }

  @Test
  void aCertificateTheAuthoritiesAcceptIsTrustedEvenIfAnotherWasRemembered() {
    assertEquals(new TrustDecision.Trusted(SEEN, Basis.PKIX),
        TrustDecision.decide(SEEN, true, Optional.empty(), Optional.empty()));
    assertEquals(new TrustDecision.Trusted(OTHER, Basis.PKIX),
        TrustDecision.decide(OTHER, true, Optional.empty(), Optional.of(KNOWN)));
  }
}
