package dev.websocketstarter.autoconfigure;

import java.time.Duration;

import org.springframework.util.Assert;

/**
 * The cluster relay: several nodes acting as one through Redis. The Redis connection
 * itself is Spring Boot's, under {@code spring.data.redis.*}.
 */
public class ClusterProperties {

	/**
	 * Whether this node relays sends, multicasts and subscriptions to the other nodes
	 * through Redis. Needs spring-boot-starter-data-redis.
	 */
	private boolean enabled;

	/**
	 * Time after its last heartbeat when a node that stopped answering is forgotten, its
	 * channels and subscribers with it. Nodes beat every third of it.
	 */
	private Duration nodeTtl = Duration.ofSeconds(15);

	/**
	 * Prefix of the Redis keys and pub/sub channels of the relay; nodes sharing one
	 * prefix form one cluster.
	 */
	private String keyPrefix = "websocket";

	/**
	 * Maximum publications waiting for Redis on this node; further sends and multicasts
	 * to other nodes are dropped (local delivery goes on).
	 */
	private int maxPending = 10_000;

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public Duration getNodeTtl() {
		return this.nodeTtl;
	}

	public void setNodeTtl(Duration nodeTtl) {
		Assert.isTrue(nodeTtl.toMillis() >= 300, "must be at least 300ms, e.g. 15s");
		this.nodeTtl = nodeTtl;
	}

	public String getKeyPrefix() {
		return this.keyPrefix;
	}

	public void setKeyPrefix(String keyPrefix) {
		Assert.isTrue(keyPrefix.matches("[A-Za-z0-9._:-]+"),
				"must be letters, digits, '.', '_', ':' or '-', e.g. 'websocket'");
		this.keyPrefix = keyPrefix;
	}

	public int getMaxPending() {
		return this.maxPending;
	}

	public void setMaxPending(int maxPending) {
		Assert.isTrue(maxPending > 0, "must be positive, e.g. 10000");
		this.maxPending = maxPending;
	}

}
