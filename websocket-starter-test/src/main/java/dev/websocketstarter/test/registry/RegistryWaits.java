package dev.websocketstarter.test.registry;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import dev.websocketstarter.internal.channel.ChannelListener;
import dev.websocketstarter.internal.channel.LocalNode;
import dev.websocketstarter.registry.Channel;
import dev.websocketstarter.registry.ChannelRegistry;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.jspecify.annotations.Nullable;

import org.springframework.web.socket.CloseStatus;

/**
 * Waits until a node's registry shows what a test expects, failing with what it showed
 * instead.
 * {@link dev.websocketstarter.test.autoconfigure.AutoConfigureWebSocketTestClient
 * &#64;AutoConfigureWebSocketTestClient} makes one a bean: <pre class="code">
 * &#64;Autowired
 * RegistryWaits waits;
 *
 * waits.subscriberCount("/prices", 2);
 * registry.unsubscribe(alice, "/prices");
 * waits.written(alice); // everything queued to alice so far has gone to her connection
 * waits.closedWith(bob, 1008);
 * </pre> It watches the node's closes from the moment it is made, so that a test can ask
 * with what status a channel closed after the fact; it keeps the last
 * {@value #CLOSES_KEPT}.
 */
public final class RegistryWaits implements AutoCloseable {

	static final int CLOSES_KEPT = 10_000;

	private static final Duration POLL = Duration.ofMillis(5);

	private final ChannelRegistry registry;

	private final LocalNode node;

	private final Closes closes;

	private final Duration timeout;

	/**
	 * Watch a node's registry; each wait takes at most 10 seconds.
	 * @param registry the registry
	 * @param node the node whose channels it serves, which tells how much is queued and
	 * what closed
	 */
	public RegistryWaits(ChannelRegistry registry, LocalNode node) {
		this(registry, node, new Closes(), Duration.ofSeconds(10));
		node.listeners().add(this.closes);
	}

	private RegistryWaits(ChannelRegistry registry, LocalNode node, Closes closes, Duration timeout) {
		this.registry = registry;
		this.node = node;
		this.closes = closes;
		this.timeout = timeout;
	}

	/**
	 * The same waits with another timeout.
	 * @param timeout the timeout
	 * @return waits sharing what these saw close
	 */
	public RegistryWaits timeout(Duration timeout) {
		return new RegistryWaits(this.registry, this.node, this.closes, timeout);
	}

	/**
	 * Wait until a subscription has this many subscribers.
	 * @param subscription the subscription
	 * @param count the number expected
	 */
	public void subscriberCount(String subscription, int count) {
		await(() -> this.registry.subscriberCount(subscription) == count,
				() -> subscription + " to have " + count + " subscribers, but it has "
						+ this.registry.subscriberCount(subscription) + ": " + this.registry.subscribers(subscription));
	}

	/**
	 * Wait until a channel has exactly these subscriptions.
	 * @param channel the channel
	 * @param subscriptions the subscriptions expected
	 */
	public void subscriptions(Channel channel, String... subscriptions) {
		Set<String> expected = Set.of(subscriptions);
		await(() -> this.registry.subscriptions(channel).equals(expected), () -> channel + " to have the subscriptions "
				+ expected + ", but it has " + this.registry.subscriptions(channel));
	}

	/**
	 * Wait until a channel has closed and its handler has been told so.
	 * @param channel the channel
	 * @return the close status its handler hears
	 */
	public CloseStatus closed(Channel channel) {
		await(() -> this.closes.of(channel) != null, () -> channel + " to close, but it is "
				+ (this.registry.isOpen(channel) ? "open" : "closing, or closed before these waits were made"));
		return Objects.requireNonNull(this.closes.of(channel));
	}

	/**
	 * Wait until a channel has closed with a code.
	 * @param channel the channel
	 * @param code the close code expected
	 * @return the close status, for its reason
	 */
	public CloseStatus closedWith(Channel channel, int code) {
		CloseStatus status = closed(channel);
		if (status.getCode() != code) {
			throw new AssertionError(
					"Expected " + channel + " to close with " + code + ", but it closed with " + status);
		}
		return status;
	}

	/**
	 * Wait until everything queued to a channel so far has gone to its connection, such
	 * as before checking that nothing more comes after an unsubscribe.
	 * @param channel the channel
	 */
	public void written(Channel channel) {
		await(() -> this.node.stats().queuedBytes(channel) == 0, () -> "the queue of " + channel
				+ " to be written, but " + this.node.stats().queuedBytes(channel) + " bytes wait");
	}

	/**
	 * Wait until everything queued to every channel of an app so far has gone to the
	 * connections.
	 * @param app the app's name
	 */
	public void allWritten(String app) {
		await(() -> this.node.stats().queuedBytes(app) == 0, () -> "the queues of app '" + app + "' to be written, but "
				+ this.node.stats().queuedBytes(app) + " bytes wait");
	}

	/**
	 * Poll with Awaitility: the registry tells no one of these changes, and a few
	 * milliseconds between looks cost a test nothing.
	 */
	private void await(BooleanSupplier condition, Supplier<String> expected) {
		try {
			Awaitility.await().atMost(this.timeout).pollInterval(POLL).until(condition::getAsBoolean);
		}
		catch (ConditionTimeoutException ex) {
			throw new AssertionError("Expected within " + this.timeout.toMillis() + " ms " + expected.get(), ex);
		}
	}

	/**
	 * Stop watching the node's closes.
	 */
	@Override
	public void close() {
		this.node.listeners().remove(this.closes);
	}

	/**
	 * The last close statuses of the node's channels.
	 */
	private static final class Closes implements ChannelListener {

		private final Map<Channel, CloseStatus> statuses = new LinkedHashMap<>() {

			@Override
			protected boolean removeEldestEntry(Map.Entry<Channel, CloseStatus> eldest) {
				return size() > CLOSES_KEPT;
			}

		};

		@Override
		public void channelChanged(Channel channel) {
		}

		@Override
		public synchronized void channelClosed(Channel channel, CloseStatus status) {
			this.statuses.put(channel, status);
		}

		synchronized @Nullable CloseStatus of(Channel channel) {
			return this.statuses.get(channel);
		}

	}

}
