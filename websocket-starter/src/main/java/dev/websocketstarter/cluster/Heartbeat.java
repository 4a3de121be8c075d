package dev.websocketstarter.cluster;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

import dev.websocketstarter.internal.channel.LocalNode;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * The relay's heartbeat, on the relay thread: keeps this node alive and its keys from
 * expiring, reads which other nodes are alive, and checks the view of their channels. At
 * the first heartbeat that succeeds after a failure, it subscribes this node to the shard
 * channels of its subscriptions again, and once Redis acknowledged them (the relay thread
 * does not wait for that: it beats again then), writes this node's channels and claims
 * into Redis again and then reports the relay up; while those writes fail, the relay
 * stays down and the next heartbeat tries again. A heartbeat that finds this node missing
 * from the nodes while the relay is up (Redis flushed, restarted without its data, or the
 * node missed its heartbeats for longer than the node TTL) writes them again too: Redis
 * no longer holds them, yet nothing failed. The node's shard channel subscriptions
 * survive a flush, and the client subscribes them again after a restart.
 */
final class Heartbeat {

	private static final Log logger = LogFactory.getLog(LocalNode.LOG_CATEGORY);

	private final String node;

	private final LocalNode localNode;

	private final StringRedisTemplate redis;

	private final RedisKeys keys;

	private final Membership membership;

	private final RedisMirror mirror;

	private final RedisClaims claims;

	private final ClusterView view;

	private final ViewReader viewReader;

	private final ShardRoutes routes;

	private final Executor relayThread;

	private final LongSupplier dropped;

	private final Consumer<RuntimeException> failed;

	/** Why writing this node again failed last, while down; relay thread only. */
	private @Nullable String rewriteFailure;

	Heartbeat(LocalNode localNode, StringRedisTemplate redis, RedisKeys keys, Membership membership, RedisMirror mirror,
			RedisClaims claims, ClusterView view, ViewReader viewReader, ShardRoutes routes, Executor relayThread,
			LongSupplier dropped, Consumer<RuntimeException> failed) {
		this.node = localNode.node();
		this.localNode = localNode;
		this.redis = redis;
		this.keys = keys;
		this.membership = membership;
		this.mirror = mirror;
		this.claims = claims;
		this.view = view;
		this.viewReader = viewReader;
		this.routes = routes;
		this.relayThread = relayThread;
		this.dropped = dropped;
		this.failed = failed;
	}

	void beat() {
		long now = System.currentTimeMillis();
		try {
			List<Object> answers = Pipeline.run(this.redis, (commands) -> {
				this.membership.beat(commands, now);
				this.mirror.expire(commands);
				this.claims.expire(commands);
			});
			if (this.membership.isUp() && Membership.wasMissing(answers)) {
				logger.warn("Cluster relay of node " + this.node + " found that Redis no longer knew it (flushed, "
						+ "restarted without its data, or this node missed its heartbeats for longer than "
						+ "websocket.cluster.node-ttl); writing its channels and claims again");
				writeAgain();
			}
			this.membership.nodesRead(
					this.redis.opsForZSet().rangeByScoreWithScores(this.keys.nodes(), now, Double.POSITIVE_INFINITY));
			if (!this.membership.isUp()) {
				recovered();
			}
			this.view.retainAlive();
			this.viewReader.check();
		}
		catch (RuntimeException ex) {
			this.failed.accept(ex);
		}
	}

	private void recovered() {
		CompletableFuture<Void> routed = this.routes.resubscribe();
		if (!routed.isDone()) {
			routed.whenComplete((done, failure) -> beatSoon());
			return;
		}
		if (routed.isCompletedExceptionally()) {
			routed.exceptionally((failure) -> {
				this.failed.accept(RelayConnections.explain(failure));
				return null;
			});
			return;
		}
		// Written before the relay reports up: a node whose writes fail stays down
		// rather than going up and down at every heartbeat
		try {
			writeAgain();
		}
		catch (RuntimeException ex) {
			rewriteFailed(ex);
			return;
		}
		this.rewriteFailure = null;
		ClusterRelay.State previous = this.membership.up();
		int others = this.membership.otherNodes().size();
		if (previous == ClusterRelay.State.DOWN) {
			logger.info("Cluster relay of node " + this.node + " reaches Redis again and relays to " + others
					+ " other nodes; " + this.dropped.getAsLong() + " publications were dropped so far");
		}
		else {
			logger.info("Cluster relay of node " + this.node + " joined, with " + others + " other nodes");
		}
	}

	private void rewriteFailed(RuntimeException failure) {
		boolean wasDown = this.membership.state() == ClusterRelay.State.DOWN;
		this.failed.accept(failure);
		String why = RelayConnections.describe(failure);
		// Each new reason once: the relay logged its going down already
		if (wasDown && !why.equals(this.rewriteFailure)) {
			this.rewriteFailure = why;
			logger.warn("Cluster relay of node " + this.node + " reaches Redis again but cannot write its channels "
					+ "and claims there (" + why + "); it stays down and tries again at each heartbeat");
		}
	}

	private void writeAgain() {
		Pipeline.run(this.redis, (commands) -> {
			this.mirror.rewrite(commands, this.localNode.channels());
			this.mirror.write(commands);
		});
		this.claims.rewrite();
	}

	private void beatSoon() {
		try {
			this.relayThread.execute(this::beat);
		}
		catch (RejectedExecutionException ex) {
			// Stopping
		}
	}

}
