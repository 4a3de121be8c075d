package dev.websocketstarter.cluster;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToLongBiFunction;

import dev.websocketstarter.internal.channel.LocalNode;
import dev.websocketstarter.internal.history.HistorySettings;
import dev.websocketstarter.internal.history.HistorySource;
import dev.websocketstarter.internal.history.SubscriptionHistory;
import dev.websocketstarter.registry.Channel;
import dev.websocketstarter.registry.HistoryMessage;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * Keeps the histories of a cluster's subscriptions in Redis, one list per subscription,
 * and makes each multicast to such a subscription one script: it takes the next offset,
 * appends the message, trims the list by count, bytes and age, and publishes the message
 * with its epoch and offset to the subscription's shard channel ({@code SPUBLISH}, in the
 * slot of the list), so that the nodes with subscribers of it, this one included, deliver
 * it to them in the order of the offsets. A list rather than a stream: offsets are
 * contiguous, so the messages after an offset are the list's last ones, and the script
 * trims by bytes with what it pops.
 */
final class RedisHistory implements HistorySource {

	/**
	 * KEYS: list, meta. ARGV: size, max bytes, max age, a new epoch, the meta's time to
	 * live, shard channel, whether to start a new epoch ({@code 1}), then four per
	 * message: text, now, header, the seal's tag. Each message published:
	 * {@code <epoch> <offset> <now> <header length>\n<header><text><tag>}, where the
	 * header begins with the seal's prefix and the seal covers it, the text and the shard
	 * channel (not the epoch and offset, which Redis gives). A new epoch drops the list:
	 * what it kept is not followed by the messages that missed Redis.
	 */
	private static final byte[] MULTICAST = """
			local epoch = redis.call('HGET', KEYS[2], 'epoch')
			if not epoch or ARGV[7] == '1' then
			  epoch = ARGV[4]
			  redis.call('DEL', KEYS[1])
			  redis.call('HSET', KEYS[2], 'epoch', epoch, 'offset', 0, 'bytes', 0)
			end
			local offset = 0
			local latest = 0
			for i = 8, #ARGV, 4 do
			  local text = ARGV[i]
			  local now = ARGV[i + 1]
			  offset = redis.call('HINCRBY', KEYS[2], 'offset', 1)
			  redis.call('RPUSH', KEYS[1], offset .. ' ' .. now .. ' ' .. text)
			  redis.call('HINCRBY', KEYS[2], 'bytes', string.len(text))
			  redis.call('SPUBLISH', ARGV[6], epoch .. ' ' .. offset .. ' ' .. now .. ' ' .. string.len(ARGV[i + 2])
			    .. '\\n' .. ARGV[i + 2] .. text .. ARGV[i + 3])
			  latest = math.max(latest, tonumber(now))
			end
			local bytes = tonumber(redis.call('HGET', KEYS[2], 'bytes'))
			local oldest = latest - tonumber(ARGV[3])
			local size = tonumber(ARGV[1])
			local maxBytes = tonumber(ARGV[2])
			local length = redis.call('LLEN', KEYS[1])
			while length > 0 do
			  local head = redis.call('LINDEX', KEYS[1], 0)
			  local first = string.find(head, ' ', 1, true)
			  local second = string.find(head, ' ', first + 1, true)
			  local at = tonumber(string.sub(head, first + 1, second - 1))
			  if length <= size and bytes <= maxBytes and at >= oldest then break end
			  redis.call('LPOP', KEYS[1])
			  bytes = redis.call('HINCRBY', KEYS[2], 'bytes', second - string.len(head))
			  length = length - 1
			end
			redis.call('PEXPIRE', KEYS[1], ARGV[3])
			redis.call('PEXPIRE', KEYS[2], ARGV[5])
			return offset""".getBytes(StandardCharsets.UTF_8);

	private static final byte[] NEW_EPOCH = bytes("1");

	private static final byte[] SAME_EPOCH = bytes("0");

	/** The most messages one script takes. */
	private static final int MAX_MESSAGES = 1024;

