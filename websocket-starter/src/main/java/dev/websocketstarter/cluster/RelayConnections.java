package dev.websocketstarter.cluster;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import org.jspecify.annotations.Nullable;

import org.springframework.core.NestedExceptionUtils;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * The relay's own Lettuce connections, made by the native client of Spring Data Redis's
 * {@link LettuceConnectionFactory} with its settings (TLS, credentials, timeouts, Redis
 * Cluster), for what Spring Data Redis 4.1 cannot do: sharded pub/sub (Redis 7's
 * {@code SPUBLISH} and {@code SSUBSCRIBE}), and publications pipelined on a Redis
 * Cluster. One connection publishes, commands issued without waiting are pipelined on it;
 * each subscriber connection to the shard channels is one of its own.
 */
final class RelayConnections {

	static final String NEEDS_REDIS_7 = "needs Redis 7 or later for sharded pub/sub (SPUBLISH, SSUBSCRIBE)";

	private final LettuceConnectionFactory factory;

	private final Duration timeout;

	private final byte[] probeChannel;

	private volatile @Nullable StatefulConnection<byte[], byte[]> connection;

	private volatile @Nullable RedisClusterAsyncCommands<byte[], byte[]> commands;

	RelayConnections(LettuceConnectionFactory factory, Duration timeout, RedisKeys keys) {
		this.factory = factory;
		this.timeout = timeout;
		this.probeChannel = keys.probeChannel().getBytes(StandardCharsets.UTF_8);
	}

	/**
	 * How long to wait for Redis: the connection factory's command timeout.
	 */
	Duration timeout() {
		return this.timeout;
	}

	/**
	 * The commands of the publishing connection.
	 * @return the commands, {@code null} before it was opened
	 */
	@Nullable RedisClusterAsyncCommands<byte[], byte[]> commands() {
		return this.commands;
	}

	/**
	 * Open the publishing connection if it is not open, and ask Redis whether it has
	 * sharded pub/sub; waits for Redis, on the relay thread.
	 * @throws RuntimeException if Redis cannot be reached, or is older than 7
	 */
	void open() {
		RedisClusterAsyncCommands<byte[], byte[]> commands = this.commands;
		if (commands == null) {
			AbstractRedisClient client = this.factory.getRequiredNativeClient();
			if (client instanceof RedisClusterClient cluster) {
				StatefulRedisClusterConnection<byte[], byte[]> connection = cluster.connect(ByteArrayCodec.INSTANCE);
				this.connection = connection;
				commands = connection.async();
			}
			else {
				StatefulRedisConnection<byte[], byte[]> connection = ((RedisClient) client)
					.connect(ByteArrayCodec.INSTANCE);
				this.connection = connection;
				commands = connection.async();
			}
			this.commands = commands;
		}
		await(commands.spublish(this.probeChannel, new byte[0]));
	}

	/**
	 * Open a connection that subscribes to shard channels: on a Redis Cluster, Lettuce
	 * sends each {@code SSUBSCRIBE} to the shard that holds the channel's slot.
	 * @return the connection
	 */
	StatefulRedisPubSubConnection<byte[], byte[]> subscriber() {
		AbstractRedisClient client = this.factory.getRequiredNativeClient();
		if (client instanceof RedisClusterClient cluster) {
			return cluster.connectPubSub(ByteArrayCodec.INSTANCE);
		}
		return ((RedisClient) client).connectPubSub(ByteArrayCodec.INSTANCE);
	}

	/**
	 * Wait for Redis's answer to a command, within the timeout.
	 * @throws RuntimeException if it failed or did not come
	 */
	void await(CompletionStage<?> answer) {
		await(answer, System.nanoTime() + this.timeout.toNanos());
	}

	/**
	 * Wait for Redis's answer to a command, until a deadline.
	 * @param deadline the deadline, as {@link System#nanoTime()}
	 * @throws RuntimeException if it failed or did not come
	 */
	static void await(CompletionStage<?> answer, long deadline) {
		try {
			answer.toCompletableFuture().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
		}
		catch (ExecutionException ex) {
			throw explain(ex.getCause());
		}
		catch (TimeoutException ex) {
			throw new RedisCommandTimeoutException("Redis did not answer in time");
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while waiting for Redis", ex);
		}
	}

	/**
	 * A failure as it is, or one that says what to do when Redis lacks sharded pub/sub.
	 */
	static RuntimeException explain(@Nullable Throwable failure) {
		Throwable unwrapped = (failure instanceof CompletionException completion && completion.getCause() != null)
				? completion.getCause() : failure;
		if (unwrapped == null) {
			return new IllegalStateException("Redis failed");
		}
		if (unwrapped instanceof TimeoutException) {
			return new RedisCommandTimeoutException("Redis did not acknowledge the relay's subscriptions in time");
		}
		String answer = String.valueOf(NestedExceptionUtils.getMostSpecificCause(unwrapped).getMessage());
		String lower = answer.toLowerCase(Locale.ROOT);
		if (lower.contains("unknown") && lower.contains("command") && (lower.contains("spublish")
				|| lower.contains("ssubscribe") || lower.contains("sunsubscribe") || lower.contains("script"))) {
			return new ShardedPubSubUnsupportedException(
					NEEDS_REDIS_7 + "; Redis answered: " + answer + ". Upgrade Redis to 7 or later", unwrapped);
		}
		return (unwrapped instanceof RuntimeException runtime) ? runtime
				: new IllegalStateException(unwrapped.toString(), unwrapped);
	}

	/**
	 * The failure with its root cause: a pipeline's exception says only that it
	 * "contained one or more invalid commands", whether a command failed or timed out.
	 */
	static String describe(Throwable failure) {
		Throwable cause = NestedExceptionUtils.getMostSpecificCause(failure);
		return (cause != failure) ? failure + ", caused by " + cause : failure.toString();
	}

	/**
	 * Close the publishing connection.
	 */
	void close() {
		StatefulConnection<byte[], byte[]> connection = this.connection;
		this.commands = null;
		this.connection = null;
		if (connection != null) {
			connection.closeAsync();
		}
	}

	/**
	 * Redis answered that it does not know a command of sharded pub/sub: it is older than
	 * 7.
	 */
	static final class ShardedPubSubUnsupportedException extends IllegalStateException {

		ShardedPubSubUnsupportedException(String message, Throwable cause) {
			super(message, cause);
		}

	}

}
