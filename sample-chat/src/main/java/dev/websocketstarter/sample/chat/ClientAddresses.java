package dev.websocketstarter.sample.chat;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

import org.jspecify.annotations.Nullable;

/**
 * What one client address may do across all its connections: hold a few, open them at a
 * bounded rate, and send a bounded rate of messages. An IPv6 address counts by its /64,
 * which one client usually holds whole. Behind a reverse proxy the address is the
 * proxy's, unless Boot's forwarded-headers support is on
 * ({@code server.forward-headers-strategy}).
 * <p>
 * An address is forgotten once it holds no connection and its buckets are full again, so
 * the addresses kept are bounded by the connections open and recently opened.
 */
final class ClientAddresses {

	private static final int SWEEP_EVERY = 1024;

	private final ConcurrentHashMap<String, Client> clients = new ConcurrentHashMap<>();

	private final AtomicInteger untilSweep = new AtomicInteger(SWEEP_EVERY);

	private final ChatProperties properties;

	private final LongSupplier nanoTime;

	ClientAddresses(ChatProperties properties, LongSupplier nanoTime) {
		this.properties = properties;
		this.nanoTime = nanoTime;
	}

	/**
	 * The key an address is counted by.
	 */
	static String key(@Nullable InetSocketAddress remote) {
		InetAddress address = (remote != null) ? remote.getAddress() : null;
		if (address == null) {
			return "unknown";
		}
		if (address instanceof Inet6Address) {
			return HexFormat.of().formatHex(address.getAddress(), 0, 8) + "::/64";
		}
		return address.getHostAddress();
	}

	/**
	 * Take one of the address's connection openings, before the upgrade.
	 * @return {@code null} if it may connect; else how long until it may try again
	 */
	@Nullable Duration tryOpen(String key) {
		Client client = client(key);
		if (client.connections >= this.properties.connections().maxPerAddress()) {
			return this.properties.connections().per();
		}
		return client.opens.tryTake() ? null : client.opens.untilNext();
	}

	/**
	 * Count an open connection of the address, if it holds fewer than its maximum.
	 * @return {@code true} if counted; then {@link #closed} must follow
	 */
	boolean opened(String key) {
		int max = this.properties.connections().maxPerAddress();
		boolean[] counted = new boolean[1];
		// Under the map's lock for the key, so that a sweep cannot forget it meanwhile
		this.clients.compute(key, (added, client) -> {
			Client counting = (client != null) ? client : new Client(this.properties, this.nanoTime);
			counted[0] = counting.connections < max;
			if (counted[0]) {
				counting.connections++;
			}
			return counting;
		});
		return counted[0];
	}

	void closed(String key) {
		this.clients.computeIfPresent(key, (kept, client) -> {
			client.connections--;
			return client;
		});
	}

	/**
	 * Take one of the address's messages.
	 * @return {@code true} if it may send one now
	 */
	boolean trySend(String key) {
		return client(key).messages.tryTake();
	}

	int size() {
		return this.clients.size();
	}

	private Client client(String key) {
		Client client = this.clients.get(key);
		if (client != null) {
			return client;
		}
		if (this.untilSweep.decrementAndGet() <= 0) {
			this.untilSweep.set(SWEEP_EVERY);
			this.clients.keySet()
				.forEach((idle) -> this.clients.computeIfPresent(idle, (kept, old) -> old.isIdle() ? null : old));
		}
		return this.clients.computeIfAbsent(key, (added) -> new Client(this.properties, this.nanoTime));
	}

	private static final class Client {

		/** Changed only under the map's lock for the key. */
		private volatile int connections;

		private final TokenBucket opens;

		private final TokenBucket messages;

		Client(ChatProperties properties, LongSupplier nanoTime) {
			ChatProperties.Connections connections = properties.connections();
			ChatProperties.RateLimit rate = properties.rateLimit();
			this.opens = new TokenBucket(connections.burst(), connections.opens(), connections.per(), nanoTime);
			this.messages = new TokenBucket(rate.burst(), rate.messages(), rate.per(), nanoTime);
		}

		boolean isIdle() {
			return this.connections == 0 && this.opens.isFull() && this.messages.isFull();
		}

	}

}
