package chat.server;

import chat.tls.TlsContexts;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.SSLContext;
import org.apache.pekko.Done;
import org.apache.pekko.stream.KillSwitches;
import org.apache.pekko.stream.TLSClosing;
import org.apache.pekko.stream.TLSProtocol;
import org.apache.pekko.stream.UniqueKillSwitch;
import org.apache.pekko.stream.javadsl.BidiFlow;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.TLS;
import org.apache.pekko.util.ByteString;

/**
 * TLS around one accepted connection's lines, with two handles the listener's own TLS
 * ({@code bindWithTls}) does not give: a signal when the handshake has finished, and a kill switch
 * on the socket's side. A peer that never finishes its handshake holds the TLS stage open for
 * good (it waits for the peer's next record), so only the kill switch can free the socket.
 */
final class TlsLayer {

  private TlsLayer() {}

  /**
   * The layer for one connection: socket bytes on the outside, the lines' bytes inside.
   *
   * @param handshake completed when the TLS handshake has finished
   */
  static BidiFlow<ByteString, ByteString, ByteString, ByteString, UniqueKillSwitch> around(
      SSLContext context, CompletableFuture<Done> handshake) {
    BidiFlow<TLSProtocol.SslTlsOutbound, ByteString, ByteString, TLSProtocol.SslTlsInbound, ?> tls =
        TLS.create(
            () -> TlsContexts.serverEngine(context),
            session -> handshake.complete(Done.getInstance()),
            // A TLS 1.3 client's close_notify ends only its side: lines owed to it still go out.
            TLSClosing.eagerClose());
    BidiFlow<TLSProtocol.SslTlsInbound, ByteString, ByteString, TLSProtocol.SslTlsOutbound, ?>
        plain =
            BidiFlow.fromFlows(
                Flow.<TLSProtocol.SslTlsInbound>create()
                    .filter(TLSProtocol.SessionBytes.class::isInstance)
                    .map(in -> ((TLSProtocol.SessionBytes) in).bytes()),
                Flow.<ByteString>create().map(TLSProtocol.SendBytes::new));
    return BidiFlow.fromGraph(KillSwitches.<ByteString, ByteString>singleBidi())
        .atop(tls.reversed(), Keep.left())
        .atop(plain, Keep.left());
  }
}
