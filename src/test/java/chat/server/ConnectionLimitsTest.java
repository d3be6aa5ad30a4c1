package chat.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ConnectionLimitsTest {

  private final InetAddress home = InetAddress.getLoopbackAddress();
  private final InetAddress away = InetAddress.getByAddress(new byte[] {127, 0, 0, 2});

  ConnectionLimitsTest() throws Exception {}

  @Test
  void refusesPastTheTotalAndPastThePerAddressLimitAndCountsRefusals() {
    ConnectionLimits<String> limits = new ConnectionLimits<>(3, 2);
    limits.opened("a", home);
    limits.opened("b", home);
    assertTrue(limits.refusal(home, false).orElseThrow().startsWith("Too many connections from your address (2)"));
    assertEquals(Optional.empty(), limits.refusal(away, false));
    limits.opened("c", away);
    assertTrue(limits.refusal(away, false).orElseThrow().startsWith("The server is full (3 connections)"));
    assertEquals(2, limits.refused());
  }

  @Test
  void closedConnectionsFreeTheirPlaceAndLeaveNoEntryBehind() {
    ConnectionLimits<String> limits = new ConnectionLimits<>(1, 1);
    limits.opened("a", home);
    limits.closed("a");
    limits.closed("never opened");
    assertEquals(Optional.empty(), limits.refusal(home, false));
    assertEquals(0, limits.addresses());
    assertTrue(limits.open().isEmpty());
  }
}
