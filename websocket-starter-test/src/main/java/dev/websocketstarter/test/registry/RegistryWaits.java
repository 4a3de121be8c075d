package dev.websocketstarter.test.registry;

import java.time.Duration;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import dev.websocketstarter.internal.channel.LocalNode;
import dev.websocketstarter.registry.Channel;
import dev.websocketstarter.registry.ChannelRegistry;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Waits until a node's registry shows what a test expects, failing with what it showed
 * instead. <pre class="code">
 * RegistryWaits waits = RegistryWaits.of(registry, node);
 * waits.subscriberCount("/prices", 2);
 * registry.unsubscribe(alice, "/prices");
 * waits.written(alice); // everything queued to alice so far has gone to her connection
 * </pre> Inject the {@link LocalNode} next to the {@link ChannelRegistry}; the node is
 * what tells how much is queued.
 */
public final class RegistryWaits {

	private static final Duration POLL = Duration.ofMillis(5);

	private final ChannelRegistry registry;

	private final LocalNode node;

	private final Duration timeout;

	private RegistryWaits(ChannelRegistry registry, LocalNode node, Duration timeout) {
		this.registry = registry;
		this.node = node;
		this.timeout = timeout;
	}

	/**
	 * Waits on a registry and its node, each for at most 10 seconds.
	 * @param registry the registry
	 * @param node the node whose channels it serves
	 * @return the waits
	 */
	public static RegistryWaits of(ChannelRegistry registry, LocalNode node) {
		return new RegistryWaits(registry, node, Duration.ofSeconds(10));
	}

	/**
	 * The same waits with another timeout.
	 * @param timeout the timeout
	 * @return new waits
	 */
	public RegistryWaits timeout(Duration timeout) {
		return new RegistryWaits(this.registry, this.node, timeout);
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
	 * Wait until a channel is closed or closing.
	 * @param channel the channel
	 */
	public void closed(Channel channel) {
		await(() -> !this.registry.isOpen(channel), () -> channel + " to be closed, but it is open");
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

}