	/**
	 * KEYS: meta, list. ARGV: a new epoch, the meta's time to live. Answers the epoch,
	 * the last offset and the list. A subscription nothing was multicast to yet gets its
	 * epoch here, as the multicast script would give it: a channel greeted before the
	 * first multicast carries the epoch of the offsets that follow, not an empty one that
	 * no recovery accepts.
	 */
	@SuppressWarnings("rawtypes")
	private static final RedisScript<List> READ = RedisScript.of("""
			local epoch = redis.call('HGET', KEYS[1], 'epoch')
			if not epoch then
			  epoch = ARGV[1]
			  redis.call('DEL', KEYS[2])
			  redis.call('HSET', KEYS[1], 'epoch', epoch, 'offset', 0, 'bytes', 0)
			  redis.call('PEXPIRE', KEYS[1], ARGV[2])
			end
			return {epoch, redis.call('HGET', KEYS[1], 'offset'), redis.call('LRANGE', KEYS[2], 0, -1)}""", List.class);

	/** How long a subscription's epoch and offset outlive its last multicast. */
	private static final Duration META_TTL = Duration.ofDays(1);

	private final String node;

	private final RedisKeys keys;

	private final StringRedisTemplate redis;

	private final LocalNode localNode;

	private final RelaySeal seal;

	private final ToLongBiFunction<String, String> followed;

	/** The meta keys of the subscriptions whose next multicast starts a new epoch. */
	private final Set<String> missed = ConcurrentHashMap.newKeySet();

	/**
	 * Create the histories.
	 * @param followed which follow of a subscription this node is in, as
	 * {@link HistorySource#followed} answers
	 */
	RedisHistory(String node, RedisKeys keys, StringRedisTemplate redis, LocalNode localNode, RelaySeal seal,
			ToLongBiFunction<String, String> followed) {
		this.node = node;
		this.seal = seal;
		this.keys = keys;
		this.redis = redis;
		this.localNode = localNode;
		this.followed = followed;
	}

	/**
	 * The script that multicasts a text message to a subscription with history, for the
	 * relay thread, which sends the multicasts to one subscription that wait next to each
	 * other as one script.
	 */
	Publisher.Publication multicast(String scope, String subscription, HistorySettings settings, String text,
			Channel[] exclude) {
		byte[] message = ClusterMessage.multicast(this.node, scope, subscription, true, new byte[0], exclude).encode();
		byte[] textBytes = bytes(text);
		byte[] channel = bytes(this.keys.shardChannel(scope, subscription));
		RelaySeal.Sealed sealed = this.seal.seal(channel, message, textBytes);
		byte[] header = concat(sealed.prefix(), message);
		String meta = this.keys.historyMeta(scope, subscription);
		byte[][] head = { bytes(this.keys.history(scope, subscription)), bytes(meta),
				bytes(Integer.toString(settings.size())), bytes(Long.toString(settings.maxBytes().toBytes())),
				bytes(Long.toString(Math.max(1, settings.maxAge().toMillis()))), bytes(SubscriptionHistory.newEpoch()),
				bytes(Long.toString(META_TTL.toMillis())), channel };
		return new Multicast(meta, head,
				List.of(textBytes, bytes(Long.toString(System.currentTimeMillis())), header, sealed.tag()));
	}

	/**
	 * This node multicast to a subscription without Redis, which the other nodes' copies
	 * therefore lack: its next multicast through Redis starts a new epoch, so that no
	 * copy continues the old one across the gap, and a position before it is not
	 * recovered as if nothing was missed.
	 */
	void missed(String scope, String subscription) {
		this.missed.add(this.keys.historyMeta(scope, subscription));
	}

