package chat.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.BindException;
import java.util.List;
import org.apache.pekko.stream.StreamTcpException;
import org.junit.jupiter.api.Test;

class BindFailuresTest {

  private static BindFailures.Failure failure(boolean tls, int port, String message) {
    // As Pekko reports it: its own exception around the JDK's.
    BindException cause = new BindException("[/0.0.0.0:" + port + "] " + message);
    StreamTcpException failed = new StreamTcpException("Bind failed");
    failed.initCause(cause);
    return new BindFailures.Failure(tls ? Listener.Kind.TLS : Listener.Kind.PLAIN, port, failed);
  }

  @Test
  void portsInUseAreNamedPlainFirstWithBothSettingsAndOptions() {
    assertEquals("Cannot listen: ports 50007 (plain text) and 50443 (TLS) are in use by another"
            + " program (another chat server?). Stop it, or choose free ports with"
            + " chat.server.port and chat.server.tls.port (options --port and --tls-port).",
        BindFailures.describe(List.of(failure(true, 50443, "Address already in use"),
            failure(false, 50007, "Address already in use")), "0.0.0.0"));
    assertEquals("Cannot listen: port 50443 (TLS) is in use by another program (another chat"
            + " server?). Stop it, or choose free ports with chat.server.port and"
            + " chat.server.tls.port (options --port and --tls-port).",
        BindFailures.describe(List.of(failure(true, 50443, "Address already in use")), "::"));
  }

  @Test
  void anAddressNotOfThisMachineNamesTheHostSetting() {
    assertEquals("Cannot listen on 10.9.9.9: no network interface of this machine has that"
            + " address. Change chat.server.host (option --host); 0.0.0.0 means all of them.",
        BindFailures.describe(
            List.of(failure(false, 50007, "Cannot assign requested address")), "10.9.9.9"));
  }

  @Test
  void aPrivilegedPortSaysSo() {
    assertEquals("Cannot listen on port 80 (plain text): ports below 1024 need administrator"
            + " rights. Choose higher ports with chat.server.port and chat.server.tls.port"
            + " (options --port and --tls-port).",
        BindFailures.describe(List.of(failure(false, 80, "Permission denied")), "0.0.0.0"));
  }

  @Test
  void anythingElseGivesTheReason() {
    assertEquals("Cannot listen on 0.0.0.0, port 7 (plain text): too many open files. Check"
            + " chat.server.host (--host) and chat.server.port and chat.server.tls.port (options"
            + " --port and --tls-port).",
        BindFailures.describe(List.of(failure(false, 7, "Too many open files")), "0.0.0.0"));
  }
}
