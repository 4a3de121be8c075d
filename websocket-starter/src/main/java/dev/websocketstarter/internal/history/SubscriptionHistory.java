package dev.websocketstarter.internal.history;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.ToIntFunction;

import dev.websocketstarter.internal.history.Envelopes.Recovery;
import dev.websocketstarter.internal.history.RecoveryPositions.Position;
import dev.websocketstarter.registry.History;
import dev.websocketstarter.registry.HistoryMessage;
import org.jspecify.annotations.Nullable;

/**
 * The messages one subscription keeps on this node, bounded by count, bytes and age, with
 * the offset of the last one and the epoch of its offsets.
 * <p>
 * Its lock orders the subscription's multicasts: each one takes the next offset, is kept
 * and is queued to the subscribers under it, and a channel joins under it too, so that it
 * gets every message after its position exactly once, the missed ones first.
 */
public final class SubscriptionHistory {

	/** How long a join waits for messages on their way to this node. */
	private static final Duration CATCH_UP = Duration.ofSeconds(2);

	private final String scope;

	private final String subscription;

	private final HistorySettings settings;

	/** Where the cluster keeps the history, {@code null} on a single node. */
	private final @Nullable HistorySource source;

	/** Empty for a cluster's copy that has not read or received any message yet. */
	private String epoch;

	/**
	 * Whether this copy multicast, or greeted a channel, in an epoch of its own while
	 * Redis was down.
	 */
	private boolean forked;

	/** Whether this copy holds every message the source held when last read. */
	private boolean complete;

	/**
	 * The follow of the source this copy was last read in: received messages keep it
	 * complete only while this node stays in that follow.
	 */
	private long followed;

	/** The messages received from the source, counted. */
	private long received;

	private final ArrayDeque<Kept> kept = new ArrayDeque<>();

	private long offset;

	private long bytes;

	/**
	 * Forgotten by a sweep: a caller that finds it so looks the subscription up again.
	 */
	private boolean retired;

	SubscriptionHistory(String scope, String subscription, HistorySettings settings, @Nullable HistorySource source) {
		this.scope = scope;
		this.subscription = subscription;
		this.settings = settings;
		this.source = source;
		this.epoch = (source != null) ? "" : newEpoch();
	}

	/**
	 * A new epoch: the time in base 36 and four random characters.
	 * @return the epoch
	 */
	public static String newEpoch() {
		return Long.toString(System.currentTimeMillis(), 36)
				+ Integer.toString(ThreadLocalRandom.current().nextInt(36 * 36 * 36 * 36), 36);
	}

	/**
	 * Keep a text message under the next offset, and queue it to the subscribers wrapped
	 * in a {@code pub} frame, both under the lock.
	 * @param deliver queues the frame to the subscribers and says to how many
	 * @return how many subscribers it was queued for, -1 if this history was retired
	 */
	synchronized int multicast(String text, Instant now, ToIntFunction<String> deliver) {
		if (this.retired) {
			return -1;
		}
		if (this.source != null && !this.forked) {
			this.epoch = newEpoch();
			this.forked = true;
		}
		return keep(this.offset + 1, text, now, deliver);
	}

	/**
	 * Keep a message multicast through Redis, which gave it its epoch and offset, and
	 * queue it to the subscribers, both under the lock. A message this copy has already
	 * is skipped; after a gap or in another epoch, the copy starts again from it, and the
	 * subscribers see the gap in the offsets.
	 * @return how many subscribers it was queued for, -1 if this history was retired
	 */
	synchronized int replicate(String epoch, long offset, String text, Instant at, Instant now,
			ToIntFunction<String> deliver) {
		if (this.retired) {
			return -1;
		}
		if (epoch.equals(this.epoch) && offset <= this.offset) {
			return 0;
		}
		this.received++;
		if (!epoch.equals(this.epoch) || offset != this.offset + 1) {
			this.kept.clear();
			this.bytes = 0;
			this.epoch = epoch;
			this.forked = false;
			this.complete = false;
		}
		return keep(offset, text, (at.isAfter(now)) ? now : at, deliver);
	}

	private int keep(long offset, String text, Instant at, ToIntFunction<String> deliver) {
		notifyAll();
		long utf8 = Envelopes.utf8Length(text);
		this.offset = offset;
		this.kept.addLast(new Kept(new HistoryMessage(offset, text, at), utf8));
		this.bytes += utf8;
		trim(at);
		return deliver.applyAsInt(Envelopes.pub(this.subscription, this.epoch, offset, text));
	}

	/**
	 * Read the source if this cluster's copy cannot answer from an offset: this node does
	 * not follow the subscription, or has started following it again since the copy was
	 * read, or the copy knows no epoch yet, or a position's epoch when it knows none, or
	 * it lacks older messages the source may have, or it multicast in an epoch of its
	 * own. Outside the lock, so that the messages coming back from Redis never wait for a
	 * read.
	 * @param epoch the epoch of a position asked for, {@code null} for none
	 * @return what the source holds, its snapshot {@code null} when not read or not
	 * readable
	 */
	private Read readIfNeeded(@Nullable String epoch, long offset) {
		HistorySource source = this.source;
		if (source == null) {
			return Read.NONE;
		}
		// The follow first: a snapshot read after it holds all it did not deliver
		long followed = source.followed(this.scope, this.subscription);
		long received = needsSource(epoch, offset, followed);
		return (received >= 0) ? new Read(source.read(this.scope, this.subscription), followed, received) : Read.NONE;
	}

