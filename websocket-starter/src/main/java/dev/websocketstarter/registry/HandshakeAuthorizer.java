package dev.websocketstarter.registry;

/**
 * A bean that decides about handshakes before the upgrade, apart from the app's handler:
 * with {@link WebSocketApp} for the apps it names, without it for every app. Authorizers
 * run in their {@code @Order}, then the handler's {@link ChannelHandler#onHandshake}; the
 * first refusal ends the handshake, the attributes of every acceptance reach the channel.
 * <p>
 * An authorizer that throws refuses the handshake with 500; the exception is logged.
 */
@FunctionalInterface
public interface HandshakeAuthorizer {

	/**
	 * Decide about a handshake.
	 * @param handshake what the client presented
	 * @return the decision
	 */
	HandshakeDecision authorize(Handshake handshake);

}
