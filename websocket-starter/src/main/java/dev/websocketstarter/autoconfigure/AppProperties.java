package dev.websocketstarter.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import dev.websocketstarter.registry.OverflowPolicy;
import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;
import org.springframework.util.unit.DataSize;

/**
 * One WebSocket app: its URLs, and the options it sets itself; an option it leaves unset
 * ({@code null}) is taken from {@code websocket.defaults}.
 */
public class AppProperties {

	/**
	 * URLs the app serves, each starting with '/'. Each URL has its own subscribers.
	 * Empty turns the app off.
	 */
	private List<String> urls = new ArrayList<>();

	/**
	 * Origin patterns allowed to open channels; see websocket.defaults.
	 */
	private @Nullable List<String> allowedOrigins;

	/**
	 * Maximum size of an inbound message; see websocket.defaults.
	 */
	private @Nullable DataSize maxMessageSize;

	/**
	 * Time a channel may receive no message before it is closed; see websocket.defaults.
	 */
	private @Nullable Duration idleTimeout;

	/**
	 * Interval of server pings; see websocket.defaults.
	 */
	private @Nullable Duration pingInterval;

	/**
	 * Maximum bytes queued for one channel; see websocket.defaults.
	 */
	private @Nullable DataSize sendBufferLimit;

	/**
	 * Maximum time a write to a channel may wait; see websocket.defaults.
	 */
	private @Nullable Duration sendTimeLimit;

	/**
	 * Maximum time a message sent in fragments may take from its first fragment to its
	 * last, whatever else the peer sends meanwhile; past it the channel is closed with
	 * 1008. Defaults to 5s for every 64KB of max-message-size, so a peer trickling a
	 * message holds its connection and buffer for a bounded time.
	 */
	private @Nullable Duration messageTimeLimit;

	/**
	 * What happens when a channel's queue is full; see websocket.defaults.
	 */
	private @Nullable OverflowPolicy overflow;

	/**
	 * Whether a new channel is subscribed to its URL; see websocket.defaults.
	 */
	private @Nullable Boolean autoSubscribe;

	/**
	 * Maximum open channels of the app; see websocket.defaults.
	 */
	private @Nullable Integer maxConnections;

	/**
	 * Whether to compress for clients that offer it; see websocket.defaults.
	 */
	private @Nullable Boolean permessageDeflate;

	/**
	 * Whether channels close when their login session ends; see websocket.defaults.
	 */
	private @Nullable Boolean closeWithSession;

	/**
	 * Whether joins and leaves are published as events; see websocket.defaults.
	 */
	private @Nullable Boolean presence;

	/**
	 * Interval of presence diffs to subscribers; see websocket.defaults.
	 */
	private @Nullable Duration presenceDiffs;

	/**
	 * Scope of the app's subscriptions: apps of the same scope share them, apps of
	 * different scopes never reach each other's. By default the app's own name.
	 */
	private @Nullable String subscriptionScope;

	/**
	 * Multicasts kept per subscription; each option not set here comes from
	 * websocket.defaults.history.
	 */
	private final History history = new History();

	public List<String> getUrls() {
		return this.urls;
	}

	public void setUrls(List<String> urls) {
		Set<String> seen = new HashSet<>();
		for (String url : urls) {
			Assert.isTrue(url.startsWith("/"), () -> "URL '" + url + "' must start with '/', e.g. '/" + url + "'");
			Assert.isTrue(seen.add(url), () -> "URL '" + url + "' is listed twice");
		}
		this.urls = urls;
	}

	public @Nullable List<String> getAllowedOrigins() {
		return this.allowedOrigins;
	}

	public void setAllowedOrigins(@Nullable List<String> allowedOrigins) {
		this.allowedOrigins = allowedOrigins;
	}

	public @Nullable DataSize getMaxMessageSize() {
		return this.maxMessageSize;
	}

	public void setMaxMessageSize(@Nullable DataSize maxMessageSize) {
		AppOptions.requireMessageSize(maxMessageSize);
		this.maxMessageSize = maxMessageSize;
	}

	public @Nullable Duration getIdleTimeout() {
		return this.idleTimeout;
	}

	public void setIdleTimeout(@Nullable Duration idleTimeout) {
		AppOptions.requireNotNegative(idleTimeout);
		this.idleTimeout = idleTimeout;
	}

	public @Nullable Duration getPingInterval() {
		return this.pingInterval;
	}

	public void setPingInterval(@Nullable Duration pingInterval) {
		AppOptions.requireNotNegative(pingInterval);
		this.pingInterval = pingInterval;
	}

