package dev.websocketstarter.benchmarks.stomp;

import org.springframework.messaging.handler.annotation.MessageMapping;
import org.springframework.messaging.handler.annotation.SendTo;
import org.springframework.stereotype.Controller;

/**
 * Relays each message sent to {@code /app/bench} to the subscribers of the topic.
 */
@Controller
class BenchController {

	@MessageMapping("/bench")
	@SendTo("/topic/bench")
	String relay(String payload) {
		return payload;
	}

}