	/**
	 * Whether to read the source.
	 * @return the messages received so far if so, -1 if not
	 */
	private synchronized long needsSource(@Nullable String epoch, long offset, long followed) {
		long oldest = this.kept.isEmpty() ? this.offset + 1 : this.kept.getFirst().message().offset();
		boolean needs = this.forked || followed == 0 || followed != this.followed
				|| (this.epoch.isEmpty() ? !this.complete || epoch != null : !this.complete && offset < oldest - 1);
		return needs ? this.received : -1;
	}

	/**
	 * Take what the source held, under the lock: a copy that knows no epoch, or only one
	 * of its own, takes the source's; a copy of the source's epoch gets the older
	 * messages it lacks. Its last offset moves otherwise only with messages received, so
	 * that its subscribers get each one.
	 */
	private void merge(Read read) {
		HistorySource.Snapshot snapshot = read.snapshot();
		if (snapshot == null) {
			return;
		}
		if (!snapshot.epoch().isEmpty() && (read.followed() == 0 || read.followed() != this.followed)) {
			rebase(snapshot, read);
			return;
		}
		if (this.epoch.isEmpty() || this.forked) {
			if (snapshot.epoch().isEmpty()) {
				this.complete = !this.forked;
				return;
			}
			this.kept.clear();
			this.bytes = 0;
			this.epoch = snapshot.epoch();
			this.offset = snapshot.offset();
			this.forked = false;
		}
		else if (!snapshot.epoch().equals(this.epoch)) {
			// This copy's epoch came with a message: the next one settles which is newer
			return;
		}
		long oldest = this.kept.isEmpty() ? this.offset + 1 : this.kept.getFirst().message().offset();
		List<Kept> older = new ArrayList<>();
		for (HistoryMessage message : snapshot.messages()) {
			if (message.offset() < oldest && message.offset() <= this.offset) {
				older.add(new Kept(message, Envelopes.utf8Length(message.text())));
			}
		}
		for (int i = older.size() - 1; i >= 0; i--) {
			this.kept.addFirst(older.get(i));
			this.bytes += older.get(i).utf8();
		}
		this.complete = true;
	}

	/**
	 * Take what the source held in place of this copy, which this node did not keep
	 * following since its last read, under the lock: the messages received since the read
	 * follow the source's, and a copy that received one of another epoch meanwhile is
	 * newer than the source read.
	 */
	private void rebase(HistorySource.Snapshot snapshot, Read read) {
		boolean receivedSince = this.received != read.received();
		if (receivedSince && !snapshot.epoch().equals(this.epoch)) {
			this.complete = false;
			return;
		}
		List<Kept> newer = new ArrayList<>();
		for (Kept kept : this.kept) {
			if (receivedSince && kept.message().offset() > snapshot.offset()) {
				newer.add(kept);
			}
		}
		this.kept.clear();
		this.bytes = 0;
		for (HistoryMessage message : snapshot.messages()) {
			this.kept.addLast(new Kept(message, Envelopes.utf8Length(message.text())));
			this.bytes += this.kept.getLast().utf8();
		}
		for (Kept kept : newer) {
			this.kept.addLast(kept);
			this.bytes += kept.utf8();
		}
		this.epoch = snapshot.epoch();
		this.offset = newer.isEmpty() ? snapshot.offset() : newer.get(newer.size() - 1).message().offset();
		this.forked = false;
		this.complete = true;
		this.followed = read.followed();
	}

	/**
	 * Join a channel under the lock: the frames it is greeted with say where it joined
	 * and, when it asked to recover, hold the messages it missed.
	 * @param join subscribes the channel and queues the frames it is given first
	 * @param position where the channel left the subscription, {@code null} if it did not
	 * ask to recover
	 * @param maxBytes the most bytes of missed messages the channel can take at once: a
	 * gap larger than that is not recoverable, and the client starts afresh
	 * @return what became of the recovery asked for, {@code null} if this history was
	 * retired
	 */
	@Nullable Recovery join(@Nullable Position position, long maxBytes, Instant now, Join join) {
		Read read = (position != null) ? readIfNeeded(position.epoch(), position.offset())
				: readIfNeeded(null, Long.MAX_VALUE);
		synchronized (this) {
			return join(position, maxBytes, now, join, read);
		}
	}

