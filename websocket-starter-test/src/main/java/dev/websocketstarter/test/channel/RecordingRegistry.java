package dev.websocketstarter.test.channel;

import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.function.Supplier;

import dev.websocketstarter.registry.Channel;
import dev.websocketstarter.registry.ChannelAttribute;
import dev.websocketstarter.registry.ChannelRegistry;
import dev.websocketstarter.registry.ClaimResult;
import dev.websocketstarter.registry.History;
import dev.websocketstarter.registry.Presence;
import dev.websocketstarter.registry.SendResult;
import org.jspecify.annotations.Nullable;

import org.springframework.web.socket.CloseStatus;

/**
 * The node's real registry, as the handler under test gets it, noting each multicast on
 * its way through, so that a test sees what went to which subscription even when no
 * channel of the test is subscribed.
 */
final class RecordingRegistry implements ChannelRegistry {

	private final ChannelRegistry registry;

	private final Queue<Multicast> multicasts;

	RecordingRegistry(ChannelRegistry registry, Queue<Multicast> multicasts) {
		this.registry = registry;
		this.multicasts = multicasts;
	}

	@Override
	public ChannelRegistry app(String app) {
		return new RecordingRegistry(this.registry.app(app), this.multicasts);
	}

	@Override
	public int multicast(String subscription, String text, Channel... exclude) {
		this.multicasts.add(new Multicast(subscription, text, null));
		return this.registry.multicast(subscription, text, exclude);
	}

	@Override
	public int multicast(String subscription, byte[] data, Channel... exclude) {
		this.multicasts.add(new Multicast(subscription, null, data.clone()));
		return this.registry.multicast(subscription, data, exclude);
	}

	@Override
	public SendResult send(Channel channel, String text) {
		return this.registry.send(channel, text);
	}

	@Override
	public SendResult send(Channel channel, byte[] data) {
		return this.registry.send(channel, data);
	}

	@Override
	public boolean subscribe(Channel channel, String subscription) {
		return this.registry.subscribe(channel, subscription);
	}

	@Override
	public boolean subscribe(Channel channel, String subscription, Supplier<? extends List<String>> greeting) {
		return this.registry.subscribe(channel, subscription, greeting);
	}

	@Override
	public boolean unsubscribe(Channel channel, String subscription) {
		return this.registry.unsubscribe(channel, subscription);
	}

	@Override
	public int subscriberCount(String subscription) {
		return this.registry.subscriberCount(subscription);
	}

	@Override
	public Set<Channel> subscribers(String subscription) {
		return this.registry.subscribers(subscription);
	}

	@Override
	public Map<String, Integer> subscriptionCounts() {
		return this.registry.subscriptionCounts();
	}

	@Override
	public Presence presence(String subscription, int maxMembers) {
		return this.registry.presence(subscription, maxMembers);
	}

	@Override
	public History history(String subscription, int maxMessages) {
		return this.registry.history(subscription, maxMessages);
	}

	@Override
	public History history(String subscription, String epoch, long offset) {
		return this.registry.history(subscription, epoch, offset);
	}

	@Override
	public Set<String> subscriptions(Channel channel) {
		return this.registry.subscriptions(channel);
	}

	@Override
	public boolean isOpen(Channel channel) {
		return this.registry.isOpen(channel);
	}

	@Override
	public <T> @Nullable T attribute(Channel channel, ChannelAttribute<T> attribute) {
		return this.registry.attribute(channel, attribute);
	}

	@Override
	public <T> boolean setAttribute(Channel channel, ChannelAttribute<T> attribute, @Nullable T value) {
		return this.registry.setAttribute(channel, attribute, value);
	}

	@Override
	public ClaimResult claim(Channel channel, String namespace, String value) {
		return this.registry.claim(channel, namespace, value);
	}

	@Override
	public boolean release(Channel channel, String namespace, String value) {
		return this.registry.release(channel, namespace, value);
	}

	@Override
	public int sendToUser(String user, String text) {
		return this.registry.sendToUser(user, text);
	}

	@Override
	public int sendToUser(String user, byte[] data) {
		return this.registry.sendToUser(user, data);
	}

	@Override
	public int closeUser(String user, CloseStatus status) {
		return this.registry.closeUser(user, status);
	}

	@Override
	public boolean close(Channel channel, CloseStatus status) {
		return this.registry.close(channel, status);
	}

}
