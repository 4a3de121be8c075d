package dev.websocketstarter.codec;

/**
 * Receives the messages and control frames assembled by a {@link FrameDecoder}. Arrays
 * passed to a listener belong to it; the decoder keeps no reference to them.
 */
public interface FrameListener {

	/**
	 * Called with a complete, UTF-8 validated text message.
	 * @param text the message
	 */
	void onText(String text);

	/**
	 * Called with a complete, UTF-8 validated text message and its size on the wire. By
	 * default passes the text on to {@link #onText(String)}; a listener that counts bytes
	 * takes the size from here rather than encoding the text again.
	 * @param text the message
	 * @param size the message's payload size in bytes
	 */
	default void onText(String text, int size) {
		onText(text);
	}

	/**
	 * Called with a complete binary message.
	 * @param data the message payload
	 */
	void onBinary(byte[] data);

	/**
	 * Called when a ping frame arrives, possibly between the fragments of a message. RFC
	 * 6455 section 5.5.2 asks the receiver to answer with a pong carrying the same
	 * payload.
	 * @param payload the application data of the ping, at most 125 bytes
	 */
	void onPing(byte[] payload);

	/**
	 * Called when a pong frame arrives.
	 * @param payload the application data of the pong, at most 125 bytes
	 */
	void onPong(byte[] payload);

	/**
	 * Called when a close frame arrives.
	 * @param code the status code, or {@link CloseCodes#NO_STATUS} if the frame had no
	 * body
	 * @param reason the UTF-8 decoded reason, empty if absent
	 */
	void onClose(int code, String reason);

	/**
	 * The first frame of a fragmented message arrived; the message follows whole, once
	 * its last fragment came. Lets the receiver bound how long a message may take.
	 */
	default void onMessageStarted() {
	}

}
