package chat.server.web;

import chat.server.Gatekeeper;
import chat.server.ServerMetrics;
import chat.server.ServerSettings;
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import javax.net.ssl.SSLContext;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.ConnectionContext;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.ServerBuilder;
import org.apache.pekko.http.javadsl.model.AttributeKeys;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.RemoteAddress;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * The web edge of the server: one HTTP(S) listener that serves the chat's page from the jar and
 * takes WebSockets at {@code /ws}, each a {@link WebSocketConnection} offered to the
 * {@link Gatekeeper} like any TCP connection (same limits, password and rate limit, the same
 * kind of session).
 */
public final class WebServer extends AllDirectives {

  /** The page is the server's own: it may load nothing from elsewhere, nor be framed. */
  private static final List<HttpHeader> PAGE_HEADERS = List.of(
      HttpHeader.parse("Content-Security-Policy",
          "default-src 'self'; connect-src 'self'; img-src 'self' data:; object-src 'none';"
              + " base-uri 'none'; frame-ancestors 'none'"),
      HttpHeader.parse("X-Content-Type-Options", "nosniff"),
      HttpHeader.parse("Referrer-Policy", "no-referrer"),
      HttpHeader.parse("Cache-Control", "no-cache"));

  private final ServerSettings settings;
  private final ServerMetrics metrics;
  private final ActorRef<Gatekeeper.Command> gatekeeper;

  private WebServer(ServerSettings settings, ServerMetrics metrics,
      ActorRef<Gatekeeper.Command> gatekeeper) {
    this.settings = settings;
    this.metrics = metrics;
    this.gatekeeper = gatekeeper;
  }

  /**
   * Listens on {@code chat.server.host} and {@code chat.server.web.port}, over HTTPS with
   * {@code tls} if given.
   */
  public static CompletionStage<ServerBinding> bind(ActorSystem<?> system, ServerSettings settings,
      ServerMetrics metrics, Optional<SSLContext> tls, ActorRef<Gatekeeper.Command> gatekeeper) {
    ServerBuilder server = Http.get(system).newServerAt(settings.host(), settings.web().port());
    if (tls.isPresent()) {
      server = server.enableHttps(ConnectionContext.httpsServer(tls.get()));
    }
    return server.bind(new WebServer(settings, metrics, gatekeeper).route());
  }

  private Route route() {
    return get(() -> concat(
        path("ws", () -> extractRequest(this::webSocket)),
        respondWithHeaders(PAGE_HEADERS, () -> concat(
            pathSingleSlash(() -> getFromResource("web/index.html")),
            getFromResourceDirectory("web")))));
  }

  /** A WebSocket handshake: refused from another site's page, else its stream is offered in. */
  private Route webSocket(HttpRequest request) {
    Optional<String> origin = request.getHeader("Origin").map(HttpHeader::value);
    Optional<String> host = request.getHeader("Host").map(HttpHeader::value);
    if (!Origins.allowed(origin, host, settings.web().scheme(), settings.web().allowedOrigins())) {
      return complete(StatusCodes.FORBIDDEN, "This chat takes WebSockets from its own page only;"
          + " " + origin.orElse("") + " may be allowed with chat.server.web.allowed-origins.");
    }
    Optional<RemoteAddress> remote = request.getAttribute(AttributeKeys.remoteAddress);
    Optional<InetAddress> address = remote.flatMap(RemoteAddress::getAddress);
    if (address.isEmpty()) {
      return complete(StatusCodes.INTERNAL_SERVER_ERROR,
          "The client's address is unknown (pekko.http.server.remote-address-attribute is off).");
    }
    WebSocketConnection connection =
        new WebSocketConnection(address.get(), remote.get().getPort(), settings);
    return handleWebSocketMessages(connection.flow(metrics, gatekeeper));
  }
}
