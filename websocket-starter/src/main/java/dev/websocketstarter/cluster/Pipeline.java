package dev.websocketstarter.cluster;

import java.util.List;
import java.util.function.Consumer;

import org.springframework.data.redis.connection.DefaultStringRedisConnection;
import org.springframework.data.redis.connection.StringRedisConnection;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Redis commands sent in one round trip: every write of the relay goes through here.
 */
final class Pipeline {

	private Pipeline() {
	}

	/**
	 * Send the commands pipelined.
	 * @param redis the Redis commands
	 * @param commands what to send
	 * @return the answers, in the order of the commands
	 */
	// A pipelined callback returns null by contract, which NullAway takes for a
	// non-null type argument
	@SuppressWarnings("NullAway")
	static List<Object> run(StringRedisTemplate redis, Consumer<StringRedisConnection> commands) {
		return redis.executePipelined((RedisCallback<Object>) (connection) -> {
			commands.accept(new DefaultStringRedisConnection(connection));
			return null;
		});
	}

}
