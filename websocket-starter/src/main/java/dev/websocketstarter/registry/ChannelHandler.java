package dev.websocketstarter.registry;

import org.springframework.web.socket.CloseStatus;

/**
 * The application side of a WebSocket app: a bean annotated with {@link WebSocketApp}
 * that receives the events of the app's channels. Every method has an empty default, so a
 * handler implements only what it needs.
 * <p>
 * Callbacks of one channel are never run concurrently; callbacks of different channels
 * may be. A callback that throws closes its channel with 1011 (internal error); the
 * exception is logged once. Use the {@link ChannelRegistry} to send, subscribe and
 * multicast, from a callback or from any other thread.
 */
public interface ChannelHandler {

	/**
	 * Decide about a handshake before the upgrade: accept it, optionally with attributes
	 * for the new channel, or refuse it with 401, 403, 429 or 503. Runs after the app's
	 * {@link HandshakeAuthorizer}s accepted it; a refused handshake never reaches
	 * {@link #onOpen}. Accepts by default.
	 * @param handshake what the client presented
	 * @return the decision
	 */
	default HandshakeDecision onHandshake(Handshake handshake) {
		return HandshakeDecision.accept();
	}

	/**
	 * A client opened a channel; the attributes of the handshake decision are set. When
	 * the app's {@code auto-subscribe} option is on (the default), the channel is
	 * subscribed to {@link Handshake#url()} when this method returns, so that what it
	 * sends reaches the channel before any multicast to the URL.
	 * @param channel the new channel
	 * @param handshake what the client presented
	 */
	default void onOpen(Channel channel, Handshake handshake) {
	}

	/**
	 * A complete text message arrived.
	 * @param channel the channel it arrived on
	 * @param text the message
	 */
	default void onText(Channel channel, String text) {
	}

	/**
	 * A complete binary message arrived.
	 * @param channel the channel it arrived on
	 * @param data the message, owned by the handler
	 */
	default void onBinary(Channel channel, byte[] data) {
	}

	/**
	 * The channel closed, whoever closed it. Called once per channel; the channel has
	 * already left every subscription, and its attributes can still be read.
	 * @param channel the closed channel
	 * @param status the close code and reason; 1006 when the connection was lost without
	 * a close frame
	 */
	default void onClose(Channel channel, CloseStatus status) {
	}

	/**
	 * A transport error occurred on the channel, such as a failed read. The channel is
	 * closed afterwards and {@link #onClose} follows.
	 * @param channel the channel
	 * @param error the error
	 */
	default void onError(Channel channel, Throwable error) {
	}

}
