package com.example.chat;

import dev.websocketstarter.registry.ChannelRegistry;

import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Tells the first room how many are in it, from outside any handler: the registry works
 * from any bean and any thread.
 */
@Component
class RoomCount {

	private final ChannelRegistry registry;

	RoomCount(ChannelRegistry registry) {
		this.registry = registry;
	}

	@Scheduled(fixedRate = 10_000)
	void announce() {
		this.registry.multicast("/ws/chat", this.registry.subscriberCount("/ws/chat") + " in the room");
	}

}
