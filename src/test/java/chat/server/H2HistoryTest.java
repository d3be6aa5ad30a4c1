package chat.server;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The history on H2 files in a temporary folder, written through at once as the server does. */
class H2HistoryTest extends DurableHistoryTest {

  @TempDir Path data;

  @Override
  String store(String name) {
    return "chat.history { store = h2, h2.url = \"jdbc:h2:file:" + data.resolve(name)
        + ";WRITE_DELAY=0\" }";
  }
}
