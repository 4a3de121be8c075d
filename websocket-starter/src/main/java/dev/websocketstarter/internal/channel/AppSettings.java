package dev.websocketstarter.internal.channel;

import java.time.Duration;
import java.util.List;

import dev.websocketstarter.internal.history.HistorySettings;
import dev.websocketstarter.registry.OverflowPolicy;

import org.springframework.util.unit.DataSize;

/**
 * The options of one WebSocket app, resolved from {@code websocket.apps.<name>} and
 * {@code websocket.defaults}.
 *
 * @param name the app name
 * @param urls the URLs the app serves, each its own subscription
 * @param allowedOrigins origin patterns allowed to connect; empty means the same origin
 * as the Host header only
 * @param maxMessageSize the largest inbound message; larger ones close the channel with
 * 1009
 * @param idleTimeout how long a channel may receive no text or binary message before it
 * is closed; zero for no limit
 * @param pingInterval how often the server pings each channel; a channel that does not
 * answer before the next ping is closed; zero for no pings
 * @param sendBufferLimit the most bytes queued for one channel before its overflow policy
 * applies
 * @param sendTimeLimit the longest one write to a channel may take before the channel is
 * closed
 * @param overflow what happens when a channel's queue exceeds its send buffer limit
 * @param autoSubscribe whether a new channel is subscribed to the URL it connected to
 * @param maxConnections the most open channels of the app, 0 for no limit
 * @param permessageDeflate whether messages are compressed for clients that offer the
 * permessage-deflate extension
 * @param subscriptionScope the scope of the app's subscriptions, shared only with apps of
 * the same scope
 * @param closeWithSession whether a channel opened by an authenticated HTTP session
 * closes when the session ends
 * @param presence whether users joining and leaving the app's subscriptions are published
 * as events
 * @param presenceDiffs how long joins and leaves are gathered into one diff multicast to
 * the subscription; zero for none
 * @param history which subscriptions keep their multicasts, and how many
 * @param messageTimeLimit how long a message in fragments may take from its first to its
 * last, zero for ever
 */
public record AppSettings(String name, List<String> urls, List<String> allowedOrigins, DataSize maxMessageSize,
		Duration idleTimeout, Duration pingInterval, DataSize sendBufferLimit, Duration sendTimeLimit,
		OverflowPolicy overflow, boolean autoSubscribe, int maxConnections, boolean permessageDeflate,
		String subscriptionScope, boolean closeWithSession, boolean presence, Duration presenceDiffs,
		HistorySettings history, Duration messageTimeLimit) {

	/**
	 * Create settings, copying the lists.
	 * @param name the app name
	 * @param urls the URLs the app serves
	 * @param allowedOrigins origin patterns allowed to connect
	 * @param maxMessageSize the largest inbound message
	 * @param idleTimeout the idle timeout, zero for none
	 * @param pingInterval the ping interval, zero for none
	 * @param sendBufferLimit the most bytes queued for one channel
	 * @param sendTimeLimit the longest one write may take
	 * @param overflow the overflow policy
	 * @param autoSubscribe whether channels are subscribed to their URL
	 * @param maxConnections the most open channels, 0 for no limit
	 * @param permessageDeflate whether to compress for clients that offer it
	 * @param subscriptionScope the scope of the app's subscriptions
	 * @param closeWithSession whether channels close with their login session
	 * @param presence whether joins and leaves are published
	 * @param presenceDiffs the diff interval, zero for none
	 * @param history which subscriptions keep their multicasts
	 * @param messageTimeLimit how long a message in parts may take once its first part
	 * came, zero for ever
	 */
	public AppSettings {
		urls = List.copyOf(urls);
		allowedOrigins = List.copyOf(allowedOrigins);
	}

	/**
	 * The time a message in parts may take by default: 5 seconds for every 64 KB of the
	 * largest message, so that a peer trickling one holds a connection and its buffer for
	 * a bounded time.
	 * @param maxMessageSize the largest inbound message
	 * @return the time limit
	 */
	public static Duration defaultMessageTimeLimit(DataSize maxMessageSize) {
		long sixtyFourKilobytes = Math.max(1, (maxMessageSize.toBytes() + 65_535) / 65_536);
		return Duration.ofSeconds(5).multipliedBy(sixtyFourKilobytes);
	}

	/**
	 * Whether the app limits its open channels.
	 * @return {@code true} if {@link #maxConnections()} is positive
	 */
	public boolean limitsConnections() {
		return this.maxConnections > 0;
	}

}
