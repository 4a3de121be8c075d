package com.example.chat;

import dev.websocketstarter.registry.Channel;
import dev.websocketstarter.registry.ChannelAttribute;
import dev.websocketstarter.registry.ChannelHandler;
import dev.websocketstarter.registry.ChannelRegistry;
import dev.websocketstarter.registry.Handshake;
import dev.websocketstarter.registry.HandshakeDecision;
import dev.websocketstarter.registry.WebSocketApp;

import org.springframework.stereotype.Component;
import org.springframework.web.socket.CloseStatus;

@Component
@WebSocketApp("chat")
class ChatHandler implements ChannelHandler {

	// Shared: the other nodes of a cluster see it too
	static final ChannelAttribute<String> NAME = ChannelAttribute.shared("name");

	static final ChannelAttribute<String> ROOM = ChannelAttribute.of("room", String.class);

	private final ChannelRegistry registry;

	ChatHandler(ChannelRegistry registry) {
		this.registry = registry;
	}

	@Override
	public HandshakeDecision onHandshake(Handshake handshake) {
		// Before the upgrade: refuse with 401, 403, 429 or 503 (the reason is logged, not sent)
		String name = handshake.queryParameter("name");
		if (name == null || name.isBlank() || name.length() > 32) {
			return HandshakeDecision.forbidden("no usable name");
		}
		return HandshakeDecision.accept().with(NAME, name.strip()).with(ROOM, handshake.url());
	}

	@Override
	public void onOpen(Channel channel, Handshake handshake) {
		// Reaches the newcomer before any multicast: it joins its URL's room when onOpen returns
		this.registry.send(channel, "Welcome, " + this.registry.attribute(channel, NAME));
		this.registry.multicast(handshake.url(), this.registry.attribute(channel, NAME) + " joined", channel);
	}

	@Override
	public void onText(Channel channel, String text) {
		// Everyone in the sender's room but the sender
		String name = this.registry.attribute(channel, NAME);
		for (String room : this.registry.subscriptions(channel)) {
			this.registry.multicast(room, name + ": " + text, channel);
		}
	}

	@Override
	public void onClose(Channel channel, CloseStatus status) {
		// The channel has left its room; its attributes can still be read here
		this.registry.multicast(this.registry.attribute(channel, ROOM), this.registry.attribute(channel, NAME) + " left");
	}

}
