package dev.websocketstarter.cluster;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import dev.websocketstarter.internal.channel.Claims;
import dev.websocketstarter.internal.channel.LocalNode;
import dev.websocketstarter.registry.Channel;
import dev.websocketstarter.registry.ClaimResult;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.data.redis.connection.ReturnType;
import org.springframework.data.redis.connection.StringRedisConnection;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.web.socket.CloseStatus;

/**
 * Keeps this node's {@link Claims} in Redis, where one script per claim decides which
 * channel of the cluster holds a value: the first to claim it, or the next once the
 * holder's node is forgotten (it stopped beating for the node TTL).
 * <p>
 * A holder is a channel in one run of its node, so a node that restarts under the same
 * name does not keep what its earlier run held.
 * <p>
 * A claim waits for Redis on the caller's thread, as only Redis can tell whether another
 * node holds the value. Releases run on the relay thread, in batches. Each node also
 * lists its claims in a hash of its own; after an outage or a restart it takes back the
 * ones it no longer holds and writes the ones it does again. A channel whose value
 * another node claimed meanwhile (possible only while this node was cut off for longer
 * than the node TTL) is closed with 1013, so its client reconnects and claims anew.
 */
final class RedisClaims {

	private static final Log logger = LogFactory.getLog(LocalNode.LOG_CATEGORY);

	/**
	 * KEYS: claims hash, nodes, this node's claims. ARGV: value, holder, now, the node's
	 * claims field, TTL, this node, the prefix of the nodes' run keys. A holder is its
	 * node's run and its channel: it holds the value while its node beats within the TTL
	 * in the same run. Another holder on this node is one it no longer has, since this
	 * node checked its own claims first.
	 */
	private static final String CLAIM = """
			local holder = redis.call('HGET', KEYS[1], ARGV[1])
			if holder and holder ~= ARGV[2] then
			  local run, node = string.match(holder, '^(%w+)|.*@([^@]*)$')
			  if node and node ~= ARGV[6] then
			    local deadline = redis.call('ZSCORE', KEYS[2], node)
			    if deadline and tonumber(deadline) > tonumber(ARGV[3])
			        and redis.call('GET', ARGV[7] .. node .. ':run') == run then
			      return 0
			    end
			  end
			end
			redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
			redis.call('HSET', KEYS[3], ARGV[4], ARGV[2])
			redis.call('PEXPIRE', KEYS[3], ARGV[5])
			return 1""";

	/** KEYS: claims hash, this node's claims. ARGV: value, holder, the node's field. */
	private static final String RELEASE = """
			if redis.call('HGET', KEYS[1], ARGV[1]) == ARGV[2] then redis.call('HDEL', KEYS[1], ARGV[1]) end
			redis.call('HDEL', KEYS[2], ARGV[3])
			return 1""";

	private static final RedisScript<Long> CLAIM_SCRIPT = RedisScript.of(CLAIM, Long.class);

	private final String node;

	private final LocalNode localNode;

	private final RedisKeys keys;

	private final StringRedisTemplate redis;

	private final Executor relayThread;

	private final Membership membership;

	private final long ttlMillis;

	private final Consumer<RuntimeException> failed;

	private final Queue<Release> releases = new ConcurrentLinkedQueue<>();

	private final AtomicBoolean releaseScheduled = new AtomicBoolean();

	RedisClaims(String node, LocalNode localNode, RedisKeys keys, StringRedisTemplate redis, Executor relayThread,
			Membership membership, long ttlMillis, Consumer<RuntimeException> failed) {
		this.node = node;
		this.localNode = localNode;
		this.keys = keys;
		this.redis = redis;
		this.relayThread = relayThread;
		this.membership = membership;
		this.ttlMillis = ttlMillis;
		this.failed = failed;
	}

	/**
	 * Claim in Redis a value this node's channel holds on this node already; on the
	 * caller's thread.
	 */
	ClaimResult claim(Claims.Key key, Channel channel) {
		if (!this.membership.isUp()) {
			return ClaimResult.UNAVAILABLE;
		}
		Long claimed;
		try {
			claimed = this.redis.execute(CLAIM_SCRIPT, claimKeys(key), (Object[]) claimArgs(key, channel));
		}
		catch (RuntimeException ex) {
			this.failed.accept(ex);
			return ClaimResult.UNAVAILABLE;
		}
		return (claimed != null && claimed == 1) ? ClaimResult.CLAIMED : ClaimResult.TAKEN;
	}

