package dev.websocketstarter.cluster;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Reads other nodes' channels hashes from Redis in full into the {@link ClusterView}, on
 * the relay thread: when asked (a gap in a node's changes), and when a heartbeat finds a
 * node the view does not have or whose sequence number stays apart from the view's.
 */
final class ViewReader {

	private final StringRedisTemplate redis;

	private final Executor relayThread;

	private final RedisKeys keys;

	private final Membership membership;

	private final ClusterView view;

	private final Consumer<RuntimeException> failed;

	/** Nodes whose channels hash is to be read; the relay thread reads them. */
	private final Set<String> toRead = ConcurrentHashMap.newKeySet();

	/** Each node's sequence number in Redis at the last check; relay thread only. */
	private Map<String, Long> sequencesSeen = Map.of();

	ViewReader(StringRedisTemplate redis, Executor relayThread, RedisKeys keys, Membership membership, ClusterView view,
			Consumer<RuntimeException> failed) {
		this.redis = redis;
		this.relayThread = relayThread;
		this.keys = keys;
		this.membership = membership;
		this.view = view;
		this.failed = failed;
	}

	/**
	 * Read a node in full soon, on the relay thread.
	 */
	void read(String node) {
		if (this.toRead.add(node)) {
			try {
				this.relayThread.execute(this::readWaiting);
			}
			catch (RejectedExecutionException ex) {
				this.toRead.remove(node);
			}
		}
	}

	/**
	 * Read the nodes asked for: the sequence number first, so that the hash holds at
	 * least every batch up to it.
	 */
	private void readWaiting() {
		for (String node : List.copyOf(this.toRead)) {
			this.toRead.remove(node);
			if (!this.membership.isAlive(node)) {
				continue;
			}
			this.view.readStarted(node);
			try {
				List<Object> read = Pipeline.run(this.redis, (commands) -> {
					commands.get(this.keys.sequence(node));
					commands.hGetAll(this.keys.channels(node));
				});
				Map<String, String> channels = new HashMap<>();
				if (read.get(1) instanceof Map<?, ?> hash) {
					hash.forEach((handle, lines) -> channels.put(handle.toString(), lines.toString()));
				}
				this.view.read(node, sequence(read.get(0)), channels);
			}
			catch (RuntimeException ex) {
				this.failed.accept(ex);
			}
		}
	}

	/**
	 * At a heartbeat, on the relay thread: read a node the view has none of, or whose
	 * sequence number in Redis differs from the view's for a whole heartbeat, as when a
	 * batch of its changes went missing.
	 */
	void check() {
		List<String> nodes = List.copyOf(this.membership.otherNodes());
		List<Object> sequences = Pipeline.run(this.redis,
				(commands) -> nodes.forEach((node) -> commands.get(this.keys.sequence(node))));
		Map<String, Long> seen = new HashMap<>();
		for (int i = 0; i < nodes.size(); i++) {
			String node = nodes.get(i);
			long inRedis = sequence(sequences.get(i));
			long inView = this.view.sequence(node);
			seen.put(node, inRedis);
			if (inView < 0 || (inRedis != inView && Long.valueOf(inRedis).equals(this.sequencesSeen.get(node)))) {
				read(node);
			}
		}
		this.sequencesSeen = seen;
	}

	private static long sequence(@Nullable Object value) {
		try {
			return (value != null) ? Long.parseLong(value.toString()) : 0;
		}
		catch (NumberFormatException ex) {
			return 0;
		}
	}

}
