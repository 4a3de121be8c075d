package dev.websocketstarter.internal.channel;

import java.util.Set;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Collectors;

import dev.websocketstarter.registry.Channel;
import dev.websocketstarter.registry.ChannelRegistry;
import dev.websocketstarter.registry.SendResult;

import org.springframework.web.socket.CloseStatus;

/**
 * The {@link ChannelRegistry} of the channels connected to this node, held by its
 * {@link LocalNode}.
 */
final class LocalChannelRegistry implements ChannelRegistry {

	private final LocalNode node;

	private final LongAdder multicasts = new LongAdder();

	private final LongAdder multicastDeliveries = new LongAdder();

	LocalChannelRegistry(LocalNode node) {
		this.node = node;
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
		return multicast(subscription, Outbound.text(text), exclude);
	}

	@Override
	public int multicast(String subscription, byte[] data, Channel... exclude) {
		return multicast(subscription, Outbound.binary(data), exclude);
	}

	private int multicast(String subscription, Outbound message, Channel[] exclude) {
		Set<LocalChannel> subscribers = this.node.subscribers(subscription);
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
		this.multicasts.increment();
		this.multicastDeliveries.add(queued);
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

	long multicasts() {
		return this.multicasts.sum();
	}

	long multicastDeliveries() {
		return this.multicastDeliveries.sum();
	}

	@Override
	public boolean subscribe(Channel channel, String subscription) {
		LocalChannel local = this.node.channel(channel);
		return local != null && this.node.subscribe(local, subscription);
	}

	@Override
	public boolean unsubscribe(Channel channel, String subscription) {
		LocalChannel local = this.node.channel(channel);
		return local != null && this.node.unsubscribe(local, subscription);
	}

	@Override
	public int subscriberCount(String subscription) {
		return this.node.subscriberCount(subscription);
	}

	@Override
	public Set<Channel> subscribers(String subscription) {
		Set<LocalChannel> subscribers = this.node.subscribers(subscription);
		if (subscribers == null) {
			return Set.of();
		}
		return subscribers.stream().map((subscriber) -> subscriber.handle).collect(Collectors.toUnmodifiableSet());
	}

	@Override
	public Set<String> subscriptions(Channel channel) {
		LocalChannel local = this.node.channel(channel);
		return (local != null) ? Set.copyOf(local.subscriptions) : Set.of();
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
		return "LocalChannelRegistry[" + this.node + "]";
	}

}
