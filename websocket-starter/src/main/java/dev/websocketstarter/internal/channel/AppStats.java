package dev.websocketstarter.internal.channel;

import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * Running totals of one app on this node, kept with {@link LongAdder}s so that counting
 * costs a send next to nothing. Read them for metrics or diagnostics; the starter records
 * them.
 */
public final class AppStats {

	/**
	 * Close codes counted one by one; others are counted together.
	 */
	public static final List<Integer> COUNTED_CLOSE_CODES = List.of(1000, 1001, 1002, 1003, 1006, 1007, 1008, 1009,
			1011, 1013);

	private final LongAdder opened = new LongAdder();

	private final LongAdder messagesReceived = new LongAdder();

	private final LongAdder bytesReceived = new LongAdder();

	private final LongAdder messagesSent = new LongAdder();

	private final LongAdder bytesSent = new LongAdder();

	private final LongAdder messagesDropped = new LongAdder();

	private final LongAdder slowConsumers = new LongAdder();

	private final LongAdder handlerErrors = new LongAdder();

	/** One per refusal, by ordinal. */
	private final LongAdder[] refused = new LongAdder[HandshakeRefusal.values().length];

	/** One per counted code, in their order, then one for every other code. */
	private final LongAdder[] closes = new LongAdder[COUNTED_CLOSE_CODES.size() + 1];

	AppStats() {
		for (HandshakeRefusal reason : HandshakeRefusal.values()) {
			this.refused[reason.ordinal()] = new LongAdder();
		}
		for (int i = 0; i < this.closes.length; i++) {
			this.closes[i] = new LongAdder();
		}
	}

	/**
	 * Count a refused handshake.
	 * @param reason why it was refused
	 */
	public void handshakeRefused(HandshakeRefusal reason) {
		this.refused[reason.ordinal()].increment();
	}

	void channelOpened() {
		this.opened.increment();
	}

	void received(long bytes) {
		this.messagesReceived.increment();
		this.bytesReceived.add(bytes);
	}

	void sent(long bytes) {
		this.messagesSent.increment();
		this.bytesSent.add(bytes);
	}

	void dropped(long count) {
		this.messagesDropped.add(count);
	}

	void slowConsumer() {
		this.slowConsumers.increment();
	}

	void handlerError() {
		this.handlerErrors.increment();
	}

	void closed(int code) {
		this.closes[closeIndex(code)].increment();
	}

	private static int closeIndex(int code) {
		int index = COUNTED_CLOSE_CODES.indexOf(code);
		return (index >= 0) ? index : COUNTED_CLOSE_CODES.size();
	}

	/**
	 * Handshakes accepted: channels opened.
	 * @return the count
	 */
	public long opened() {
		return this.opened.sum();
	}

	/**
	 * Handshakes refused for a reason.
	 * @param reason the reason
	 * @return the count
	 */
	public long refused(HandshakeRefusal reason) {
		return this.refused[reason.ordinal()].sum();
	}

	/**
	 * Whole messages received from peers.
	 * @return the count
	 */
	public long messagesReceived() {
		return this.messagesReceived.sum();
	}

	/**
	 * Payload bytes of the messages received.
	 * @return the count
	 */
	public long bytesReceived() {
		return this.bytesReceived.sum();
	}

	/**
	 * Messages written to peers.
	 * @return the count
	 */
	public long messagesSent() {
		return this.messagesSent.sum();
	}

	/**
	 * Payload bytes of the messages written (UTF-8 length for text).
	 * @return the count
	 */
	public long bytesSent() {
		return this.bytesSent.sum();
	}

	/**
	 * Messages dropped under overflow policy {@code drop-oldest}.
	 * @return the count
	 */
	public long messagesDropped() {
		return this.messagesDropped.sum();
	}

	/**
	 * Channels closed for slow consumption: send buffer or send time limit exceeded.
	 * @return the count
	 */
	public long slowConsumers() {
		return this.slowConsumers.sum();
	}

	/**
	 * Handler callbacks that threw.
	 * @return the count
	 */
	public long handlerErrors() {
		return this.handlerErrors.sum();
	}

	/**
	 * Channels closed with a code, for a code in {@link #COUNTED_CLOSE_CODES}, or with
	 * any other code when {@code code} is not one of them.
	 * @param code the close code
	 * @return the count
	 */
	public long closes(int code) {
		return this.closes[closeIndex(code)].sum();
	}

	/**
	 * Channels closed with a code not in {@link #COUNTED_CLOSE_CODES}.
	 * @return the count
	 */
	public long otherCloses() {
		return this.closes[COUNTED_CLOSE_CODES.size()].sum();
	}

	/**
	 * Why a handshake was refused.
	 */
	public enum HandshakeRefusal {

		/** 403: the Origin is not allowed. */
		ORIGIN,

		/** 403: the Host is not one of {@code websocket.allowed-hosts}. */
		HOST,

		/** 503: the app holds {@code max-connections} channels. */
		MAX_CONNECTIONS,

		/** 405: not a GET. */
		METHOD,

		/** 426: an unsupported {@code Sec-WebSocket-Version}. */
		VERSION,

		/** 400: not a valid upgrade request. */
		BAD_REQUEST,

		/**
		 * 401, 403, 429, 503 or 500: the app's handshake decision refused it, or failed.
		 */
		APP

	}

}