	public @Nullable DataSize getSendBufferLimit() {
		return this.sendBufferLimit;
	}

	public void setSendBufferLimit(@Nullable DataSize sendBufferLimit) {
		AppOptions.requirePositive(sendBufferLimit);
		this.sendBufferLimit = sendBufferLimit;
	}

	public @Nullable Duration getSendTimeLimit() {
		return this.sendTimeLimit;
	}

	public void setSendTimeLimit(@Nullable Duration sendTimeLimit) {
		AppOptions.requirePositive(sendTimeLimit);
		this.sendTimeLimit = sendTimeLimit;
	}

	public @Nullable Duration getMessageTimeLimit() {
		return this.messageTimeLimit;
	}

	public void setMessageTimeLimit(@Nullable Duration messageTimeLimit) {
		AppOptions.requirePositive(messageTimeLimit);
		this.messageTimeLimit = messageTimeLimit;
	}

	public @Nullable OverflowPolicy getOverflow() {
		return this.overflow;
	}

	public void setOverflow(@Nullable OverflowPolicy overflow) {
		this.overflow = overflow;
	}

	public @Nullable Boolean getAutoSubscribe() {
		return this.autoSubscribe;
	}

	public void setAutoSubscribe(@Nullable Boolean autoSubscribe) {
		this.autoSubscribe = autoSubscribe;
	}

	public @Nullable Integer getMaxConnections() {
		return this.maxConnections;
	}

	public void setMaxConnections(@Nullable Integer maxConnections) {
		AppOptions.requireMaxConnections(maxConnections);
		this.maxConnections = maxConnections;
	}

	public @Nullable Boolean getPermessageDeflate() {
		return this.permessageDeflate;
	}

	public void setPermessageDeflate(@Nullable Boolean permessageDeflate) {
		this.permessageDeflate = permessageDeflate;
	}

	public @Nullable Boolean getCloseWithSession() {
		return this.closeWithSession;
	}

	public void setCloseWithSession(@Nullable Boolean closeWithSession) {
		this.closeWithSession = closeWithSession;
	}

	public @Nullable String getSubscriptionScope() {
		return this.subscriptionScope;
	}

	public void setSubscriptionScope(@Nullable String subscriptionScope) {
		Assert.isTrue(subscriptionScope == null || !subscriptionScope.isBlank(),
				"'subscription-scope' must not be blank; leave it out for the app's own scope");
		this.subscriptionScope = subscriptionScope;
	}

	public @Nullable Boolean getPresence() {
		return this.presence;
	}

	public void setPresence(@Nullable Boolean presence) {
		this.presence = presence;
	}

	public @Nullable Duration getPresenceDiffs() {
		return this.presenceDiffs;
	}

	public void setPresenceDiffs(@Nullable Duration presenceDiffs) {
		Assert.isTrue(presenceDiffs == null || !presenceDiffs.isNegative(), "'presence-diffs' must not be negative");
		this.presenceDiffs = presenceDiffs;
	}

	public History getHistory() {
		return this.history;
	}

	/**
	 * Which subscriptions of the app keep their multicasts; see websocket.defaults.
	 */
	public static class History {

		/**
		 * Patterns of the subscriptions kept; see websocket.defaults.history.
		 */
		private @Nullable List<String> subscriptions;

		/**
		 * Most messages kept per subscription; see websocket.defaults.history.
		 */
		private @Nullable Integer size;

		/**
		 * Most bytes kept per subscription; see websocket.defaults.history.
		 */
		private @Nullable DataSize maxBytes;

		/**
		 * Longest a message is kept; see websocket.defaults.history.
		 */
		private @Nullable Duration maxAge;

		public @Nullable List<String> getSubscriptions() {
			return this.subscriptions;
		}

		public void setSubscriptions(@Nullable List<String> subscriptions) {
			AppOptions.History.requirePatterns(subscriptions);
			this.subscriptions = subscriptions;
		}

		public @Nullable Integer getSize() {
			return this.size;
		}

		public void setSize(@Nullable Integer size) {
			AppOptions.requireHistory(size, null, null);
			this.size = size;
		}

		public @Nullable DataSize getMaxBytes() {
			return this.maxBytes;
		}

		public void setMaxBytes(@Nullable DataSize maxBytes) {
			AppOptions.requireHistory(null, maxBytes, null);
			this.maxBytes = maxBytes;
		}

		public @Nullable Duration getMaxAge() {
			return this.maxAge;
		}

		public void setMaxAge(@Nullable Duration maxAge) {
			AppOptions.requireHistory(null, null, maxAge);
			this.maxAge = maxAge;
		}

	}

}
