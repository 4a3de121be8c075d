package dev.websocketstarter.reliability;

import dev.websocketstarter.registry.Channel;
import dev.websocketstarter.registry.ChannelHandler;
import dev.websocketstarter.registry.ChannelRegistry;

/**
 * A handler that sends every text and binary message back to its sender as it is.
 */
class MirrorHandler implements ChannelHandler {

	private final ChannelRegistry registry;

	MirrorHandler(ChannelRegistry registry) {
		this.registry = registry;
	}

	@Override
	public void onText(Channel channel, String text) {
		this.registry.send(channel, text);
	}

	@Override
	public void onBinary(Channel channel, byte[] data) {
		this.registry.send(channel, data);
	}

}
