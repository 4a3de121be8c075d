package dev.websocketstarter.sample.chat;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One room's recent history. Thread-safe without a lock: the registry's greeting
 * subscribe keeps a newcomer's history and the live messages apart.
 */
final class ChatRoom {

	private final String url;

	private final int historySize;

	private final ConcurrentLinkedDeque<ChatMessage> history = new ConcurrentLinkedDeque<>();

	private final AtomicInteger historyCount = new AtomicInteger();

	private final AtomicLong ids = new AtomicLong();

	ChatRoom(String url, int historySize) {
		this.url = url;
		this.historySize = historySize;
	}

	String url() {
		return this.url;
	}

	/**
	 * Record a message in the history, before it is multicast, so that a newcomer greeted
	 * meanwhile has it.
	 */
	ChatMessage record(String from, String text, Instant at) {
		ChatMessage message = new ChatMessage(this.ids.incrementAndGet(), from, text, at);
		if (this.historySize > 0) {
			this.history.addLast(message);
			if (this.historyCount.incrementAndGet() > this.historySize && this.history.pollFirst() != null) {
				this.historyCount.decrementAndGet();
			}
		}
		return message;
	}

	List<ChatMessage> history() {
		return List.copyOf(this.history);
	}

}
