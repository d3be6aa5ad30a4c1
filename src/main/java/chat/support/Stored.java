package chat.support;

/**
 * Marks what is written to the history store (events and snapshots): serialized as CBOR by
 * Pekko's Jackson serializer, bound to this interface in the persistence settings.
 */
public interface Stored {}
