package dev.websocketstarter.cluster;

import java.util.List;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.connection.DefaultStringRedisConnection;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.StringRedisConnection;

/**
 * Redis commands sent in one round trip, on the relay thread: every write of the relay
 * goes through here. Every pipeline goes through one connection kept open for the next:
 * Spring Data Redis gives a pipeline a dedicated connection, and without a pool a
 * connection opened for each pipeline would cost a TCP connection and a handshake with
 * Redis per heartbeat and per batch of channel changes. A connection that failed is
 * closed, and the next pipeline opens another.
 */
final class Pipeline {

	private final RedisConnectionFactory connectionFactory;

	/** Relay thread only. */
	private @Nullable StringRedisConnection connection;

	Pipeline(RedisConnectionFactory connectionFactory) {
		this.connectionFactory = connectionFactory;
	}

	/**
	 * Send the commands pipelined.
	 * @param commands what to send
	 * @return the answers, in the order of the commands, as strings where Redis answered
	 * bytes
	 */
	List<Object> run(Consumer<StringRedisConnection> commands) {
		StringRedisConnection connection = this.connection;
		if (connection == null) {
			DefaultStringRedisConnection opened = new DefaultStringRedisConnection(
					this.connectionFactory.getConnection());
			// Answers as strings, as a template's pipeline gives them
			opened.setDeserializePipelineAndTxResults(true);
			connection = opened;
			this.connection = connection;
		}
		try {
			connection.openPipeline();
			commands.accept(connection);
			return connection.closePipeline();
		}
		catch (RuntimeException ex) {
			close();
			throw ex;
		}
	}

	/**
	 * Close the connection; on the relay thread, or once it stopped.
	 */
	void close() {
		RedisConnection connection = this.connection;
		this.connection = null;
		if (connection != null) {
			try {
				connection.close();
			}
			catch (RuntimeException ex) {
				// Closing a connection that failed
			}
		}
	}

}
