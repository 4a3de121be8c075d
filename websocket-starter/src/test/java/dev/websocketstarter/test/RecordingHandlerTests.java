package dev.websocketstarter.test;

import dev.websocketstarter.registry.Channel;
import org.junit.jupiter.api.Test;

import org.springframework.web.socket.CloseStatus;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link RecordingHandler}'s contract checks, which {@link TestGuards} turns
 * into failures.
 */
class RecordingHandlerTests {

	private final RecordingHandler handler = new RecordingHandler(null);

	private final Channel channel = new Channel("echo", "node", 1);

	@Test
	void secondCloseAndMessagesAfterTheCloseAreViolations() {
		this.handler.onClose(this.channel, CloseStatus.NORMAL);
		assertThat(RecordingHandler.takeViolations()).isEmpty();
		this.handler.onClose(this.channel, CloseStatus.GOING_AWAY);
		this.handler.onText(this.channel, "late");
		assertThat(RecordingHandler.takeViolations()).containsExactly(
				"onClose called twice for echo#1@node: " + CloseStatus.NORMAL + ", then " + CloseStatus.GOING_AWAY,
				"onText after onClose for echo#1@node");
	}

}
