package dev.websocketstarter.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * The cluster relay: several nodes acting as one through Redis. The Redis connection
 * itself is Spring Boot's, under {@code spring.data.redis.*}.
 */
public class ClusterProperties {

	private static final int MIN_SECRET_LENGTH = 32;

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

	/**
	 * Secret every node of the cluster shares, at least 32 characters: each relay message
	 * is sealed with an HMAC of it, and a message with a wrong or missing seal, or one
	 * seen before, is dropped. Without it, anyone who can reach Redis can read every
	 * multicast and inject messages, subscriptions and closes on every node.
	 */
	private @Nullable String secret;

	/**
	 * Further secrets whose seals are accepted, not made: for rotating the secret without
	 * downtime (add the new one here on every node, then make it the secret, then drop
	 * the old one).
	 */
	private List<String> acceptedSecrets = new ArrayList<>();

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

	public @Nullable String getSecret() {
		return this.secret;
	}

	public void setSecret(@Nullable String secret) {
		Assert.isTrue(secret == null || secret.length() >= MIN_SECRET_LENGTH,
				"must be at least 32 characters, e.g. from openssl rand -base64 32");
		this.secret = secret;
	}

	public List<String> getAcceptedSecrets() {
		return this.acceptedSecrets;
	}

	public void setAcceptedSecrets(List<String> acceptedSecrets) {
		Assert.isTrue(acceptedSecrets.stream().allMatch((accepted) -> accepted.length() >= MIN_SECRET_LENGTH),
				"each must be at least 32 characters");
		this.acceptedSecrets = new ArrayList<>(acceptedSecrets);
	}

	/**
	 * The secrets that open relay messages, the one that seals first; empty without a
	 * secret.
	 * @return the secrets
	 */
	public List<String> secrets() {
		List<String> secrets = new ArrayList<>();
		if (this.secret != null) {
			secrets.add(this.secret);
			secrets.addAll(this.acceptedSecrets);
		}
		return secrets;
	}

}
