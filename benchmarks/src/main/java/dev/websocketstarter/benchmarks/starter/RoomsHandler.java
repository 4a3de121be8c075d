package dev.websocketstarter.benchmarks.starter;

import dev.websocketstarter.registry.Channel;
import dev.websocketstarter.registry.ChannelAttribute;
import dev.websocketstarter.registry.ChannelHandler;
import dev.websocketstarter.registry.ChannelRegistry;
import dev.websocketstarter.registry.Handshake;
import dev.websocketstarter.registry.HandshakeDecision;
import dev.websocketstarter.registry.WebSocketApp;
import org.jspecify.annotations.Nullable;

import org.springframework.stereotype.Component;

/**
 * Named subscriptions for the cluster runs: a channel opened with
 * {@code ?subscribe=<name>} subscribes to the name, one opened with
 * {@code ?publish=<name>} multicasts what it sends to the name's subscribers without
 * subscribing itself, so a publisher holds no subscription on its node.
 */
@Component
@WebSocketApp(RoomsHandler.APP)
class RoomsHandler implements ChannelHandler {

	static final String APP = "rooms";

	private static final ChannelAttribute<String> PUBLISH_TO = ChannelAttribute.of("publish-to", String.class);

	private final ChannelRegistry registry;

	private volatile @Nullable ChannelRegistry rooms;

	RoomsHandler(ChannelRegistry registry) {
		this.registry = registry;
	}

	@Override
	public HandshakeDecision onHandshake(Handshake handshake) {
		String publishTo = handshake.queryParameter("publish");
		return (publishTo != null) ? HandshakeDecision.accept().with(PUBLISH_TO, publishTo)
				: HandshakeDecision.accept();
	}

	@Override
	public void onOpen(Channel channel, Handshake handshake) {
		String subscription = handshake.queryParameter("subscribe");
		if (subscription != null) {
			rooms().subscribe(channel, subscription);
		}
	}

	@Override
	public void onText(Channel channel, String text) {
		String subscription = this.registry.attribute(channel, PUBLISH_TO);
		if (subscription != null) {
			rooms().multicast(subscription, text, channel);
		}
	}

	/**
	 * The app's own registry, where any name is one of its subscriptions; asked for once
	 * the app is on.
	 */
	private ChannelRegistry rooms() {
		ChannelRegistry rooms = this.rooms;
		if (rooms == null) {
			rooms = this.registry.app(APP);
			this.rooms = rooms;
		}
		return rooms;
	}

}