	/**
	 * A channel of this node gave up a value: take it back in Redis soon, with other
	 * releases in one round trip.
	 */
	void released(Claims.Key key, Channel channel) {
		this.releases.add(new Release(key, channel));
		if (this.releaseScheduled.compareAndSet(false, true)) {
			try {
				this.relayThread.execute(this::releaseWaiting);
			}
			catch (RejectedExecutionException ex) {
				// Stopping: the node leaves, its claims go with it after the TTL
				this.releaseScheduled.set(false);
			}
		}
	}

	private void releaseWaiting() {
		this.releaseScheduled.set(false);
		if (!this.membership.isUp() || this.releases.isEmpty()) {
			// Down: the next recovery takes back what this node no longer holds
			this.releases.clear();
			return;
		}
		try {
			Pipeline.run(this.redis, (commands) -> {
				for (Release release = this.releases.poll(); release != null; release = this.releases.poll()) {
					release(commands, field(release.key()), holder(release.channel()));
				}
			});
		}
		catch (RuntimeException ex) {
			this.failed.accept(ex);
		}
	}

	/**
	 * Make Redis hold this node's claims as they are: take back those it no longer holds,
	 * write those it does again, and close the channels whose value another node claimed
	 * meanwhile. On the relay thread, at start and after an outage.
	 */
	void rewrite() {
		Map<Object, Object> listed = this.redis.opsForHash().entries(this.keys.nodeClaims(this.node));
		List<Map.Entry<Claims.Key, Channel>> held = this.localNode.claims().all();
		Map<String, String> heldFields = new HashMap<>();
		for (Map.Entry<Claims.Key, Channel> claim : held) {
			heldFields.put(field(claim.getKey()), holder(claim.getValue()));
		}
		List<Object> answers = Pipeline.run(this.redis, (commands) -> {
			listed.forEach((field, holder) -> {
				if (!holder.equals(heldFields.get(field))) {
					release(commands, (String) field, (String) holder);
				}
			});
			for (Map.Entry<Claims.Key, Channel> claim : held) {
				List<String> keys = claimKeys(claim.getKey());
				List<String> keysAndArgs = new ArrayList<>(keys);
				keysAndArgs.addAll(Arrays.asList(claimArgs(claim.getKey(), claim.getValue())));
				commands.eval(CLAIM, ReturnType.INTEGER, keys.size(), keysAndArgs.toArray(String[]::new));
			}
		});
		List<Object> claimAnswers = answers.subList(answers.size() - held.size(), answers.size());
		for (int i = 0; i < held.size(); i++) {
			if (Long.valueOf(0).equals(claimAnswers.get(i))) {
				lost(held.get(i).getKey(), held.get(i).getValue());
			}
		}
	}

	private void lost(Claims.Key key, Channel channel) {
		if (this.localNode.claims().release(key, channel)) {
			logger.warn("Channel " + channel + " lost its claim in namespace '" + key.namespace()
					+ "' to another node while this node was cut off from Redis; closing it with 1013");
			this.localNode.registry().close(channel, CloseStatus.SERVICE_OVERLOAD.withReason("Claim lost; reconnect"));
		}
	}

	/**
	 * Keep this node's list of claims alive for another TTL.
	 */
	void expire(StringRedisConnection commands) {
		commands.pExpire(this.keys.nodeClaims(this.node), this.ttlMillis);
	}

	private void release(StringRedisConnection commands, String field, String holder) {
		int split = field.indexOf(':');
		int length = Integer.parseInt(field.substring(0, split));
		String claimsKey = field.substring(split + 1, split + 1 + length);
		String value = field.substring(split + 1 + length);
		commands.eval(RELEASE, ReturnType.INTEGER, 2, claimsKey, this.keys.nodeClaims(this.node), value, holder, field);
	}

	private List<String> claimKeys(Claims.Key key) {
		return List.of(this.keys.claims(key.scope(), key.namespace()), this.keys.nodes(),
				this.keys.nodeClaims(this.node));
	}

	private String[] claimArgs(Claims.Key key, Channel channel) {
		return new String[] { key.value(), holder(channel), Long.toString(System.currentTimeMillis()), field(key),
				Long.toString(this.ttlMillis), this.node, this.keys.nodePrefix() };
	}

	private String holder(Channel channel) {
		return this.membership.run() + "|" + channel;
	}

	/**
	 * The field of a claim in this node's list: the claims hash's key, with its length
	 * first, then the value.
	 */
	private String field(Claims.Key key) {
		String claimsKey = this.keys.claims(key.scope(), key.namespace());
		return claimsKey.length() + ":" + claimsKey + key.value();
	}

	private record Release(Claims.Key key, Channel channel) {

	}

}
