package chat.support;

import chat.cluster.CrossNode;

/**
 * A message a member's session receives from the chat's actors: the registry's answers and what
 * it forwards, the rooms' and the directory's answers, the Delivery's. One marker, so that a
 * session takes them all through one adapter (each costs memory, for every connection). They
 * may come from another node.
 */
public interface ToSession extends CrossNode {}
