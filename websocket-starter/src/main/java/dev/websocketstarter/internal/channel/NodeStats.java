package dev.websocketstarter.internal.channel;

import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.LongStream;

import dev.websocketstarter.registry.Channel;

/**
 * What a node's channels do, counted: per app, and the node's multicasts. Read by the
 * metrics and the endpoint.
 */
public final class NodeStats {

	private final Map<String, AppStats> apps = new ConcurrentHashMap<>();

	private final Map<String, AtomicInteger> openByApp = new ConcurrentHashMap<>();

	private final LongAdder multicasts = new LongAdder();

	private final LongAdder multicastDeliveries = new LongAdder();

	private final Map<Channel, LocalChannel> byHandle;

	private final Collection<LocalChannel> channels;

	NodeStats(Map<Channel, LocalChannel> channels) {
		this.byHandle = channels;
		this.channels = channels.values();
	}

	/**
	 * The bytes queued to one channel that its writer has not taken yet: zero once all
	 * that was queued so far went to the connection, as a test waits for.
	 * @param channel the channel
	 * @return the bytes; zero for a channel not open on this node
	 */
	public long queuedBytes(Channel channel) {
		LocalChannel local = this.byHandle.get(channel);
		return (local != null) ? local.queuedBytes() : 0;
	}

	/**
	 * The running totals of an app.
	 * @param app the app name
	 * @return its statistics, created on first use
	 */
	public AppStats app(String app) {
		return this.apps.computeIfAbsent(app, (name) -> new AppStats());
	}

	/**
	 * The number of channels of one app the node holds, open or closing.
	 * @param app the app name
	 * @return the number of channels
	 */
	public int channels(String app) {
		AtomicInteger count = this.openByApp.get(app);
		return (count != null) ? count.get() : 0;
	}

	void channelAdded(String app) {
		this.openByApp.computeIfAbsent(app, (name) -> new AtomicInteger()).incrementAndGet();
	}

	void channelRemoved(String app) {
		this.openByApp.computeIfPresent(app, (name, open) -> {
			open.decrementAndGet();
			return open;
		});
	}

	/**
	 * The bytes queued to an app's channels and not yet written, summed over its
	 * channels.
	 * @param app the app name
	 * @return the sum
	 */
	public long queuedBytes(String app) {
		return queuedBytesPerChannel(app).sum();
	}

	/**
	 * The most bytes queued to any one of an app's channels.
	 * @param app the app name
	 * @return the maximum, 0 without channels
	 */
	public long maxQueuedBytes(String app) {
		return queuedBytesPerChannel(app).max().orElse(0);
	}

	private LongStream queuedBytesPerChannel(String app) {
		return this.channels.stream()
			.filter((channel) -> channel.app.name().equals(app))
			.mapToLong(LocalChannel::queuedBytes);
	}

	/**
	 * Multicasts made on the node.
	 * @return the count
	 */
	public long multicasts() {
		return this.multicasts.sum();
	}

	/**
	 * Messages queued by multicasts on the node: with {@link #multicasts()}, the average
	 * fan-out.
	 * @return the count
	 */
	public long multicastDeliveries() {
		return this.multicastDeliveries.sum();
	}

	/**
	 * Count a multicast.
	 * @return the number of channels it was queued for
	 */
	int multicastMade(int queued) {
		this.multicasts.increment();
		this.multicastDeliveries.add(queued);
		return queued;
	}

}
