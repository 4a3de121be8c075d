package dev.websocketstarter.internal.channel;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import dev.websocketstarter.internal.history.SubscriptionHistory;
import dev.websocketstarter.registry.Channel;
import dev.websocketstarter.registry.ChannelAttribute;
import dev.websocketstarter.registry.ChannelRegistry;
import dev.websocketstarter.registry.ClaimResult;
import dev.websocketstarter.registry.History;
import dev.websocketstarter.registry.Presence;
import dev.websocketstarter.registry.SendResult;
import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;
import org.springframework.web.socket.CloseStatus;

/**
 * The {@link ChannelRegistry} of the channels connected to this node, held by its
 * {@link LocalNode}: the one every app shares, or one scope's.
 */
final class LocalChannelRegistry implements ChannelRegistry {

	private static final Channel[] NO_CHANNELS = {};

	private final LocalNode node;

	private final @Nullable String scope;

	/**
	 * Create a registry.
	 * @param node the node
	 * @param scope the scope whose names it uses, {@code null} for the one every app
	 * shares
	 */
	LocalChannelRegistry(LocalNode node, @Nullable String scope) {
		this.node = node;
		this.scope = scope;
	}

	private String scope(@Nullable String subscription) {
		return this.node.scopes().resolve(this.scope, subscription);
	}

	@Override
	public ChannelRegistry app(String app) {
		if (!this.node.scopes().isKnown(app)) {
			throw new IllegalArgumentException(
					"There is no WebSocket app '" + app + "' on: name one under websocket.apps" + " with URLs");
		}
		return this.node.registry(this.node.scopes().ofApp(app));
	}

	@Override
	public SendResult send(Channel channel, String text) {
		return send(channel, Outbound.text(text));
	}

	@Override
	public SendResult send(Channel channel, byte[] data) {
		return send(channel, Outbound.binary(data));
	}

	private SendResult send(Channel channel, Outbound message) {
		LocalChannel local = this.node.channel(channel);
		return (local != null) ? local.enqueue(message, System.nanoTime()) : SendResult.CLOSED;
	}

	@Override
	public int multicast(String subscription, String text, Channel... exclude) {
		String scope = scope(subscription);
		SubscriptionHistory history = this.node.histories().find(scope, subscription);
		if (history != null) {
			return this.node.stats()
				.multicastMade(this.node.histories()
					.multicast(history, text, (frame) -> deliver(this.node.index().subscribers(scope, subscription),
							Outbound.text(frame), exclude)));
		}
		return this.node.stats()
			.multicastMade(deliver(this.node.index().subscribers(scope, subscription), Outbound.text(text), exclude));
	}

	@Override
	public int multicast(String subscription, byte[] data, Channel... exclude) {
		if (this.node.histories().keeps(scope(subscription), subscription)) {
			throw new IllegalArgumentException("Subscription '" + subscription
					+ "' keeps history, which holds text messages: multicast text to it, or leave it out of the app's "
					+ "history.subscriptions");
		}
		return this.node.stats()
			.multicastMade(deliver(this.node.index().subscribers(scope(subscription), subscription),
					Outbound.binary(data), exclude));
	}

	static int deliver(@Nullable Set<LocalChannel> subscribers, Outbound message, Channel[] exclude) {
		if (subscribers == null) {
			return 0;
		}
		long now = System.nanoTime();
		int queued = 0;
		for (LocalChannel subscriber : subscribers) {
			if (!isExcluded(subscriber.handle, exclude) && subscriber.enqueue(message, now).isQueued()) {
				queued++;
			}
		}
		return queued;
	}

	private static boolean isExcluded(Channel channel, Channel[] exclude) {
		for (Channel excluded : exclude) {
			if (channel == excluded || channel.equals(excluded)) {
				return true;
			}
		}
		return false;
	}

	@Override
	public int sendToUser(String user, String text) {
		return deliver(this.node.index().userChannels(scope(null), user), Outbound.text(text), NO_CHANNELS);
	}

	@Override
	public int sendToUser(String user, byte[] data) {
		return deliver(this.node.index().userChannels(scope(null), user), Outbound.binary(data), NO_CHANNELS);
	}

	@Override
	public int closeUser(String user, CloseStatus status) {
		Set<LocalChannel> channels = this.node.index().userChannels(scope(null), user);
		int closing = 0;
		if (channels != null) {
			for (LocalChannel channel : channels) {
				if (this.node.closeGracefully(channel, status)) {
					closing++;
				}
			}
		}
		return closing;
	}

