package dev.websocketstarter.cluster;

import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

import dev.websocketstarter.internal.channel.LocalNode;
import dev.websocketstarter.internal.channel.SubscriptionRouting;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.RedisPubSubListener;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Subscribes this node, with Redis 7's sharded pub/sub, to the shard channel of each
 * subscription it has local subscribers for, and to no other: {@code SSUBSCRIBE} when its
 * first local subscriber joins, {@code SUNSUBSCRIBE} when its last leaves.
 * <p>
 * Each shard channel has at most one command on its way to Redis: what its subscribers
 * want next is sent when Redis answered, so a subscription that comes and goes quickly
 * sends only what changes the outcome, and the commands of one channel never overtake
 * each other. The first subscriber of a subscription waits in {@link #joining} until
 * Redis acknowledged this node's {@code SSUBSCRIBE} (within the command timeout; not
 * while the relay is not up, nor on the relay's thread or a Netty event loop, where the
 * acknowledgement itself is delivered), so that every multicast Redis receives after the
 * subscribe returned reaches the subscriber.
 * <p>
 * After an outage, and when the subscriber connection reconnected, the connection is
 * replaced and every shard channel this node holds subscribed again: Redis then holds
 * exactly this node's subscriptions, whatever was lost or queued while it was away. A
 * shard channel Redis unsubscribed by itself, as when its slot moved to another shard, is
 * subscribed again.
 */
final class ShardRoutes implements SubscriptionRouting {

	private static final Log logger = LogFactory.getLog(LocalNode.LOG_CATEGORY);

	private final RedisKeys keys;

	private final RelayConnections connections;

	private final Executor relayThread;

	private final BooleanSupplier waitAllowed;

	private final Consumer<RuntimeException> failed;

	private final Listener listener;

	private final Map<String, ShardRoute> routes = new ConcurrentHashMap<>();

	/** The follows given so far: each new one is the next number. */
	private final AtomicLong follows = new AtomicLong();

	private final AtomicLong generations = new AtomicLong();

	private final AtomicLong losses = new AtomicLong();

	/** The subscriber connection; replaced on the relay thread. */
	private volatile @Nullable Subscriber subscriber;

	/** Whether the subscriber connection is to be replaced. */
	private volatile boolean stale = true;

	/**
	 * Completes once Redis acknowledged the shard channels this node held when the
	 * subscriber connection was opened; {@code null} while it is to be replaced.
	 */
	private volatile @Nullable CompletableFuture<Void> resubscribed;

	/**
	 * Create the routes.
	 * @param keys the relay's keys
	 * @param connections the relay's Lettuce connections
	 * @param received takes each message of a shard channel: its channel and body
	 * @param relayThread the relay's thread, where connections are replaced
	 * @param waitAllowed whether the calling thread may wait for Redis now
	 * @param failed told when Redis refused or failed a command
	 */
	ShardRoutes(RedisKeys keys, RelayConnections connections, BiConsumer<byte[], byte[]> received, Executor relayThread,
			BooleanSupplier waitAllowed, Consumer<RuntimeException> failed) {
		this.keys = keys;
		this.connections = connections;
		this.relayThread = relayThread;
		this.waitAllowed = waitAllowed;
		this.failed = failed;
		this.listener = new Listener(received);
	}

	@Override
	public void joining(String scope, String subscription, boolean mayWait) {
		CompletableFuture<Void> ready = join(this.keys.shardChannel(scope, subscription));
		if (ready != null && mayWait && this.waitAllowed.getAsBoolean()) {
			try {
				this.connections.await(ready);
			}
			catch (RuntimeException ex) {
				logger.debug("Redis did not acknowledge this node's subscription to '" + subscription
						+ "' in time; the subscriber joins without waiting: " + ex);
			}
		}
	}

	@Override
	public void left(String scope, String subscription) {
		ShardRoute route = this.routes.get(this.keys.shardChannel(scope, subscription));
		if (route == null) {
			return;
		}
		synchronized (route) {
			if (route.subscribers == 0) {
				return;
			}
			route.subscribers--;
			if (route.subscribers == 0) {
				route.followed = 0;
				sync(route);
				retireIfIdle(route);
			}
		}
	}

