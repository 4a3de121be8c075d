package dev.websocketstarter.autoconfigure;

import java.util.List;
import java.util.Map;
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
 * A {@link ChannelRegistry} of an application's own, that knows no channel.
 */
class UserRegistry implements ChannelRegistry {

	@Override
	public SendResult send(Channel channel, String text) {
		return SendResult.CLOSED;
	}

	@Override
	public SendResult send(Channel channel, byte[] data) {
		return SendResult.CLOSED;
	}

	@Override
	public int multicast(String subscription, String text, Channel... exclude) {
		return 0;
	}

	@Override
	public int multicast(String subscription, byte[] data, Channel... exclude) {
		return 0;
	}

	@Override
	public boolean subscribe(Channel channel, String subscription) {
		return false;
	}

	@Override
	public boolean unsubscribe(Channel channel, String subscription) {
		return false;
	}

	@Override
	public int subscriberCount(String subscription) {
		return 0;
	}

	@Override
	public Set<Channel> subscribers(String subscription) {
		return Set.of();
	}

	@Override
	public Set<String> subscriptions(Channel channel) {
		return Set.of();
	}

	@Override
	public boolean isOpen(Channel channel) {
		return false;
	}

	@Override
	public boolean close(Channel channel, CloseStatus status) {
		return false;
	}

	@Override
	public ChannelRegistry app(String app) {
		return this;
	}

	@Override
	public boolean subscribe(Channel channel, String subscription, Supplier<? extends List<String>> greeting) {
		return false;
	}

	@Override
	public Map<String, Integer> subscriptionCounts() {
		return Map.of();
	}

	@Override
	public <T> @Nullable T attribute(Channel channel, ChannelAttribute<T> attribute) {
		return null;
	}

	@Override
	public <T> boolean setAttribute(Channel channel, ChannelAttribute<T> attribute, @Nullable T value) {
		return false;
	}

	@Override
	public History history(String subscription, int maxMessages) {
		throw new IllegalArgumentException("No history");
	}

	@Override
	public History history(String subscription, String epoch, long offset) {
		throw new IllegalArgumentException("No history");
	}

	@Override
	public ClaimResult claim(Channel channel, String namespace, String value) {
		return ClaimResult.CLOSED;
	}

	@Override
	public boolean release(Channel channel, String namespace, String value) {
		return false;
	}

	@Override
	public int sendToUser(String user, String text) {
		return 0;
	}

	@Override
	public int sendToUser(String user, byte[] data) {
		return 0;
	}

	@Override
	public int closeUser(String user, CloseStatus status) {
		return 0;
	}

	@Override
	public Presence presence(String subscription, int maxMembers) {
		return Presence.of(subscription, List.of(), maxMembers);
	}

}
