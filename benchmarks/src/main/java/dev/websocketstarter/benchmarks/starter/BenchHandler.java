package dev.websocketstarter.benchmarks.starter;

import dev.websocketstarter.registry.Channel;
import dev.websocketstarter.registry.ChannelHandler;
import dev.websocketstarter.registry.ChannelRegistry;
import dev.websocketstarter.registry.WebSocketApp;

import org.springframework.stereotype.Component;

/**
 * Relays each text message to every other subscriber of the URL.
 */
@Component
@WebSocketApp("bench")
class BenchHandler implements ChannelHandler {

	private static final String URL = "/bench";

	private final ChannelRegistry registry;

	BenchHandler(ChannelRegistry registry) {
		this.registry = registry;
	}

	@Override
	public void onText(Channel channel, String text) {
		this.registry.multicast(URL, text, channel);
	}

}
