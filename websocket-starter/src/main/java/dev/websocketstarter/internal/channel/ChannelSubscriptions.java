package dev.websocketstarter.internal.channel;

import java.util.Iterator;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The subscriptions of one channel, thread-safe. Most channels hold one or a few, and an
 * idle channel's memory counts: up to {@value #SMALL} are kept as an immutable set that
 * each change replaces (one subscription takes 40 bytes with this object, where a
 * concurrent set takes about 200); beyond that a concurrent set takes over, so that a
 * channel with thousands does not copy them on each change. Writers take the lock;
 * readers see a consistent set without it.
 */
final class ChannelSubscriptions implements Iterable<String> {

	static final int SMALL = 8;

	/**
	 * An immutable set of at most {@link #SMALL}, or a concurrent set once more were
	 * held.
	 */
	private volatile Set<String> names = Set.of();

	/**
	 * Add a subscription.
	 * @return whether it was not held yet
	 */
	boolean add(String name) {
		synchronized (this) {
			Set<String> names = this.names;
			if (names.contains(name)) {
				return false;
			}
			if (isConcurrent(names)) {
				return names.add(name);
			}
			if (names.size() < SMALL) {
				this.names = with(names, name);
				return true;
			}
			Set<String> concurrent = ConcurrentHashMap.newKeySet();
			concurrent.addAll(names);
			concurrent.add(name);
			this.names = concurrent;
			return true;
		}
	}

	/**
	 * Remove a subscription.
	 * @return whether it was held
	 */
	boolean remove(String name) {
		synchronized (this) {
			Set<String> names = this.names;
			if (!names.contains(name)) {
				return false;
			}
			if (isConcurrent(names)) {
				return names.remove(name);
			}
			this.names = without(names, name);
			return true;
		}
	}

	boolean contains(String name) {
		return this.names.contains(name);
	}

	/**
	 * The subscriptions; changes made while iterating may or may not be seen, as with a
	 * concurrent set.
	 */
	@Override
	public Iterator<String> iterator() {
		return this.names.iterator();
	}

	/**
	 * The subscriptions as an immutable set.
	 */
	Set<String> snapshot() {
		return Set.copyOf(this.names);
	}

	private static boolean isConcurrent(Set<String> names) {
		// Only the lock's holder swaps one in, and it stays
		return names instanceof ConcurrentHashMap.KeySetView;
	}

	private static Set<String> with(Set<String> names, String name) {
		String[] all = names.toArray(new String[names.size() + 1]);
		all[names.size()] = name;
		return Set.of(all);
	}

	private static Set<String> without(Set<String> names, String name) {
		String[] rest = new String[names.size() - 1];
		int i = 0;
		for (String held : names) {
			if (!held.equals(name)) {
				rest[i++] = held;
			}
		}
		return Set.of(rest);
	}

}
