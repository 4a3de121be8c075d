package dev.websocketstarter.internal.history;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.function.ToIntFunction;

import dev.websocketstarter.internal.history.Envelopes.Recovery;
import dev.websocketstarter.internal.history.RecoveryPositions.Position;
import dev.websocketstarter.internal.history.SubscriptionHistory.Join;
import dev.websocketstarter.registry.History;
import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * The histories of this node's subscriptions, for the subscriptions that keep one, per
 * subscription scope.
 * <p>
 * Not API: the registry multicasts, subscribes and reads through it.
 */
public final class Histories {

	private final Map<String, HistorySettings> scopes = new ConcurrentHashMap<>();

	private final Map<String, SubscriptionHistory> histories = new ConcurrentHashMap<>();

	private final Clock clock;

	private final Predicate<String> hasSubscribers;

	private final RecoveryStats stats = new RecoveryStats();

	private volatile @Nullable HistorySource source;

	/** The number of histories after the last sweep; a sweep runs when it doubled. */
	private volatile int sweptSize = 64;

	/**
	 * Create the histories.
	 * @param clock the clock of the messages' times and ages
	 * @param hasSubscribers whether the subscription of a key ({@code scope + '\n' +
	 * subscription}) has subscribers on this node
	 */
	public Histories(Clock clock, Predicate<String> hasSubscribers) {
		this.clock = clock;
		this.hasSubscribers = hasSubscribers;
	}

	/**
	 * Learn which subscriptions of a scope keep history.
	 * @param scope the subscription scope of an app
	 * @param app the app's name, for the message when apps of one scope disagree
	 * @param settings the app's history settings
	 * @throws IllegalStateException if another app of the scope keeps other history
	 */
	public void add(String scope, String app, HistorySettings settings) {
		HistorySettings before = this.scopes.putIfAbsent(scope, settings);
		if (before != null && !before.equals(settings)) {
			throw new IllegalStateException("Apps of subscription-scope '" + scope
					+ "' keep different history: give app '" + app + "' the same history settings as the others");
		}
	}

	/**
	 * The history of a subscription, made on first use.
	 * @return the history, {@code null} if the subscription keeps none
	 */
	public @Nullable SubscriptionHistory find(String scope, String subscription) {
		// Every multicast asks: an app without history pays one lookup, no allocation
		HistorySettings settings = this.scopes.get(scope);
		if (settings == null || !settings.isOn()) {
			return null;
		}
		String key = key(scope, subscription);
		SubscriptionHistory history = this.histories.get(key);
		if (history != null) {
			return history;
		}
		if (!settings.keeps(subscription)) {
			return null;
		}
		history = this.histories.computeIfAbsent(key,
				(name) -> new SubscriptionHistory(scope, subscription, settings, this.source));
		if (this.histories.size() > 2 * this.sweptSize) {
			sweep();
		}
		return history;
	}

	/**
	 * Keep the histories as copies of the cluster's, from now on.
	 * @param source where the cluster keeps them
	 */
	public void setSource(HistorySource source) {
		this.source = source;
		this.histories.clear();
	}

	/**
	 * Keep and deliver a message multicast through the cluster, with its epoch and
	 * offset.
	 * @return how many subscribers it was queued for; 0 if the subscription keeps no
	 * history here
	 */
	public int replicate(String scope, String subscription, String epoch, long offset, String text, Instant at,
			ToIntFunction<String> deliver) {
		SubscriptionHistory history = find(scope, subscription);
		if (history == null) {
			return 0;
		}
		int queued = history.replicate(epoch, offset, text, at, this.clock.instant(), deliver);
		while (queued < 0) {
			queued = again(history).replicate(epoch, offset, text, at, this.clock.instant(), deliver);
		}
		return queued;
	}

	/**
	 * Multicast a text message to a subscription with history.
	 * @return how many subscribers it was queued for
	 */
	public int multicast(SubscriptionHistory history, String text, ToIntFunction<String> deliver) {
		int queued = history.multicast(text, this.clock.instant(), deliver);
		while (queued < 0) {
			queued = again(history).multicast(text, this.clock.instant(), deliver);
		}
		return queued;
	}

