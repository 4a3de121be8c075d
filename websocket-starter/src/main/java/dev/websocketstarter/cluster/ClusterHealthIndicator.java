package dev.websocketstarter.cluster;

import java.util.TreeSet;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Reports the {@link ClusterRelay}: up while it reaches Redis, with the other live nodes;
 * down with the last failure while Redis is unreachable; unknown before it first
 * connected.
 */
public final class ClusterHealthIndicator implements HealthIndicator {

	private final ClusterRelay relay;

	/**
	 * Create an indicator.
	 * @param relay the relay to report on
	 */
	public ClusterHealthIndicator(ClusterRelay relay) {
		this.relay = relay;
	}

	@Override
	public Health health() {
		Health.Builder builder = switch (this.relay.state()) {
			case UP -> Health.up();
			case DOWN -> Health.down();
			case STARTING -> Health.unknown();
		};
		builder.withDetail("node", this.relay.node())
			.withDetail("otherNodes", new TreeSet<>(this.relay.otherNodes()))
			.withDetail("droppedPublications", this.relay.droppedPublications())
			.withDetail("multicastsReceived", this.relay.multicastsReceived());
		String failure = this.relay.lastFailure();
		if (failure != null) {
			builder.withDetail("error", failure);
		}
		return builder.build();
	}

}
