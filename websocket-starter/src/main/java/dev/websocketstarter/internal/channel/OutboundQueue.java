package dev.websocketstarter.internal.channel;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLongFieldUpdater;

import dev.websocketstarter.registry.OverflowPolicy;
import org.jspecify.annotations.Nullable;

/**
 * A channel's queue of messages to write, bounded by {@code send-buffer-limit} in bytes.
 * A message that would take the queue past the limit is refused under overflow policy
 * {@code close}; under {@code drop-oldest} it is queued and the oldest messages make
 * room, so what stays is always the newest run, without a gap. A message larger than the
 * limit still goes to an empty queue: the limit bounds the backlog, not the message.
 * <p>
 * Any thread offers; one writer at a time polls.
 */
final class OutboundQueue {

	// Rather than AtomicLongs: 32 bytes less per channel
	private static final AtomicLongFieldUpdater<OutboundQueue> BYTES = AtomicLongFieldUpdater
		.newUpdater(OutboundQueue.class, "bytes");

	private static final AtomicLongFieldUpdater<OutboundQueue> DROPPED = AtomicLongFieldUpdater
		.newUpdater(OutboundQueue.class, "dropped");

	private final long limit;

	private final OverflowPolicy overflow;

	private final Queue<Outbound> messages = new ConcurrentLinkedQueue<>();

	private volatile long bytes;

	private volatile long dropped;

	OutboundQueue(long limit, OverflowPolicy overflow) {
		this.limit = limit;
		this.overflow = overflow;
	}

	/**
	 * Queue a message, unless it would take the queue past its limit under overflow
	 * policy {@code close}.
	 * @return what became of it
	 */
	Offer offer(Outbound message) {
		int size = message.size();
		long queued = BYTES.addAndGet(this, size);
		if (queued <= this.limit || queued == size) {
			this.messages.add(message);
			return Offer.QUEUED;
		}
		if (this.overflow == OverflowPolicy.CLOSE) {
			BYTES.addAndGet(this, -size);
			return Offer.REFUSED;
		}
		this.messages.add(message);
		return dropOldest();
	}

	private Offer dropOldest() {
		long dropped = 0;
		while (this.bytes > this.limit) {
			Outbound oldest = this.messages.poll();
			if (oldest == null) {
				break;
			}
			BYTES.addAndGet(this, -oldest.size());
			dropped++;
		}
		if (dropped == 0) {
			return Offer.QUEUED;
		}
		return new Offer(true, dropped, DROPPED.getAndAdd(this, dropped) == 0);
	}

	/**
	 * Take the oldest message off the queue.
	 * @return the message, or {@code null} if the queue is empty
	 */
	@Nullable Outbound poll() {
		Outbound message = this.messages.poll();
		if (message != null) {
			BYTES.addAndGet(this, -message.size());
		}
		return message;
	}

	boolean isEmpty() {
		return this.messages.isEmpty();
	}

	/**
	 * Discard every queued message.
	 */
	void clear() {
		this.messages.clear();
		this.bytes = 0;
	}

	/**
	 * The bytes queued.
	 */
	long bytes() {
		return this.bytes;
	}

	/**
	 * The messages dropped under overflow policy {@code drop-oldest} so far.
	 */
	long dropped() {
		return this.dropped;
	}

	/**
	 * What became of an offered message.
	 *
	 * @param queued whether it was queued
	 * @param dropped how many of the oldest messages were dropped to make room
	 * @param firstDrop whether these are the first the queue dropped
	 */
	record Offer(boolean queued, long dropped, boolean firstDrop) {

		static final Offer QUEUED = new Offer(true, 0, false);

		static final Offer REFUSED = new Offer(false, 0, false);

	}

}