	/**
	 * Join a channel to a subscription with history, recovering what it missed if it
	 * asked to.
	 * @param positions where the channel left its subscriptions, {@code null} if nowhere
	 * @param maxBytes the most bytes of missed messages the channel can take at once
	 * @param join subscribes the channel and queues the frames it is given first
	 */
	public void join(SubscriptionHistory history, String subscription, @Nullable RecoveryPositions positions,
			long maxBytes, Join join) {
		Position position = (positions != null) ? positions.take(subscription) : null;
		Recovery recovery = history.join(position, maxBytes, this.clock.instant(), join);
		while (recovery == null) {
			recovery = again(history).join(position, maxBytes, this.clock.instant(), join);
		}
		this.stats.count(recovery);
	}

	/**
	 * The history that replaced one a sweep retired.
	 */
	private SubscriptionHistory again(SubscriptionHistory retired) {
		SubscriptionHistory history = find(retired.scope(), retired.subscription());
		Assert.state(history != null, "A retired history's subscription keeps history");
		return history;
	}

	/**
	 * Read the last messages of a subscription.
	 * @throws IllegalArgumentException if it keeps no history
	 */
	public History last(String scope, String subscription, int maxMessages) {
		return require(scope, subscription).last(maxMessages, this.clock.instant());
	}

	/**
	 * Read the messages of a subscription after a position.
	 * @throws IllegalArgumentException if it keeps no history
	 */
	public History since(String scope, String subscription, String epoch, long offset) {
		return require(scope, subscription).since(epoch, offset, this.clock.instant());
	}

	private SubscriptionHistory require(String scope, String subscription) {
		SubscriptionHistory history = find(scope, subscription);
		if (history == null) {
			throw new IllegalArgumentException("Subscription '" + subscription
					+ "' keeps no history: match it in the app's websocket.apps.<app>.history.subscriptions");
		}
		return history;
	}

	/**
	 * The history settings of a scope.
	 * @return the settings, {@link HistorySettings#NONE} for a scope without history
	 */
	public HistorySettings settings(String scope) {
		return this.scopes.getOrDefault(scope, HistorySettings.NONE);
	}

	/**
	 * Whether a subscription keeps history; binary multicasts to it are refused.
	 */
	public boolean keeps(String scope, String subscription) {
		HistorySettings settings = this.scopes.get(scope);
		return settings != null && settings.keeps(subscription);
	}

	/**
	 * The recoveries asked for so far.
	 * @return the counts
	 */
	public RecoveryStats stats() {
		return this.stats;
	}

	/**
	 * The histories kept, by scope and subscription.
	 * @return the number of messages and bytes each keeps
	 */
	public List<Size> sizes() {
		return this.histories.entrySet()
			.stream()
			.map((entry) -> new Size(entry.getKey().substring(0, entry.getKey().indexOf('\n')),
					entry.getKey().substring(entry.getKey().indexOf('\n') + 1), entry.getValue().size(),
					entry.getValue().bytes()))
			.toList();
	}

	/**
	 * Forget the histories that keep nothing and have no subscriber here, so that a
	 * subscription named per user or per request does not stay in memory.
	 */
	void sweep() {
		this.histories.forEach((key, history) -> history.retireIfUnused(this.clock.instant(),
				() -> this.hasSubscribers.test(key), () -> this.histories.remove(key, history)));
		this.sweptSize = Math.max(64, this.histories.size());
	}

	static String key(String scope, String subscription) {
		return scope + '\n' + subscription;
	}

	/**
	 * How much one subscription keeps.
	 *
	 * @param scope the subscription scope
	 * @param subscription the subscription
	 * @param messages the messages kept
	 * @param bytes their text's bytes in UTF-8
	 */
	public record Size(String scope, String subscription, int messages, long bytes) {

	}

}