	/**
	 * Which follow of a subscription this node is in: a number given each time Redis
	 * acknowledged its subscription to the shard channel, while it has subscribers.
	 * @return the follow, 0 when this node does not receive the subscription's multicasts
	 */
	long followed(String scope, String subscription) {
		ShardRoute route = this.routes.get(this.keys.shardChannel(scope, subscription));
		return (route != null && !this.stale) ? route.followed : 0;
	}

	/**
	 * Count a local subscriber, and subscribe this node to the shard channel if it is the
	 * first.
	 * @return what completes when Redis acknowledged the subscription, {@code null} when
	 * this node receives the channel already
	 */
	private @Nullable CompletableFuture<Void> join(String channel) {
		for (;;) {
			ShardRoute route = this.routes.computeIfAbsent(channel, ShardRoute::new);
			synchronized (route) {
				if (route.retired) {
					continue;
				}
				route.subscribers++;
				refresh(route);
				if (route.subscribed && !route.inFlight && !this.stale) {
					if (route.followed == 0) {
						route.followed = this.follows.incrementAndGet();
					}
					return null;
				}
				CompletableFuture<Void> pending = route.pending();
				sync(route);
				return pending;
			}
		}
	}

	/**
	 * Forget what a route knew of a subscriber connection that was replaced; under its
	 * lock.
	 */
	private void refresh(ShardRoute route) {
		Subscriber subscriber = this.subscriber;
		if (subscriber != null && route.generation != subscriber.generation) {
			route.generation = subscriber.generation;
			route.subscribed = false;
			route.inFlight = false;
			route.followed = 0;
		}
	}

	/**
	 * Send what the route's subscribers want, unless a command of it is on its way; under
	 * its lock.
	 */
	private void sync(ShardRoute route) {
		Subscriber subscriber = this.subscriber;
		if (subscriber == null || this.stale) {
			return;
		}
		refresh(route);
		if (route.inFlight) {
			return;
		}
		boolean wanted = route.subscribers > 0;
		if (wanted == route.subscribed) {
			if (wanted) {
				route.ready();
			}
			return;
		}
		route.inFlight = true;
		long generation = route.generation;
		RedisFuture<Void> answer = wanted ? subscriber.connection.async().ssubscribe(route.name)
				: subscriber.connection.async().sunsubscribe(route.name);
		answer.whenComplete((done, failure) -> answered(route, generation, wanted, failure));
	}

	private void answered(ShardRoute route, long generation, boolean subscribing, @Nullable Throwable failure) {
		RuntimeException failed = null;
		synchronized (route) {
			Subscriber subscriber = this.subscriber;
			if (route.generation != generation || subscriber == null || subscriber.generation != generation) {
				// An answer on a connection since replaced, or being replaced
				return;
			}
			route.inFlight = false;
			if (failure != null) {
				// Whether Redis holds it is not known: the connection is replaced
				route.subscribed = false;
				failed = RelayConnections.explain(failure);
				route.failed(failed);
			}
			else {
				route.subscribed = subscribing;
				if (subscribing) {
					if (route.subscribers > 0) {
						route.followed = this.follows.incrementAndGet();
					}
					route.ready();
				}
				sync(route);
				retireIfIdle(route);
			}
		}
		if (failed != null) {
			this.failed.accept(failed);
		}
	}

	private void retireIfIdle(ShardRoute route) {
		if (route.subscribers == 0 && !route.subscribed && !route.inFlight && route.pending == null) {
			route.retired = true;
			this.routes.remove(route.channel, route);
		}
	}

	/**
	 * Redis may have lost this node's subscriptions, or the relay missed messages: the
	 * subscriber connection is replaced at the next {@link #resubscribe}, and the
	 * histories no longer count as followed.
	 */
	void lost() {
		this.losses.incrementAndGet();
		this.stale = true;
		this.resubscribed = null;
		// Without the routes' locks: a thread that fails holds one
		for (ShardRoute route : this.routes.values()) {
			route.followed = 0;
		}
	}

