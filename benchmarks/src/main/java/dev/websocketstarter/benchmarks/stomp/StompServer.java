package dev.websocketstarter.benchmarks.stomp;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;

/**
 * STOMP over WebSocket with the simple broker, as most Spring users would write the
 * relay: clients send to {@code /app/bench} and subscribe to {@code /topic/bench}.
 */
@SpringBootApplication
public class StompServer {

	public static void main(String[] args) {
		new SpringApplicationBuilder(StompServer.class).properties("websocket.enabled=false").run(args);
	}

}
