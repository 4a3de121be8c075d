package dev.websocketstarter.internal.presence;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;

import dev.websocketstarter.registry.Channel;
import dev.websocketstarter.registry.PresenceEvent;
import dev.websocketstarter.registry.PresenceEvent.Kind;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Turns the changes of channels, this node's and the other nodes', into users joining and
 * leaving subscriptions, for the apps with presence on. It keeps what it last knew of
 * each tracked channel and how many channels each user has in each subscription, all on
 * one thread of its own, which also publishes the events: in order, and never on the
 * thread that subscribed, multicast or closed.
 */
public final class PresenceTracker {

	private static final Log logger = LogFactory.getLog("dev.websocketstarter");

	private final Function<String, String> scopeOfApp;

	private final Function<Channel, @Nullable SharedState> localState;

	private final Set<String> apps = ConcurrentHashMap.newKeySet();

	private final ExecutorService thread;

	private volatile Consumer<PresenceEvent> listener = (event) -> {
	};

	/** What is known of each tracked channel; presence thread only. */
	private final Map<Channel, SharedState> known = new HashMap<>();

	/**
	 * Per scope and subscription, the channels each user has in it; presence thread only.
	 */
	private final Map<String, Map<String, Integer>> users = new HashMap<>();

	/**
	 * Create a tracker.
	 * @param scopeOfApp the subscription scope of an app, by name
	 * @param localState what this node's channel is now, {@code null} once it closed
	 */
	public PresenceTracker(Function<String, String> scopeOfApp, Function<Channel, @Nullable SharedState> localState) {
		this.scopeOfApp = scopeOfApp;
		this.localState = localState;
		this.thread = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), (task) -> {
			Thread thread = new Thread(task, "ws-presence");
			thread.setDaemon(true);
			return thread;
		});
	}

	/**
	 * Track the channels of an app.
	 * @param app the app's name
	 */
	public void track(String app) {
		this.apps.add(app);
	}

	/**
	 * Whether an app's channels are tracked.
	 * @param app the app's name
	 * @return {@code true} if they are
	 */
	public boolean tracks(String app) {
		return this.apps.contains(app);
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
		String user = (state.user() != null) ? "u:" + state.user() : "c:" + channel;
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
			publish(new PresenceEvent(scope, subscription, kind, state.user(), channel, state.attributes()));
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

	/**
	 * Stop the presence thread; events not yet published are dropped.
	 */
	public void stop() {
		this.thread.shutdownNow();
	}

}
