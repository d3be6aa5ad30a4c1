package chat.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import jdk.net.ExtendedSocketOptions;
import org.junit.jupiter.api.Test;

class KeepAliveTest {

  @Test
  void setsKeepAliveAndItsTimingsOnAConnectedSocket() throws Exception {
    KeepAlive keepAlive = new KeepAlive(Duration.ofSeconds(45), Duration.ofSeconds(5), 4);
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        Socket client = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
        Socket accepted = server.accept()) {
      keepAlive.afterConnect(accepted);
      assertTrue(accepted.getKeepAlive());
      if (accepted.supportedOptions().contains(ExtendedSocketOptions.TCP_KEEPIDLE)) {
        assertEquals(45, accepted.getOption(ExtendedSocketOptions.TCP_KEEPIDLE));
        assertEquals(5, accepted.getOption(ExtendedSocketOptions.TCP_KEEPINTERVAL));
        assertEquals(4, accepted.getOption(ExtendedSocketOptions.TCP_KEEPCOUNT));
      }
      assertEquals(Duration.ofSeconds(65), keepAlive.deadPeerFoundWithin());
    }
  }

  @Test
  void refusesTimingsBelowOneSecond() {
    assertThrows(IllegalArgumentException.class,
        () -> new KeepAlive(Duration.ofMillis(500), Duration.ofSeconds(1), 1));
  }
}
