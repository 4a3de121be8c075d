package dev.websocketstarter.sample.chat;

import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Set;

import dev.websocketstarter.registry.Channel;
import dev.websocketstarter.registry.ChannelRegistry;
import org.jspecify.annotations.Nullable;

/**
 * One room: its members' names and recent history. Joining, posting and leaving hold the
 * room's lock while they queue their frames, so every member sees the same order and a
 * newcomer's history ends exactly where the live messages begin.
 */
final class ChatRoom {

	private final String url;

	private final ChannelRegistry registry;

	private final ChatFrames frames;

	private final int historySize;

	private final Object lock = new Object();

	private final Set<String> names = new HashSet<>();

	private final ArrayDeque<ChatMessage> history;

	ChatRoom(String url, ChannelRegistry registry, ChatFrames frames, int historySize) {
		this.url = url;
		this.registry = registry;
		this.frames = frames;
		this.historySize = historySize;
		this.history = new ArrayDeque<>(historySize);
	}

	/**
	 * Add a channel to the room under a name no other member has: it gets a
	 * {@code welcome} and the {@code history}, the others a {@code join}.
	 * @param channel the channel
	 * @param name the name it asked for, already cleaned up
	 * @return the name it got, or {@code null} if the channel closed meanwhile
	 */
	@Nullable String join(Channel channel, String name) {
		synchronized (this.lock) {
			if (!this.registry.subscribe(channel, this.url)) {
				return null;
			}
			String unique = name;
			for (int suffix = 2; this.names.contains(unique); suffix++) {
				unique = name + " (" + suffix + ")";
			}
			this.names.add(unique);
			this.registry.send(channel, this.frames.welcome(unique, this.url, this.names.size()));
			this.registry.send(channel, this.frames.history(this.history));
			this.registry.multicast(this.url, this.frames.join(unique, this.names.size()), channel);
			return unique;
		}
	}

	/**
	 * Send a message to every member, the sender included, and keep it in the history.
	 * @param message the message
	 */
	void post(ChatMessage message) {
		synchronized (this.lock) {
			if (this.historySize > 0) {
				if (this.history.size() == this.historySize) {
					this.history.removeFirst();
				}
				this.history.addLast(message);
			}
			this.registry.multicast(this.url, this.frames.message(message));
		}
	}

	/**
	 * How many members the room has.
	 */
	int size() {
		synchronized (this.lock) {
			return this.names.size();
		}
	}

	/**
	 * Remove a member, whose channel has already left the room's subscription, and tell
	 * the others.
	 * @param name the member's name
	 */
	void leave(String name) {
		synchronized (this.lock) {
			this.names.remove(name);
			this.registry.multicast(this.url, this.frames.leave(name, this.names.size()));
		}
	}

}