	/**
	 * Replace the subscriber connection if it is stale, and subscribe every shard channel
	 * this node holds; on the relay thread, where it waits for the connections (not for
	 * the subscriptions).
	 * @return what completes once Redis acknowledged them, or failed
	 * @throws RuntimeException if Redis cannot be reached, or is older than 7
	 */
	CompletableFuture<Void> resubscribe() {
		CompletableFuture<Void> resubscribed = this.resubscribed;
		if (resubscribed != null && !this.stale && !resubscribed.isCompletedExceptionally()) {
			return resubscribed;
		}
		this.connections.open();
		long losses = this.losses.get();
		Subscriber previous = this.subscriber;
		// From here, what the previous connection answers is ignored
		this.subscriber = null;
		if (previous != null) {
			// Closed first: a message it still delivered would come twice
			previous.connection.close();
		}
		StatefulRedisPubSubConnection<byte[], byte[]> connection = this.connections.subscriber();
		connection.addListener((RedisPubSubListener<byte[], byte[]>) this.listener);
		connection.addListener((RedisConnectionStateListener) this.listener);
		this.subscriber = new Subscriber(connection, this.generations.incrementAndGet());
		// Every route made after this syncs itself; those made before are synced here
		this.stale = false;
		List<CompletableFuture<Void>> acknowledged = new ArrayList<>();
		for (ShardRoute route : this.routes.values()) {
			synchronized (route) {
				refresh(route);
				if (route.subscribers > 0) {
					acknowledged.add(route.pending());
				}
				sync(route);
			}
		}
		resubscribed = CompletableFuture.allOf(acknowledged.toArray(CompletableFuture[]::new))
			.orTimeout(this.connections.timeout().toMillis(), TimeUnit.MILLISECONDS);
		this.resubscribed = resubscribed;
		if (this.losses.get() != losses) {
			// Lost again meanwhile: the next heartbeat replaces this one
			this.stale = true;
			this.resubscribed = null;
		}
		return resubscribed;
	}

	/**
	 * Close the subscriber connection.
	 */
	void close() {
		this.stale = true;
		Subscriber subscriber = this.subscriber;
		this.subscriber = null;
		if (subscriber != null) {
			subscriber.connection.closeAsync();
		}
	}

	private void reconnected() {
		lost();
		try {
			this.relayThread.execute(() -> {
				try {
					resubscribe();
				}
				catch (RuntimeException ex) {
					this.failed.accept(ex);
				}
			});
		}
		catch (RejectedExecutionException ex) {
			// Stopping
		}
	}

	private void unsubscribedByRedis(byte[] name) {
		ShardRoute route = this.routes.get(new String(name, StandardCharsets.UTF_8));
		if (route != null) {
			synchronized (route) {
				if (route.subscribed && !route.inFlight && route.subscribers > 0) {
					route.subscribed = false;
					route.followed = 0;
					sync(route);
				}
			}
		}
	}

	private record Subscriber(StatefulRedisPubSubConnection<byte[], byte[]> connection, long generation) {

	}

	/**
	 * Hears the subscriber connection: messages, unsubscriptions made by Redis, and
	 * reconnects, on Lettuce's event loop.
	 */
	private final class Listener extends RedisPubSubAdapter<byte[], byte[]> implements RedisConnectionStateListener {

		private final BiConsumer<byte[], byte[]> received;

		Listener(BiConsumer<byte[], byte[]> received) {
			this.received = received;
		}

		@Override
		public void smessage(byte[] channel, byte[] message) {
			this.received.accept(channel, message);
		}

		@Override
		public void sunsubscribed(byte[] channel, long count) {
			unsubscribedByRedis(channel);
		}

		@Override
		public void onRedisConnected(RedisChannelHandler<?, ?> connection, SocketAddress address) {
			reconnected();
		}

	}

}
