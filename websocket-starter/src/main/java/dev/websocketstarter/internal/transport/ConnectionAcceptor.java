package dev.websocketstarter.internal.transport;

/**
 * Takes the connections of one URL of an app as their handshakes are accepted: what a
 * transport hands each new {@link Connection} to.
 */
@FunctionalInterface
public interface ConnectionAcceptor {

	/**
	 * A connection opened. The transport then routes the connection's events to the
	 * handler returned, calls its {@link ConnectionHandler#onOpen onOpen}, and reads.
	 * @param connection the connection
	 * @return the handler of the connection's events
	 */
	ConnectionHandler accept(Connection connection);

}