	private @Nullable Recovery join(@Nullable Position position, long maxBytes, Instant now, Join join, Read read) {
		if (this.retired) {
			return null;
		}
		merge(read);
		if (this.epoch.isEmpty()) {
			// The source could not be read: an epoch of this copy's own, which no other
			// node accepts, rather than none, which makes the channel's position unusable
			// and its next recovery silently none
			this.epoch = newEpoch();
			this.forked = true;
		}
		if (position != null) {
			awaitOffset(position);
		}
		trim(now);
		Recovery recovery = Recovery.NONE;
		List<String> missed = List.of();
		if (position != null) {
			History since = since(position.epoch(), position.offset());
			List<String> recovered = since.complete()
					? Envelopes.pubs(this.subscription, this.epoch, since.messages(), maxBytes) : null;
			recovery = (recovered != null) ? Recovery.RECOVERED : Recovery.NOT_RECOVERABLE;
			missed = (recovered != null) ? recovered : missed;
		}
		List<String> frames = new ArrayList<>(missed.size() + 1);
		frames.add(Envelopes.subscribed(this.subscription, this.epoch, this.offset, recovery, missed.size()));
		frames.addAll(missed);
		join.join(frames);
		return recovery;
	}

	String scope() {
		return this.scope;
	}

	String subscription() {
		return this.subscription;
	}

	History last(int maxMessages, Instant now) {
		Read read = readIfNeeded(null, Math.max(0, offset() - maxMessages));
		synchronized (this) {
			merge(read);
			return lastKept(maxMessages, now);
		}
	}

	/**
	 * Wait, under the lock, for messages this cluster's copy has yet to receive: a client
	 * that left another node may be ahead of this one by what is on its way from Redis.
	 * Waiting releases the lock, so that they come in.
	 */
	private void awaitOffset(Position position) {
		if (this.source == null || !position.epoch().equals(this.epoch)) {
			return;
		}
		long deadline = System.nanoTime() + CATCH_UP.toNanos();
		try {
			long left;
			while (this.offset < position.offset() && !this.retired && (left = deadline - System.nanoTime()) > 0) {
				TimeUnit.NANOSECONDS.timedWait(this, left);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private History lastKept(int maxMessages, Instant now) {
		trim(now);
		List<HistoryMessage> messages = new ArrayList<>(Math.min(maxMessages, this.kept.size()));
		Iterator<Kept> newestFirst = this.kept.descendingIterator();
		while (messages.size() < maxMessages && newestFirst.hasNext()) {
			messages.add(newestFirst.next().message());
		}
		Collections.reverse(messages);
		return new History(this.subscription, this.epoch, this.offset, messages, true);
	}

	History since(String epoch, long offset, Instant now) {
		Read read = readIfNeeded(epoch, offset);
		synchronized (this) {
			merge(read);
			trim(now);
			return since(epoch, offset);
		}
	}

	private History since(String epoch, long offset) {
		long oldest = this.kept.isEmpty() ? this.offset + 1 : this.kept.getFirst().message().offset();
		if (!epoch.equals(this.epoch) || offset > this.offset || offset < oldest - 1) {
			return new History(this.subscription, this.epoch, this.offset, List.of(), false);
		}
		List<HistoryMessage> messages = new ArrayList<>((int) (this.offset - offset));
		for (Kept kept : this.kept) {
			if (kept.message().offset() > offset) {
				messages.add(kept.message());
			}
		}
		return new History(this.subscription, this.epoch, this.offset, messages, true);
	}

	/**
	 * Retire this history if it keeps nothing and no one is subscribed: it is forgotten,
	 * and its epoch with it.
	 * @param forget takes it out of its map, under the lock, so that no one finds it
	 * after
	 */
	synchronized void retireIfUnused(Instant now, BooleanSupplier hasSubscribers, Runnable forget) {
		trim(now);
		if (this.kept.isEmpty() && !hasSubscribers.getAsBoolean()) {
			this.retired = true;
			forget.run();
		}
	}

	private synchronized long offset() {
		return this.offset;
	}

	synchronized int size() {
		return this.kept.size();
	}

	synchronized long bytes() {
		return this.bytes;
	}

	private void trim(Instant now) {
		Instant oldest = now.minus(this.settings.maxAge());
		long maxBytes = this.settings.maxBytes().toBytes();
		while (!this.kept.isEmpty() && (this.kept.size() > this.settings.size() || this.bytes > maxBytes
				|| this.kept.getFirst().message().at().isBefore(oldest))) {
			this.bytes -= this.kept.removeFirst().utf8();
		}
	}

	/**
	 * Subscribes a channel, greeting it with frames queued before anything multicast
	 * after.
	 */
	@FunctionalInterface
	public interface Join {

		/**
		 * Subscribe the channel.
		 * @param frames what it gets first
		 */
		void join(List<String> frames);

	}

	private record Kept(HistoryMessage message, long utf8) {

	}

	/**
	 * What the source held, read outside the lock.
	 *
	 * @param snapshot the source's history, {@code null} when not read or not readable
	 * @param followed the follow it was read in
	 * @param received the messages this copy had received before it was read
	 */
	private record Read(HistorySource.@Nullable Snapshot snapshot, long followed, long received) {

		static final Read NONE = new Read(null, 0, 0);

	}

}
