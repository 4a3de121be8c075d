package dev.websocketstarter.cluster;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import dev.websocketstarter.internal.channel.ChannelListener;
import dev.websocketstarter.internal.channel.LocalNode;
import dev.websocketstarter.internal.presence.SharedState;
import dev.websocketstarter.registry.Channel;
import dev.websocketstarter.registry.ChannelRegistry;
import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.connection.StringRedisConnection;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Mirrors this node's open channels, their subscriptions and shared attributes, into its
 * channels hash in Redis, and publishes each batch of changes to the other nodes'
 * {@link ClusterView}s.
 * <p>
 * The local node reports which channels changed from any thread; the relay thread writes
 * them in batches, each channel's state as it is when written, so many changes to one
 * channel cost one write, and a batch costs one round trip. Each batch gets the next
 * sequence number, written next to the hash after it, so that a node that reads the
 * number and then the hash has every batch up to that number. Numbers start from the
 * clock, so a node that restarts under the same name is told apart from its earlier run.
 */
final class RedisMirror implements ChannelListener {

	private final String node;

	private final LocalNode localNode;

	private final RedisKeys keys;

	private final byte[] changesTopic;

	private final StringRedisTemplate redis;

	private final Executor relayThread;

	private final Membership membership;

	private final long ttlMillis;

	private final Consumer<RuntimeException> failed;

	private final RelaySeal seal;

	private final Set<Channel> changed = ConcurrentHashMap.newKeySet();

	private final AtomicBoolean writeScheduled = new AtomicBoolean();

	/** The state of this node's channels as written to Redis; relay thread only. */
	private final Map<Channel, ChannelState> mirrored = new HashMap<>();

	/** Relay thread only. */
	private long sequence = System.currentTimeMillis() * 1000;

	RedisMirror(String node, LocalNode localNode, RedisKeys keys, StringRedisTemplate redis, Executor relayThread,
			Membership membership, long ttlMillis, Consumer<RuntimeException> failed, RelaySeal seal) {
		this.node = node;
		this.localNode = localNode;
		this.keys = keys;
		this.redis = redis;
		this.relayThread = relayThread;
		this.membership = membership;
		this.ttlMillis = ttlMillis;
		this.failed = failed;
		this.changesTopic = keys.changesTopic().getBytes(StandardCharsets.UTF_8);
		this.seal = seal;
	}

	/**
	 * A channel opened, closed, or joined or left a subscription: write it soon, with
	 * other changes in one round trip.
	 */
	@Override
	public void channelChanged(Channel channel) {
		if (this.changed.add(channel) && this.writeScheduled.compareAndSet(false, true)) {
			try {
				this.relayThread.execute(this::writeChanges);
			}
			catch (RejectedExecutionException ex) {
				this.writeScheduled.set(false);
			}
		}
	}

	private void writeChanges() {
		this.writeScheduled.set(false);
		if (!this.membership.isUp() || this.changed.isEmpty()) {
			return;
		}
		try {
			Pipeline.run(this.redis, this::write);
		}
		catch (RuntimeException ex) {
			this.failed.accept(ex);
		}
	}

	/**
	 * Write the channels that changed, and publish their new states.
	 * @param commands a pipelined connection, on the relay thread
	 */
	void write(StringRedisConnection commands) {
		Map<Channel, @Nullable ChannelState> states = new LinkedHashMap<>();
		ChannelRegistry local = this.localNode.registry();
		for (Iterator<Channel> iterator = this.changed.iterator(); iterator.hasNext();) {
			Channel channel = iterator.next();
			iterator.remove();
			SharedState shared = this.localNode.sharedState(channel);
			ChannelState now = (shared != null)
					? new ChannelState(shared.subscriptions(), shared.attributes(), shared.user()) : null;
			// A closed channel is always written: after a rewrite, nothing says it was
			// mirrored, yet the other nodes may still see it
			if (now == null || !Objects.equals(now, this.mirrored.get(channel))) {
				states.put(channel, now);
			}
		}
		if (states.isEmpty()) {
			return;
		}
		String channelsKey = this.keys.channels(this.node);
		states.forEach((channel, state) -> {
			if (state != null) {
				commands.hSet(channelsKey, channel.toString(), state.format());
				this.mirrored.put(channel, state);
			}
			else {
				commands.hDel(channelsKey, channel.toString());
				this.mirrored.remove(channel);
			}
		});
		this.sequence++;
		commands.pSetEx(this.keys.sequence(this.node), this.ttlMillis, Long.toString(this.sequence));
		commands.pExpire(channelsKey, this.ttlMillis);
		commands.publish(this.changesTopic,
				this.seal.sealAll(this.changesTopic, new ChannelChanges(this.node, this.sequence, states).encode()));
	}

	/**
	 * Forget what Redis had of this node and write every channel again: at start and
	 * after an outage, when Redis may have lost it or kept a stale one.
	 * @param commands a connection, on the relay thread
	 * @param channels every channel of this node
	 */
	void rewrite(StringRedisConnection commands, Set<Channel> channels) {
		commands.del(this.keys.channels(this.node));
		for (Channel channel : this.mirrored.keySet()) {
			// Closed ones too: the other nodes learn that they are gone
			this.changed.add(channel);
		}
		this.mirrored.clear();
		this.changed.addAll(channels);
	}

	/**
	 * Keep this node's keys alive for another TTL.
	 */
	void expire(StringRedisConnection commands) {
		commands.pExpire(this.keys.channels(this.node), this.ttlMillis);
		commands.pExpire(this.keys.sequence(this.node), this.ttlMillis);
	}

	/**
	 * Remove this node's keys, as it leaves.
	 */
	void remove(StringRedisConnection commands) {
		commands.del(this.keys.channels(this.node), this.keys.sequence(this.node));
	}

}
