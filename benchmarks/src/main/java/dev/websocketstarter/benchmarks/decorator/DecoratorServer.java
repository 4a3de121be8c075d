package dev.websocketstarter.benchmarks.decorator;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;

/**
 * The relay as the tutorials show it: a raw {@code WebSocketHandler} that keeps a set of
 * sessions, each wrapped in a {@code ConcurrentWebSocketSessionDecorator}.
 */
@SpringBootApplication
public class DecoratorServer {

	public static void main(String[] args) {
		new SpringApplicationBuilder(DecoratorServer.class).properties("websocket.enabled=false").run(args);
	}

}
