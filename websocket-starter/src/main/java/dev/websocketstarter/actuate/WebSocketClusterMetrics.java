package dev.websocketstarter.actuate;

import dev.websocketstarter.cluster.ClusterRelay;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * Meters of the cluster relay: the multicasts this node received from Redis, only those
 * of the subscriptions it has subscribers for, and the publications it dropped. They read
 * the relay's running totals when scraped.
 */
public class WebSocketClusterMetrics implements MeterBinder {

	private final ClusterRelay relay;

	/**
	 * Create the meters' binder.
	 * @param relay the relay whose totals the meters read
	 */
	public WebSocketClusterMetrics(ClusterRelay relay) {
		this.relay = relay;
	}

	@Override
	public void bindTo(MeterRegistry meters) {
		FunctionCounter.builder("websocket.cluster.multicasts.received", this.relay, ClusterRelay::multicastsReceived)
			.description("Multicasts this node received from Redis: those of the subscriptions it has subscribers for")
			.register(meters);
		FunctionCounter.builder("websocket.cluster.publications.dropped", this.relay, ClusterRelay::droppedPublications)
			.description("Publications for other nodes dropped because Redis was down or too many waited")
			.register(meters);
		FunctionCounter.builder("websocket.cluster.messages.undecodable", this.relay, ClusterRelay::undecodableMessages)
			.description("Publications this node received from Redis and did not understand, dropped")
			.register(meters);
	}

}
