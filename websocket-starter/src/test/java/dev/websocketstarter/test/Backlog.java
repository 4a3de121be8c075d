package dev.websocketstarter.test;

import dev.websocketstarter.registry.Channel;
import dev.websocketstarter.registry.ChannelRegistry;
import dev.websocketstarter.registry.SendResult;

import org.springframework.boot.tomcat.TomcatConnectorCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a peer that stopped reading cannot take: far more than the kernel's socket buffers
 * on both ends hold, so the server's writes to it back up.
 */
public final class Backlog {

	/** How many messages {@link #queue} sends. */
	public static final int MESSAGES = 128;

	/** Each message. */
	public static final String MESSAGE = "x".repeat(64 * 1024);

	private Backlog() {
	}

	/**
	 * Queue the backlog to a channel, the send buffer limit allowing.
	 * @param registry the registry
	 * @param channel the channel
	 */
	public static void queue(ChannelRegistry registry, Channel channel) {
		for (int i = 0; i < MESSAGES; i++) {
			assertThat(registry.send(channel, MESSAGE)).isEqualTo(SendResult.QUEUED);
		}
	}

	/**
	 * A small, fixed send buffer on the server's sockets, so a peer that stopped reading
	 * backs up after kilobytes rather than after the megabytes Linux grants by default.
	 * Imported by the test application that needs it.
	 */
	@Configuration(proxyBeanMethods = false)
	public static class SmallSendBuffers {

		@Bean
		TomcatConnectorCustomizer smallSendBuffers() {
			return (connector) -> connector.setProperty("socket.txBufSize", "8192");
		}

	}

}
