package chat.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ConversationTest {

  @Test
  void refusalBeforeJoinCarriesTheReasonAndKeepsWaiting() {
    Conversation conversation = new Conversation();
    assertEquals(
        new Conversation.Refused(
            "SET_USERNAME: Username 'bob' is already taken.", "Username 'bob' is already taken."),
        conversation.onLine("SET_USERNAME: Username 'bob' is already taken."));
    assertFalse(conversation.joined());
    assertEquals(
        new Conversation.Joined("bobby has joined the chat."),
        conversation.onLine("bobby has joined the chat."));
    assertTrue(conversation.joined());
  }

  @Test
  void firstLineThatIsNotARefusalIsTheJoin() {
    Conversation conversation = new Conversation();
    assertEquals(
        new Conversation.Joined("alice has joined the chat."),
        conversation.onLine("alice has joined the chat."));
    assertEquals(new Conversation.Shown("bob: hi"), conversation.onLine("bob: hi"));
    assertEquals(
        new Conversation.Shown("bob has joined the chat."),
        conversation.onLine("bob has joined the chat."));
  }

  @Test
  void errorBeforeJoinIsShownButIsNoJoin() {
    Conversation conversation = new Conversation();
    String timeout = "ERROR: No JOIN:<username> within 10 seconds; closing the connection.";
    assertEquals(new Conversation.Shown(timeout), conversation.onLine(timeout));
    assertFalse(conversation.joined());
  }

  @Test
  void shutdownIsRecognisedBeforeAndAfterJoin() {
    assertEquals(
        new Conversation.ShutDown("!server_shutdown"),
        new Conversation().onLine("!server_shutdown"));
    Conversation joined = new Conversation();
    joined.onLine("alice has joined the chat.");
    assertEquals(
        new Conversation.ShutDown("!server_shutdown "), joined.onLine("!server_shutdown "));
  }

  @Test
  void refusalPrefixAfterJoinIsJustALine() {
    Conversation conversation = new Conversation();
    conversation.onLine("alice has joined the chat.");
    assertEquals(
        new Conversation.Shown("SET_USERNAME: something"),
        conversation.onLine("SET_USERNAME: something"));
  }
}
