package dev.websocketstarter.registry;

import java.util.Set;

import org.springframework.web.socket.CloseStatus;

/**
 * Sends to channels, manages their subscriptions and multicasts to subscribers. Inject it
 * anywhere: every method is thread-safe, never blocks on a socket and never throws
 * because a channel closed.
 * <p>
 * A subscription is any name; each app URL is also a subscription of the channels
 * connected to it (see the {@code auto-subscribe} option), so two URLs of one app are two
 * separate groups.
 * <p>
 * Messages to one channel are written in the order they were queued, by one writer at a
 * time, coalescing queued messages into as few socket writes as the server allows. Each
 * channel's queue is bounded by its app's {@code send-buffer-limit} and
 * {@code send-time-limit}; its {@code overflow} policy decides what happens past them.
 */
public interface ChannelRegistry {

	/**
	 * Queue a text message to one channel.
	 * @param channel the channel
	 * @param text the message
	 * @return what became of the message; {@link SendResult#CLOSED} when the channel is
	 * not open
	 */
	SendResult send(Channel channel, String text);

	/**
	 * Queue a binary message to one channel.
	 * @param channel the channel
	 * @param data the message; copied, so the caller may reuse the array
	 * @return what became of the message; {@link SendResult#CLOSED} when the channel is
	 * not open
	 */
	SendResult send(Channel channel, byte[] data);

	/**
	 * Queue a text message to every subscriber of a subscription but the excluded
	 * channels. The message is prepared once and shared by all subscribers' queues.
	 * @param subscription the subscription
	 * @param text the message
	 * @param exclude channels that must not receive it, typically the sender
	 * @return the number of channels it was queued for
	 */
	int multicast(String subscription, String text, Channel... exclude);

	/**
	 * Queue a binary message to every subscriber of a subscription but the excluded
	 * channels. The message is copied once and shared by all subscribers' queues.
	 * @param subscription the subscription
	 * @param data the message; copied, so the caller may reuse the array
	 * @param exclude channels that must not receive it, typically the sender
	 * @return the number of channels it was queued for
	 */
	int multicast(String subscription, byte[] data, Channel... exclude);

	/**
	 * Subscribe a channel.
	 * @param channel the channel
	 * @param subscription the subscription
	 * @return {@code true} if the channel is open and was not subscribed yet
	 */
	boolean subscribe(Channel channel, String subscription);

	/**
	 * Unsubscribe a channel.
	 * @param channel the channel
	 * @param subscription the subscription
	 * @return {@code true} if the channel was subscribed
	 */
	boolean unsubscribe(Channel channel, String subscription);

	/**
	 * The number of channels subscribed to a subscription.
	 * @param subscription the subscription
	 * @return the number of subscribers, {@code 0} for an unknown subscription
	 */
	int subscriberCount(String subscription);

	/**
	 * The channels subscribed to a subscription.
	 * @param subscription the subscription
	 * @return an immutable snapshot of the subscribers
	 */
	Set<Channel> subscribers(String subscription);

	/**
	 * The subscriptions of a channel.
	 * @param channel the channel
	 * @return an immutable snapshot, empty when the channel is closed
	 */
	Set<String> subscriptions(Channel channel);

	/**
	 * Whether a channel is open: not closed, not closing.
	 * @param channel the channel
	 * @return {@code true} if messages sent to it will be queued
	 */
	boolean isOpen(Channel channel);

	/**
	 * Close a channel after the messages already queued to it are written. It leaves
	 * every subscription at once and accepts no more messages.
	 * @param channel the channel
	 * @param status the close code and reason to send
	 * @return {@code true} if the channel was open
	 */
	boolean close(Channel channel, CloseStatus status);

}
