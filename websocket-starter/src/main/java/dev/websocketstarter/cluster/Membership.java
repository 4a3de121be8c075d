package dev.websocketstarter.cluster;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

import org.jspecify.annotations.Nullable;

import org.springframework.core.NestedExceptionUtils;
import org.springframework.data.redis.connection.StringRedisConnection;
import org.springframework.data.redis.core.ZSetOperations.TypedTuple;

/**
 * Which nodes are alive, and whether this node reaches Redis. Each node beats into the
 * sorted set of nodes, scored with the moment after which it is forgotten; the other
 * nodes are read back from it at each heartbeat.
 */
final class Membership {

	private final String node;

	private final RedisKeys keys;

	private final long ttlMillis;

	private final String run = Long.toString(System.currentTimeMillis(), 36)
			+ Long.toString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE, 36);

	private final Object stateLock = new Object();

	private volatile ClusterRelay.State state = ClusterRelay.State.STARTING;

	private volatile @Nullable String lastFailure;

	/** The other nodes with the moment each is forgotten, as last read. */
	private volatile Map<String, Long> otherNodes = Map.of();

	Membership(String node, RedisKeys keys, long ttlMillis) {
		this.node = node;
		this.keys = keys;
		this.ttlMillis = ttlMillis;
	}

	/**
	 * This run of the node: letters and digits, new each time the node starts.
	 */
	String run() {
		return this.run;
	}

	ClusterRelay.State state() {
		return this.state;
	}

	boolean isUp() {
		return this.state == ClusterRelay.State.UP;
	}

	@Nullable String lastFailure() {
		return this.lastFailure;
	}

	/**
	 * Beat: this node stays alive for another TTL, and nodes past their moment are
	 * removed. The first command of the pipeline: see {@link #wasMissing}.
	 */
	void beat(StringRedisConnection commands, long now) {
		commands.zAdd(this.keys.nodes(), now + this.ttlMillis, this.node);
		commands.pSetEx(this.keys.run(this.node), this.ttlMillis, this.run);
		commands.zRemRangeByScore(this.keys.nodes(), Double.NEGATIVE_INFINITY, now);
	}

	/**
	 * Whether a heartbeat added this node to the nodes rather than updating it.
	 * @param answers the answers of the pipeline that began with {@link #beat}
	 */
	static boolean wasMissing(List<Object> answers) {
		return Boolean.TRUE.equals(answers.get(0));
	}

	/**
	 * Take the live nodes as read from the sorted set.
	 */
	void nodesRead(@Nullable Set<TypedTuple<String>> nodes) {
		Map<String, Long> others = new HashMap<>();
		for (TypedTuple<String> node : (nodes != null) ? nodes : Set.<TypedTuple<String>>of()) {
			if (node.getValue() != null && node.getScore() != null && !node.getValue().equals(this.node)) {
				others.put(node.getValue(), node.getScore().longValue());
			}
		}
		this.otherNodes = Map.copyOf(others);
	}

	/**
	 * The other nodes known to be alive: they beat within the TTL.
	 * @return the node identifiers, empty while Redis is not reached
	 */
	Set<String> otherNodes() {
		if (!isUp()) {
			return Set.of();
		}
		long now = System.currentTimeMillis();
		Set<String> alive = new HashSet<>();
		this.otherNodes.forEach((node, deadline) -> {
			if (deadline > now) {
				alive.add(node);
			}
		});
		return alive;
	}

	boolean isAlive(String node) {
		if (!isUp()) {
			return false;
		}
		Long deadline = this.otherNodes.get(node);
		return deadline != null && deadline > System.currentTimeMillis();
	}

	/**
	 * Redis answered.
	 * @return the state before
	 */
	ClusterRelay.State up() {
		synchronized (this.stateLock) {
			ClusterRelay.State previous = this.state;
			this.state = ClusterRelay.State.UP;
			this.lastFailure = null;
			return previous;
		}
	}

	/**
	 * Redis failed.
	 * @return whether the relay was not down already
	 */
	boolean down(RuntimeException failure) {
		String reason = reason(failure);
		synchronized (this.stateLock) {
			boolean wasDown = this.state == ClusterRelay.State.DOWN;
			// The reason first: whoever sees the relay down sees why
			this.lastFailure = reason;
			this.state = ClusterRelay.State.DOWN;
			return !wasDown;
		}
	}

	/**
	 * The failure's message with its root cause's, which says what Redis answered where
	 * the failure itself only says that something in a pipeline failed.
	 */
	private static String reason(RuntimeException failure) {
		String message = String.valueOf(failure.getMessage());
		String cause = NestedExceptionUtils.getMostSpecificCause(failure).getMessage();
		return (cause != null && !message.contains(cause)) ? message + ": " + cause : message;
	}

	/**
	 * Leave the cluster at once, rather than when the TTL runs out.
	 */
	void leave(StringRedisConnection commands) {
		commands.zRem(this.keys.nodes(), this.node);
		commands.del(this.keys.run(this.node));
	}

}
