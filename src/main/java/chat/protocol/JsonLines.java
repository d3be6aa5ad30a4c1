package chat.protocol;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import java.util.Optional;

/**
 * Machine mode's codec: an {@link Event} as one JSON object on one line, its {@code type} saying
 * what it is. Readers ignore fields they do not know, so the server can add fields later.
 */
public final class JsonLines {

  private static final ObjectMapper MAPPER =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
  private static final ObjectWriter WRITER = MAPPER.writerFor(Event.class);
  private static final ObjectReader READER = MAPPER.readerFor(Event.class);

  private JsonLines() {}

  public static String write(Event event) {
    try {
      return WRITER.writeValueAsString(event);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write " + event, e);
    }
  }

  /** The event on a line, or empty if the line is not an event this version knows. */
  public static Optional<Event> read(String line) {
    try {
      return Optional.of(READER.readValue(line));
    } catch (JsonProcessingException e) {
      return Optional.empty();
    }
  }
}