	/**
	 * A multicast came back from Redis with its offset on a subscription's shard channel:
	 * keep it in this node's copy and deliver it to this node's subscribers.
	 * @throws IllegalArgumentException if it is not one this version understands
	 */
	void received(byte[] channel, byte[] body) {
		int newline = indexOf(body, (byte) '\n');
		if (newline < 0) {
			throw new IllegalArgumentException("No header line");
		}
		String[] line = new String(body, 0, newline, StandardCharsets.US_ASCII).split(" ");
		if (line.length != 4) {
			throw new IllegalArgumentException("Header line of " + line.length + " fields");
		}
		int sealedHeaderLength = Integer.parseInt(line[3]);
		byte[] opened = this.seal.open(channel, Arrays.copyOfRange(body, newline + 1, body.length));
		if (opened == null) {
			return;
		}
		int headerLength = sealedHeaderLength - this.seal.prefixLength();
		ClusterMessage header = ClusterMessage.decode(Arrays.copyOfRange(opened, 0, headerLength));
		String text = new String(opened, headerLength, opened.length - headerLength, StandardCharsets.UTF_8);
		this.localNode.replicate(header.scope(), header.name(), line[0], Long.parseLong(line[1]), text,
				Instant.ofEpochMilli(Long.parseLong(line[2])), header.exclude());
	}

	@Override
	public long followed(String scope, String subscription) {
		return this.followed.applyAsLong(scope, subscription);
	}

	@Override
	public @Nullable Snapshot read(String scope, String subscription) {
		List<?> answer;
		try {
			// One script: the meta and the list as of one moment, on the shared
			// connection
			answer = this.redis.execute(READ,
					List.of(this.keys.historyMeta(scope, subscription), this.keys.history(scope, subscription)),
					SubscriptionHistory.newEpoch(), Long.toString(META_TTL.toMillis()));
		}
		catch (RuntimeException ex) {
			return null;
		}
		if (answer == null || answer.size() < 3 || answer.get(0) == null || answer.get(1) == null) {
			return new Snapshot("", 0, List.of());
		}
		List<HistoryMessage> messages = new ArrayList<>();
		if (answer.get(2) instanceof List<?> entries) {
			for (Object entry : entries) {
				String kept = (String) entry;
				int first = kept.indexOf(' ');
				int second = kept.indexOf(' ', first + 1);
				messages.add(new HistoryMessage(Long.parseLong(kept.substring(0, first)), kept.substring(second + 1),
						Instant.ofEpochMilli(Long.parseLong(kept.substring(first + 1, second)))));
			}
		}
		return new Snapshot(answer.get(0).toString(), Long.parseLong(answer.get(1).toString()), messages);
	}

	private static int indexOf(byte[] bytes, byte wanted) {
		for (int i = 0; i < bytes.length; i++) {
			if (bytes[i] == wanted) {
				return i;
			}
		}
		return -1;
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	private static byte[] concat(byte[] first, byte[] second) {
		byte[] both = Arrays.copyOf(first, first.length + second.length);
		System.arraycopy(second, 0, both, first.length, second.length);
		return both;
	}

	/**
	 * Multicasts to one subscription, sent as one script: one command for many messages,
	 * so that a relay that fell behind catches up without a pipeline of commands so long
	 * that its last ones time out.
	 */
	private final class Multicast implements Publisher.Publication {

		private final String meta;

		private final byte[][] head;

		private final List<byte[]> messages;

		Multicast(String meta, byte[][] head, List<byte[]> message) {
			this.meta = meta;
			this.head = head;
			this.messages = new ArrayList<>(message);
		}

		@Override
		public boolean absorb(Publisher.Publication next) {
			if (next instanceof Multicast other && other.meta.equals(this.meta)
					&& this.messages.size() / 4 < MAX_MESSAGES) {
				this.messages.addAll(other.messages);
				return true;
			}
			return false;
		}

		@Override
		public CompletionStage<?> send(RedisClusterAsyncCommands<byte[], byte[]> commands) {
			// Decided as the relay sends, in the order of the multicasts: the first one
			// after those that missed Redis starts the new epoch
			boolean newEpoch = RedisHistory.this.missed.remove(this.meta);
			List<byte[]> args = new ArrayList<>(this.head.length - 1 + this.messages.size());
			args.addAll(Arrays.asList(this.head).subList(2, this.head.length));
			args.add(newEpoch ? NEW_EPOCH : SAME_EPOCH);
			args.addAll(this.messages);
			return commands.eval(MULTICAST, ScriptOutputType.INTEGER, new byte[][] { this.head[0], this.head[1] },
					args.toArray(byte[][]::new));
		}

		@Override
		public void dropped() {
			RedisHistory.this.missed.add(this.meta);
		}

	}

}
