package dev.websocketstarter.benchmarks.load;

import java.nio.charset.StandardCharsets;

import dev.websocketstarter.codec.Frame;
import dev.websocketstarter.codec.FrameEncoder;

/**
 * A server under test: where it listens and how a client publishes and subscribes.
 */
public enum Target {

	/** The starter: messages are multicast to the URL's other subscribers. */
	STARTER("starter", "dev.websocketstarter.benchmarks.starter.StarterServer", "/bench", false),

	/** STOMP over WebSocket with Spring's simple broker. */
	STOMP("STOMP", "dev.websocketstarter.benchmarks.stomp.StompServer", "/stomp", true),

	/** A raw WebSocketHandler relay with ConcurrentWebSocketSessionDecorator. */
	DECORATOR("decorator", "dev.websocketstarter.benchmarks.decorator.DecoratorServer", "/relay", false),

	/**
	 * Not a baseline but a floor: a Servlet upgrade that answers the handshake and then
	 * only reads, with no WebSocket layer. It holds idle connections only, and shows what
	 * Tomcat itself keeps per upgraded connection.
	 */
	FLOOR("floor", "dev.websocketstarter.benchmarks.floor.FloorServer", "/floor", false),

	/**
	 * Not a baseline but a spike: the same relay as the starter's, on the Servlet 6.1
	 * HTTP upgrade API ({@code HttpServletRequest.upgrade}, non-blocking
	 * {@code ServletInputStream} and {@code ServletOutputStream} with their read and
	 * write listeners) with the starter's own frame codec and no WebSocket layer of
	 * Tomcat's or Spring's. It measures what a WebSocket transport of the starter's own
	 * could achieve: memory per idle connection, fan-out throughput and latency. Its
	 * figures go to the notes, not the table.
	 */
	LEAN("lean", "dev.websocketstarter.benchmarks.lean.LeanServer", "/lean", false);

	private static final byte[] MASK = { 0x12, 0x34, 0x56, 0x78 };

	private static final String STOMP_SEND = "SEND\ndestination:/app/bench\ncontent-type:text/plain\n\n";

	private final String label;

	private final String mainClass;

	private final String path;

	private final boolean stomp;

	Target(String label, String mainClass, String path, boolean stomp) {
		this.label = label;
		this.mainClass = mainClass;
		this.path = path;
		this.stomp = stomp;
	}

	public String label() {
		return this.label;
	}

	public String mainClass() {
		return this.mainClass;
	}

	public String path() {
		return this.path;
	}

	public boolean stomp() {
		return this.stomp;
	}

	/**
	 * The masked frame a publisher sends to have {@code payload} relayed.
	 */
	byte[] publishFrame(byte[] payload) {
		if (!this.stomp) {
			return FrameEncoder.encode(Frame.text(new String(payload, StandardCharsets.US_ASCII)), MASK);
		}
		String frame = STOMP_SEND + new String(payload, StandardCharsets.US_ASCII) + "\0";
		return FrameEncoder.encode(Frame.text(frame), MASK);
	}

	static byte[] masked(Frame frame) {
		return FrameEncoder.encode(frame, MASK);
	}

}