	@Override
	public boolean subscribe(Channel channel, String subscription) {
		LocalChannel local = this.node.channel(channel);
		return local != null && this.node.index().subscribe(local, subscription, null);
	}

	@Override
	public boolean subscribe(Channel channel, String subscription, Supplier<? extends List<String>> greeting) {
		LocalChannel local = this.node.channel(channel);
		return local != null && this.node.index().subscribe(local, subscription, greeting);
	}

	@Override
	public boolean unsubscribe(Channel channel, String subscription) {
		LocalChannel local = this.node.channel(channel);
		return local != null && this.node.index().unsubscribe(local, subscription);
	}

	@Override
	public int subscriberCount(String subscription) {
		return this.node.index().subscriberCount(scope(subscription), subscription);
	}

	@Override
	public Set<Channel> subscribers(String subscription) {
		Set<LocalChannel> subscribers = this.node.index().subscribers(scope(subscription), subscription);
		if (subscribers == null) {
			return Set.of();
		}
		return subscribers.stream().map((subscriber) -> subscriber.handle).collect(Collectors.toUnmodifiableSet());
	}

	@Override
	public Map<String, Integer> subscriptionCounts() {
		return Collections.unmodifiableMap(this.node.index().subscriptionCounts(scope(null)));
	}

	@Override
	public Presence presence(String subscription, int maxMembers) {
		Set<LocalChannel> subscribers = this.node.index().subscribers(scope(subscription), subscription);
		List<Presence.Member> members = new ArrayList<>();
		if (subscribers != null) {
			for (LocalChannel subscriber : subscribers) {
				members.add(new Presence.Member(subscriber.handle, subscriber.user, subscriber.attributes.shared()));
			}
		}
		return Presence.of(subscription, members, maxMembers);
	}

	@Override
	public History history(String subscription, int maxMessages) {
		Assert.isTrue(maxMessages >= 0, "'maxMessages' must not be negative");
		return this.node.histories().last(scope(subscription), subscription, maxMessages);
	}

	@Override
	public History history(String subscription, String epoch, long offset) {
		return this.node.histories().since(scope(subscription), subscription, epoch, offset);
	}

	@Override
	public Set<String> subscriptions(Channel channel) {
		LocalChannel local = this.node.channel(channel);
		return (local != null) ? Set.copyOf(local.subscriptions) : Set.of();
	}

	@Override
	public <T> @Nullable T attribute(Channel channel, ChannelAttribute<T> attribute) {
		LocalChannel local = this.node.channelOrClosing(channel);
		return (local != null) ? local.attributes.get(attribute) : null;
	}

	@Override
	public <T> boolean setAttribute(Channel channel, ChannelAttribute<T> attribute, @Nullable T value) {
		LocalChannel local = this.node.channel(channel);
		if (local == null || !local.isOpen()) {
			return false;
		}
		if (local.attributes.set(attribute, value)) {
			this.node.changed(channel);
		}
		return true;
	}

	@Override
	public ClaimResult claim(Channel channel, String namespace, String value) {
		Claims.check(namespace, value);
		LocalChannel local = this.node.channel(channel);
		if (local == null) {
			return ClaimResult.CLOSED;
		}
		return this.node.claims().claim(claimKey(channel, namespace, value), channel, local::isOpen);
	}

	@Override
	public boolean release(Channel channel, String namespace, String value) {
		return this.node.claims().release(claimKey(channel, namespace, value), channel);
	}

	private Claims.Key claimKey(Channel channel, String namespace, String value) {
		return new Claims.Key(this.node.scopes().ofApp(channel.app()), namespace, value);
	}

	@Override
	public boolean isOpen(Channel channel) {
		LocalChannel local = this.node.channel(channel);
		return local != null && local.isOpen();
	}

	@Override
	public boolean close(Channel channel, CloseStatus status) {
		LocalChannel local = this.node.channel(channel);
		if (local == null || !this.node.closeGracefully(local, status)) {
			return false;
		}
		LocalNode.logger.debug("Closing channel " + channel + " with " + status);
		return true;
	}

	@Override
	public String toString() {
		return "LocalChannelRegistry[" + this.node + ((this.scope != null) ? ", scope=" + this.scope : "") + "]";
	}

}
