package dev.websocketstarter.benchmarks.starter;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;

/**
 * The relay as a starter user writes it: one app with one URL, and a handler that
 * multicasts what a channel sends to everyone else on the URL. A second app,
 * {@code rooms} ({@link RoomsHandler}), serves the cluster runs' named subscriptions.
 */
@SpringBootApplication
public class StarterServer {

	public static void main(String[] args) {
		new SpringApplicationBuilder(StarterServer.class)
			.properties("websocket.apps.bench.urls=/bench", "websocket.apps.rooms.urls=/rooms",
					"websocket.apps.rooms.auto-subscribe=false")
			.run(args);
	}

}
