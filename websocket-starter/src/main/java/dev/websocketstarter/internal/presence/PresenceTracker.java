package dev.websocketstarter.internal.presence;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;

import dev.websocketstarter.registry.Channel;
import dev.websocketstarter.registry.Presence;
import dev.websocketstarter.registry.PresenceEvent;
import dev.websocketstarter.registry.PresenceEvent.Kind;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Turns the changes of channels, this node's and the other nodes', into users joining and
 * leaving subscriptions, for the apps with presence on. It keeps what it last knew of
 * each tracked channel and how many channels each user has in each subscription, all on
 * one thread of its own, which also publishes the events, in order, and sends the diffs:
 * never on the thread that subscribed, multicast or closed.
 * <p>
 * Every node tracks every channel of the apps with presence on, so each node publishes
 * the cluster's events to its own listeners and sends diffs to its own subscribers.
 */
public final class PresenceTracker {

	private static final Log logger = LogFactory.getLog("dev.websocketstarter");

	/** The most characters of one diff message, well below the default send buffer. */
	static final int MAX_DIFF_CHARS = 16 * 1024;

	private final Function<String, String> scopeOfApp;

	private final Function<Channel, @Nullable SharedState> localState;

	private final DiffSender diffs;

	/** The tracked apps, with their diff intervals; zero for none. */
	private final Map<String, Duration> apps = new ConcurrentHashMap<>();

	private final ScheduledThreadPoolExecutor thread;

	private volatile Consumer<PresenceEvent> listener = (event) -> {
	};

	/** What is known of each tracked channel; presence thread only. */
	private final Map<Channel, SharedState> known = new HashMap<>();

	/** Per scope and subscription, the channels of each user; presence thread only. */
	private final Map<String, Map<String, Integer>> users = new HashMap<>();

	/** Per scope and subscription, the diff to send when its interval ends. */
	private final Map<String, PresenceDiff> pending = new HashMap<>();

	/**
	 * Create a tracker.
	 * @param scopeOfApp the subscription scope of an app, by name
	 * @param localState what this node's channel is now, {@code null} once it closed
	 * @param diffs sends a diff to this node's subscribers of a subscription
	 */
	public PresenceTracker(Function<String, String> scopeOfApp, Function<Channel, @Nullable SharedState> localState,
			DiffSender diffs) {
		this.scopeOfApp = scopeOfApp;
		this.localState = localState;
		this.diffs = diffs;
		this.thread = new ScheduledThreadPoolExecutor(1, (task) -> {
			Thread thread = new Thread(task, "ws-presence");
			thread.setDaemon(true);
			return thread;
		});
	}

	/**
	 * Track the channels of an app.
	 * @param app the app's name
	 * @param diffInterval how long the joins and leaves of a subscription are gathered
	 * into one diff to its subscribers; zero for no diffs
	 */
	public void track(String app, Duration diffInterval) {
		this.apps.put(app, diffInterval);
	}

	/**
	 * Whether an app's channels are tracked.
	 * @param app the app's name
	 * @return {@code true} if they are
	 */
	public boolean tracks(String app) {
		return this.apps.containsKey(app);
	}

	/**
	 * Set who hears of users joining and leaving.
	 * @param listener the listener
	 */
	public void setListener(Consumer<PresenceEvent> listener) {
		this.listener = listener;
	}

	/**
	 * A channel of this node changed; its state is read on the presence thread.
	 * @param channel the channel
	 */
	public void localChanged(Channel channel) {
		if (tracks(channel.app())) {
			run(() -> apply(channel, this.localState.apply(channel)));
		}
	}

	/**
	 * A channel of another node changed, as the cluster view learned.
	 * @param channel the channel
	 * @param state what it is now, {@code null} once it closed or its node died
	 */
	public void remoteChanged(Channel channel, @Nullable SharedState state) {
		if (tracks(channel.app())) {
			run(() -> apply(channel, state));
		}
	}

	private void run(Runnable task) {
		try {
			this.thread.execute(task);
		}
		catch (RejectedExecutionException ex) {
			// Shutting down
		}
	}

	private void apply(Channel channel, @Nullable SharedState now) {
		SharedState before = (now != null) ? this.known.put(channel, now) : this.known.remove(channel);
		String scope = this.scopeOfApp.apply(channel.app());
		if (before != null) {
			for (String subscription : before.subscriptions()) {
				if (now == null || !now.subscriptions().contains(subscription)) {
					change(scope, subscription, channel, before, Kind.LEAVE);
				}
			}
		}
		if (now != null) {
			for (String subscription : now.subscriptions()) {
				if (before == null || !before.subscriptions().contains(subscription)) {
					change(scope, subscription, channel, now, Kind.JOIN);
				}
			}
		}
	}

	private void change(String scope, String subscription, Channel channel, SharedState state, Kind kind) {
		String key = scope + '\n' + subscription;
		Map<String, Integer> counts = this.users.computeIfAbsent(key, (name) -> new HashMap<>());
		// Counted as presence() counts users
		String user = new Presence.Member(channel, state.user(), Map.of()).userKey();
		int before = counts.getOrDefault(user, 0);
		int after = (kind == Kind.JOIN) ? before + 1 : Math.max(0, before - 1);
		if (after == 0) {
			counts.remove(user);
			if (counts.isEmpty()) {
				this.users.remove(key);
			}
		}
		else {
			counts.put(user, after);
		}
		if ((kind == Kind.JOIN && before == 0) || (kind == Kind.LEAVE && before > 0 && after == 0)) {
			PresenceEvent event = new PresenceEvent(scope, subscription, kind, state.user(), channel,
					state.attributes());
			publish(event);
			gather(key, scope, subscription, channel.app(), event);
		}
	}

	private void publish(PresenceEvent event) {
		try {
			this.listener.accept(event);
		}
		catch (RuntimeException ex) {
			logger.warn("A listener of presence events failed on " + event, ex);
		}
	}

	private void gather(String key, String scope, String subscription, String app, PresenceEvent event) {
		Duration interval = this.apps.getOrDefault(app, Duration.ZERO);
		if (interval.isZero()) {
			return;
		}
		this.pending.computeIfAbsent(key, (name) -> {
			this.thread.schedule(() -> sendDiff(key, scope, subscription), interval.toNanos(), TimeUnit.NANOSECONDS);
			return new PresenceDiff(subscription);
		}).add(event);
	}

	private void sendDiff(String key, String scope, String subscription) {
		PresenceDiff diff = this.pending.remove(key);
		if (diff != null) {
			try {
				Map<String, Integer> users = this.users.get(key);
				for (String message : diff.toMessages(MAX_DIFF_CHARS, (users != null) ? users.size() : 0)) {
					this.diffs.send(scope, subscription, message);
				}
			}
			catch (RuntimeException ex) {
				logger.warn("Sending a presence diff to " + subscription + " failed", ex);
			}
		}
	}

	/**
	 * Stop the presence thread; events and diffs not yet sent are dropped.
	 */
	public void stop() {
		this.thread.shutdownNow();
	}

	/**
	 * Sends a presence diff to this node's subscribers of a subscription.
	 */
	@FunctionalInterface
	public interface DiffSender {

		/**
		 * Send a diff.
		 * @param scope the subscription scope
		 * @param subscription the subscription
		 * @param diff the diff message
		 */
		void send(String scope, String subscription, String diff);

	}

}
