package dev.websocketstarter.test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

import dev.websocketstarter.registry.Channel;
import dev.websocketstarter.registry.ChannelHandler;
import dev.websocketstarter.registry.ChannelRegistry;
import dev.websocketstarter.registry.Handshake;
import org.jspecify.annotations.Nullable;

import org.springframework.web.socket.CloseStatus;

import static org.awaitility.Awaitility.await;

/**
 * A handler that records what happens and answers a few commands: clients name themselves
 * with the query parameter {@code id}; {@code echo:x} sends {@code x} back, {@code fail}
 * throws, anything else is recorded.
 */
public class RecordingHandler implements ChannelHandler {

	/**
	 * Callbacks against the handler contract, such as a second {@code onClose}, seen by
	 * any recording handler; {@link TestGuards} fails the test they happened in. Thrown
	 * from the callback they would only be logged: the starter catches what handlers
	 * throw.
	 */
	private static final Queue<String> violations = new ConcurrentLinkedQueue<>();

	private final ChannelRegistry registry;

	private final Map<String, Channel> channels = new ConcurrentHashMap<>();

	private final Map<String, Handshake> handshakes = new ConcurrentHashMap<>();

	private final Map<Channel, CloseStatus> closes = new ConcurrentHashMap<>();

	private final Map<Channel, Throwable> errors = new ConcurrentHashMap<>();

	private final Queue<String> texts = new ConcurrentLinkedQueue<>();

	private final Queue<byte[]> binaries = new ConcurrentLinkedQueue<>();

	public RecordingHandler(ChannelRegistry registry) {
		this.registry = registry;
	}

	@Override
	public void onOpen(Channel channel, Handshake handshake) {
		String id = handshake.queryParameter("id");
		if (id != null) {
			// Tests wait for the channel, then read its handshake
			this.handshakes.put(id, handshake);
			this.channels.put(id, channel);
		}
	}

	@Override
	public void onText(Channel channel, String text) {
		requireOpen(channel, "onText");
		if (text.startsWith("echo:")) {
			this.registry.send(channel, text.substring(5));
		}
		else if (text.equals("fail")) {
			throw new IllegalStateException("Handler failure on purpose");
		}
		else {
			this.texts.add(text);
		}
	}

	@Override
	public void onBinary(Channel channel, byte[] data) {
		requireOpen(channel, "onBinary");
		this.binaries.add(data);
		this.registry.send(channel, data);
	}

	@Override
	public void onClose(Channel channel, CloseStatus status) {
		CloseStatus first = this.closes.putIfAbsent(channel, status);
		if (first != null) {
			violations.add("onClose called twice for " + channel + ": " + first + ", then " + status);
		}
	}

	private void requireOpen(Channel channel, String callback) {
		if (this.closes.containsKey(channel)) {
			violations.add(callback + " after onClose for " + channel);
		}
	}

	/**
	 * The contract violations seen since the last call, forgotten.
	 * @return the violations
	 */
	public static List<String> takeViolations() {
		List<String> taken = new ArrayList<>();
		String violation;
		while ((violation = violations.poll()) != null) {
			taken.add(violation);
		}
		return taken;
	}

	@Override
	public void onError(Channel channel, Throwable error) {
		this.errors.put(channel, error);
	}

	/**
	 * The transport error the channel reported, if any.
	 */
	public @Nullable Throwable error(Channel channel) {
		return this.errors.get(channel);
	}

	public @Nullable Channel channel(String id) {
		return this.channels.get(id);
	}

	/**
	 * The channel of the client that named itself {@code id}, waiting for it to open.
	 */
	public Channel awaitChannel(String id) {
		await().atMost(Duration.ofSeconds(10)).until(() -> this.channels.containsKey(id));
		return this.channels.get(id);
	}

	public @Nullable Handshake handshake(String id) {
		return this.handshakes.get(id);
	}

	public @Nullable CloseStatus closeStatus(Channel channel) {
		return this.closes.get(channel);
	}

	public Queue<String> texts() {
		return this.texts;
	}

	public Queue<byte[]> binaries() {
		return this.binaries;
	}

}
