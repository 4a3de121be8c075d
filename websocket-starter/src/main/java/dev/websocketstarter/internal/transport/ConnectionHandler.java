package dev.websocketstarter.internal.transport;

import org.springframework.web.socket.CloseStatus;

/**
 * What happens on a {@link Connection}, as its transport tells the channel. Messages
 * arrive whole, within the app's {@code max-message-size}, from one thread at a time.
 * {@link #onOpen} is called once, first; {@link #onClosed} once, last but for a late
 * {@link #onWritable}. The handler is the one place where what its code throws is caught.
 */
public interface ConnectionHandler {

	/**
	 * The connection is open and its events reach this handler; nothing was read yet. A
	 * close it asks for may be reported at once.
	 * @param request what the client presented in its handshake
	 */
	void onOpen(UpgradeRequest request);

	/**
	 * A text message arrived.
	 * @param text the message
	 * @param size its payload size in bytes
	 */
	void onText(String text, int size);

	/**
	 * A binary message arrived.
	 * @param data the message, owned by the handler
	 */
	void onBinary(byte[] data);

	/**
	 * The first part of a message that comes in parts arrived; {@link #onText} or
	 * {@link #onBinary} follows once it is whole.
	 */
	default void onMessageStarted() {
	}

	/**
	 * A pong arrived: the peer is alive.
	 */
	void onPong();

	/**
	 * The output that was full can take frames again. May be called on a container
	 * thread, which should not write but wake the writer.
	 */
	void onWritable();

	/**
	 * The connection failed, or the peer broke the protocol (a
	 * {@link dev.websocketstarter.codec.WebSocketProtocolException} with the close code
	 * to answer with). The connection ends afterwards and {@link #onClosed} follows.
	 * @param error what went wrong
	 */
	void onError(Throwable error);

	/**
	 * The connection closed, whoever closed it.
	 * @param status the close code and reason; 1006 when the connection was lost without
	 * a close frame
	 */
	void onClosed(CloseStatus status);

}
