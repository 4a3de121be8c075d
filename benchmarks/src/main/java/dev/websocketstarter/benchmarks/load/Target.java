package dev.websocketstarter.benchmarks.load;

import java.nio.charset.StandardCharsets;
import java.util.List;

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
	 * Not a baseline but the fan-out floor: a bare NIO relay with no framework, one
	 * selector thread, the handshake and frames done by hand, and each frame written
	 * straight to each socket. Like the starter, it relays what one client sends to every
	 * other client of the path.
	 */
	NIO("bare NIO relay", "dev.websocketstarter.benchmarks.nio.NioRelayServer", "/nio", false),

	/**
	 * Not a baseline but a floor: a Servlet upgrade that answers the handshake and then
	 * only reads, with no WebSocket layer. It holds idle connections only, and shows what
	 * Tomcat itself keeps per upgraded connection.
	 */
	FLOOR("floor", "dev.websocketstarter.benchmarks.floor.FloorServer", "/floor", false),

	/**
	 * The starter on Tomcat's WebSocket layer ({@code websocket.transport=container}), as
	 * before its own transport: same server and URL as {@link #STARTER}. Its figures go
	 * to the notes, not the table.
	 */
	CONTAINER("starter on Tomcat's WebSocket layer", "dev.websocketstarter.benchmarks.starter.StarterServer", "/bench",
			false, "--websocket.transport=container");

	private static final byte[] MASK = { 0x12, 0x34, 0x56, 0x78 };

	private static final String STOMP_SEND = "SEND\ndestination:/app/bench\ncontent-type:text/plain\n\n";

	private final String label;

	private final String mainClass;

	private final String path;

	private final boolean stomp;

	private final List<String> arguments;

	Target(String label, String mainClass, String path, boolean stomp, String... arguments) {
		this.label = label;
		this.mainClass = mainClass;
		this.path = path;
		this.stomp = stomp;
		this.arguments = List.of(arguments);
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
	 * Application arguments the server starts with, after the runner's own.
	 */
	public List<String> arguments() {
		return this.arguments;
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
