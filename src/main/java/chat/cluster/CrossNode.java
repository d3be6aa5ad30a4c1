package chat.cluster;

/**
 * A message that may go from one node of a cluster to another: the rooms', the name registry's,
 * the directory's and the Deliveries' protocols and their answers. Bound to Jackson CBOR in
 * {@code server.conf} (Pekko has Java serialization off); records and enums serialize as they
 * are, and an interface used as a field's type names its kinds with {@code @JsonSubTypes}.
 */
public interface CrossNode {}
