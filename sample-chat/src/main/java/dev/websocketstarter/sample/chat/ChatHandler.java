package dev.websocketstarter.sample.chat;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.websocketstarter.registry.Channel;
import dev.websocketstarter.registry.ChannelHandler;
import dev.websocketstarter.registry.ChannelRegistry;
import dev.websocketstarter.registry.Handshake;
import dev.websocketstarter.registry.WebSocketApp;

import org.springframework.stereotype.Component;
import org.springframework.web.socket.CloseStatus;

/**
 * Relays each message to the other members of the sender's room: the URL it connected to.
 */
@Component
@WebSocketApp("chat")
class ChatHandler implements ChannelHandler {

	private final ChannelRegistry registry;

	private final Map<Channel, String> rooms = new ConcurrentHashMap<>();

	ChatHandler(ChannelRegistry registry) {
		this.registry = registry;
	}

	@Override
	public void onOpen(Channel channel, Handshake handshake) {
		this.rooms.put(channel, handshake.url());
	}

	@Override
	public void onText(Channel channel, String text) {
		String room = this.rooms.get(channel);
		if (room != null) {
			this.registry.multicast(room, text, channel);
		}
	}

	@Override
	public void onClose(Channel channel, CloseStatus status) {
		this.rooms.remove(channel);
	}

}
