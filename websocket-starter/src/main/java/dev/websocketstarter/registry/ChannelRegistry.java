package dev.websocketstarter.registry;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

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
 * Apps are isolated from each other: a channel subscribes in its own app's subscriptions,
 * and a multicast reaches one app's subscribers only, so the name {@code /chat} means
 * different groups to two apps. Apps share subscriptions only when they are configured
 * with the same {@code subscription-scope}. The registry of one app, {@link #app}, places
 * names among that app's subscriptions; this registry places an app's URL among that
 * app's, and any other name among the subscriptions all apps share, refusing it with an
 * {@link IllegalArgumentException} when apps keep separate ones.
 * <p>
 * Messages to one channel are written in the order they were queued, by one writer at a
 * time, coalescing queued messages into as few socket writes as the server allows. Each
 * channel's queue is bounded by its app's {@code send-buffer-limit} and
 * {@code send-time-limit}; its {@code overflow} policy decides what happens past them.
 */
public interface ChannelRegistry {

	/**
	 * The most bytes, in UTF-8, of a claim's namespace and of its value.
	 */
	int MAX_CLAIM_BYTES = 1024;

	/**
	 * The registry as one app sees it: subscription names, subscription counts and users
	 * are that app's.
	 * @param app the app's name, as configured under {@code websocket.apps}
	 * @return the app's registry
	 * @throws IllegalArgumentException if no such app is on
	 */
	ChannelRegistry app(String app);

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
	 * Subscribe a channel of this node and greet it, with no lock in the caller: the
	 * channel joins, then the greeting (a welcome, the history) is made and queued, then
	 * whatever was sent to the channel since it joined. No multicast reaches it before
	 * the greeting, and a message multicast before it joined is in what the greeting
	 * read, provided it was recorded before it was multicast: a newcomer misses nothing.
	 * A message recorded and multicast while the channel joined may reach it in both.
	 * @param channel the channel
	 * @param subscription the subscription
	 * @param greeting makes the messages to send first, in order; runs at most once, on
	 * the calling thread
	 * @return {@code true} if the channel is open on this node and was not subscribed
	 * yet; otherwise there is no greeting
	 */
	boolean subscribe(Channel channel, String subscription, Supplier<? extends List<String>> greeting);

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
	 * The subscriptions that have subscribers, such as the symbols anyone follows.
	 * @return an immutable snapshot of the subscriptions and their subscriber counts
	 */
	Map<String, Integer> subscriptionCounts();

	/**
	 * Who is subscribed to a subscription, cluster-wide: every channel with its user and
	 * shared attributes, and how many distinct users they are.
	 * @param subscription the subscription
	 * @return the presence
	 */
	default Presence presence(String subscription) {
		return presence(subscription, Integer.MAX_VALUE);
	}

	/**
	 * Who is subscribed to a subscription, listing at most some of them: for a
	 * subscription with a large membership, the counts with few or no members.
	 * @param subscription the subscription
	 * @param maxMembers the most members to list, sorted by handle; 0 for the counts only
	 * @return the presence
	 */
	Presence presence(String subscription, int maxMembers);

	/**
	 * The last messages a subscription kept, for a newcomer, say.
	 * @param subscription a subscription that keeps history (see the
	 * {@code history.subscriptions} option)
	 * @param maxMessages the most messages to read, newest last; 0 for the epoch and
	 * offset only
	 * @return the messages, {@link History#complete() complete}
	 * @throws IllegalArgumentException if the subscription keeps no history
	 */
	History history(String subscription, int maxMessages);

	/**
	 * The messages a subscription kept after a position, for a client that reconnects.
	 * @param subscription a subscription that keeps history
	 * @param epoch the epoch of the position
	 * @param offset the offset of the last message the client has
	 * @return the messages after the offset, oldest first; not {@link History#complete()
	 * complete}, and empty, when the epoch is another or messages after the offset are no
	 * longer kept
	 * @throws IllegalArgumentException if the subscription keeps no history
	 */
	History history(String subscription, String epoch, long offset);

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
	 * The value of a channel's attribute. A channel on another node of a cluster shows
	 * its shared attributes only.
	 * @param <T> the type of the value
	 * @param channel the channel, open, or closed while its handler is in
	 * {@link ChannelHandler#onClose}
	 * @param attribute the attribute
	 * @return the value, {@code null} if it is not set
	 */
	<T> @Nullable T attribute(Channel channel, ChannelAttribute<T> attribute);

	/**
	 * Set or remove an attribute of an open channel of this node.
	 * @param <T> the type of the value
	 * @param channel the channel
	 * @param attribute the attribute
	 * @param value the value, {@code null} to remove it
	 * @return {@code true} if the channel is open on this node
	 * @throws IllegalArgumentException if a shared value's text is longer than
	 * {@link ChannelAttribute#MAX_SHARED_BYTES}
	 */
	<T> boolean setAttribute(Channel channel, ChannelAttribute<T> attribute, @Nullable T value);

	/**
	 * Claim a value that no other open channel of the app holds in a namespace, on this
	 * node or any other: a user name unique in a room, say. The channel holds it until it
	 * closes or {@link #release releases} it; claiming a value it holds already succeeds.
	 * Claims are kept per subscription scope, so channels of apps with separate scopes
	 * may hold the same value. With a cluster this waits for one Redis round trip, and a
	 * node that dies loses its claims within the node TTL.
	 * @param channel an open channel of this node
	 * @param namespace what the value is unique in, such as {@code "name:/chat/room-1"};
	 * at most {@value #MAX_CLAIM_BYTES} bytes in UTF-8
	 * @param value the value; at most {@value #MAX_CLAIM_BYTES} bytes in UTF-8
	 * @return whether the channel holds the value now
	 * @throws IllegalArgumentException if the namespace or value is empty or too long
	 */
	ClaimResult claim(Channel channel, String namespace, String value);

	/**
	 * Give up a value a channel {@link #claim claimed}, so that another channel may claim
	 * it.
	 * @param channel the channel
	 * @param namespace the namespace of the claim
	 * @param value the value
	 * @return {@code true} if the channel held the value
	 */
	boolean release(Channel channel, String namespace, String value);

	/**
	 * Queue a text message to every channel of a user, such as all their tabs: the
	 * channels whose handshake had a principal of that name.
	 * @param user the principal's name
	 * @param text the message
	 * @return the number of channels on this node it was queued for
	 */
	int sendToUser(String user, String text);

	/**
	 * Queue a binary message to every channel of a user.
	 * @param user the principal's name
	 * @param data the message; copied, so the caller may reuse the array
	 * @return the number of channels on this node it was queued for
	 */
	int sendToUser(String user, byte[] data);

	/**
	 * Close every channel of a user after the messages queued to them are written.
	 * @param user the principal's name
	 * @param status the close code and reason to send
	 * @return the number of channels on this node that were open and are now closing
	 */
	int closeUser(String user, CloseStatus status);

	/**
	 * Close a channel after the messages already queued to it are written. It leaves
	 * every subscription at once and accepts no more messages.
	 * @param channel the channel
	 * @param status the close code and reason to send
	 * @return {@code true} if the channel was open
	 */
	boolean close(Channel channel, CloseStatus status);

}
