package dev.websocketstarter.actuate;

import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

import dev.websocketstarter.internal.channel.AppSettings;
import dev.websocketstarter.internal.channel.AppStats;
import dev.websocketstarter.internal.channel.AppStats.HandshakeRefusal;
import dev.websocketstarter.internal.channel.LocalNode;
import dev.websocketstarter.internal.history.Histories;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * Meters of every WebSocket app, tagged by app. They read the registry's running totals
 * when scraped, so sending and receiving pay nothing for them: no meter lookup, no tag
 * allocated per message.
 */
public class WebSocketMetrics implements MeterBinder {

	private final LocalNode node;

	private final List<AppSettings> apps;

	/**
	 * Create the meters' binder.
	 * @param node the node whose totals the meters read
	 * @param apps the apps to meter
	 */
	public WebSocketMetrics(LocalNode node, Collection<AppSettings> apps) {
		this.node = node;
		this.apps = List.copyOf(apps);
	}

	@Override
	public void bindTo(MeterRegistry meters) {
		for (AppSettings settings : this.apps) {
			String app = settings.name();
			Tags tags = Tags.of("app", app);
			AppStats stats = this.node.stats().app(app);
			Gauge.builder("websocket.channels", this.node, (node) -> node.stats().channels(app))
				.description("Open channels")
				.tags(tags)
				.register(meters);
			counter(meters, "websocket.handshakes", "Handshakes", stats, AppStats::opened,
					tags.and("outcome", "accepted", "reason", "none"));
			for (HandshakeRefusal reason : HandshakeRefusal.values()) {
				counter(meters, "websocket.handshakes", "Handshakes", stats, (totals) -> totals.refused(reason), tags
					.and("outcome", "refused", "reason", reason.name().toLowerCase(Locale.ROOT).replace('_', '-')));
			}
			counter(meters, "websocket.messages.received", "Whole messages received", stats, AppStats::messagesReceived,
					tags);
			counter(meters, "websocket.messages.sent", "Messages written to peers", stats, AppStats::messagesSent,
					tags);
			FunctionCounter.builder("websocket.bytes.received", stats, AppStats::bytesReceived)
				.description("Payload bytes received")
				.baseUnit("bytes")
				.tags(tags)
				.register(meters);
			FunctionCounter.builder("websocket.bytes.sent", stats, AppStats::bytesSent)
				.description("Payload bytes written to peers")
				.baseUnit("bytes")
				.tags(tags)
				.register(meters);
			counter(meters, "websocket.messages.dropped", "Messages dropped under overflow policy drop-oldest", stats,
					AppStats::messagesDropped, tags);
			counter(meters, "websocket.channels.slow", "Channels closed for slow consumption", stats,
					AppStats::slowConsumers, tags);
			counter(meters, "websocket.handler.errors", "Handler callbacks that threw", stats, AppStats::handlerErrors,
					tags);
			for (int code : AppStats.COUNTED_CLOSE_CODES) {
				counter(meters, "websocket.closes", "Channels closed, by close code", stats,
						(totals) -> totals.closes(code), tags.and("code", Integer.toString(code)));
			}
			counter(meters, "websocket.closes", "Channels closed, by close code", stats, AppStats::otherCloses,
					tags.and("code", "other"));
			Gauge.builder("websocket.send.queue", this.node, (node) -> node.stats().queuedBytes(app))
				.description("Bytes queued to the app's channels, not yet written")
				.baseUnit("bytes")
				.tags(tags.and("stat", "sum"))
				.register(meters);
			Gauge.builder("websocket.send.queue", this.node, (node) -> node.stats().maxQueuedBytes(app))
				.description("Bytes queued to the app's channels, not yet written")
				.baseUnit("bytes")
				.tags(tags.and("stat", "max"))
				.register(meters);
		}
		FunctionCounter.builder("websocket.multicasts", this.node, (node) -> node.stats().multicasts())
			.description("Multicasts")
			.register(meters);
		FunctionCounter
			.builder("websocket.multicast.deliveries", this.node, (node) -> node.stats().multicastDeliveries())
			.description("Messages queued by multicasts: the fan-out, summed")
			.register(meters);
		Histories histories = this.node.histories();
		FunctionCounter.builder("websocket.recoveries", histories, (all) -> all.stats().recovered())
			.description("Channels that joined a subscription with history and got every message they missed")
			.tags("result", "recovered")
			.register(meters);
		FunctionCounter.builder("websocket.recoveries", histories, (all) -> all.stats().notRecoverable())
			.description("Channels that joined a subscription with history and got every message they missed")
			.tags("result", "not-recoverable")
			.register(meters);
		Gauge
			.builder("websocket.history.messages", histories,
					(all) -> all.sizes().stream().mapToLong(Histories.Size::messages).sum())
			.description("Messages the subscriptions with history keep on this node")
			.register(meters);
		Gauge
			.builder("websocket.history.bytes", histories,
					(all) -> all.sizes().stream().mapToLong(Histories.Size::bytes).sum())
			.description("Bytes of text, in UTF-8, the subscriptions with history keep on this node")
			.baseUnit("bytes")
			.register(meters);
	}

	private static void counter(MeterRegistry meters, String name, String description, AppStats stats,
			ToDoubleFunction<AppStats> count, Tags tags) {
		FunctionCounter.builder(name, stats, count).description(description).tags(tags).register(meters);
	}

}
