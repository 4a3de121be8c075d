package dev.websocketstarter.internal.channel;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;

import dev.websocketstarter.registry.Channel;
import dev.websocketstarter.registry.ChannelRegistry;
import dev.websocketstarter.registry.ClaimResult;
import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * The values this node's channels {@link ChannelRegistry#claim claimed}: which channel
 * holds each, and what each channel holds, so that a channel that closes lets go of all.
 * <p>
 * Not API: the cluster relay keeps the same claims in Redis and is told of each release.
 */
public final class Claims {

	private final Map<Key, Channel> owners = new ConcurrentHashMap<>();

	private final Map<Channel, Set<Key>> held = new ConcurrentHashMap<>();

	private volatile @Nullable BiConsumer<Key, Channel> releaseListener;

	/**
	 * Check a claim's namespace and value.
	 * @throws IllegalArgumentException if either is empty or too long
	 */
	static void check(String namespace, String value) {
		Assert.isTrue(!namespace.isEmpty() && !value.isEmpty(), "A claim's namespace and value must not be empty");
		Assert.isTrue(
				namespace.getBytes(StandardCharsets.UTF_8).length <= ChannelRegistry.MAX_CLAIM_BYTES
						&& value.getBytes(StandardCharsets.UTF_8).length <= ChannelRegistry.MAX_CLAIM_BYTES,
				() -> "A claim's namespace and value may have at most " + ChannelRegistry.MAX_CLAIM_BYTES
						+ " bytes in UTF-8");
	}

	/**
	 * Claim a value for an open channel.
	 * @param open whether the channel is open, asked again after the claim so that a
	 * channel closing meanwhile leaves nothing behind
	 */
	ClaimResult claim(Key key, Channel channel, BooleanSupplier open) {
		if (!open.getAsBoolean()) {
			return ClaimResult.CLOSED;
		}
		Channel owner = this.owners.putIfAbsent(key, channel);
		if (owner != null && !owner.equals(channel)) {
			return ClaimResult.TAKEN;
		}
		this.held.computeIfAbsent(channel, (ignored) -> ConcurrentHashMap.newKeySet()).add(key);
		if (!open.getAsBoolean()) {
			releaseAll(channel);
			return ClaimResult.CLOSED;
		}
		return ClaimResult.CLAIMED;
	}

	/**
	 * Give up one value a channel holds.
	 * @return whether it held it
	 */
	public boolean release(Key key, Channel channel) {
		if (!this.owners.remove(key, channel)) {
			return false;
		}
		Set<Key> keys = this.held.get(channel);
		if (keys != null) {
			keys.remove(key);
		}
		released(key, channel);
		return true;
	}

	/**
	 * Take back a claim this node made but the cluster refused, telling no one.
	 */
	public void withdraw(Key key, Channel channel) {
		if (this.owners.remove(key, channel)) {
			Set<Key> keys = this.held.get(channel);
			if (keys != null) {
				keys.remove(key);
			}
		}
	}

	/**
	 * Give up everything a channel holds, as it closes.
	 */
	void releaseAll(Channel channel) {
		Set<Key> keys = this.held.remove(channel);
		if (keys != null) {
			for (Key key : keys) {
				if (this.owners.remove(key, channel)) {
					released(key, channel);
				}
			}
		}
	}

	private void released(Key key, Channel channel) {
		BiConsumer<Key, Channel> listener = this.releaseListener;
		if (listener != null) {
			listener.accept(key, channel);
		}
	}

	/**
	 * The channel that holds a value on this node.
	 * @return the channel, {@code null} if none does
	 */
	public @Nullable Channel owner(Key key) {
		return this.owners.get(key);
	}

	/**
	 * Every claim held on this node.
	 * @return a snapshot of the values and their channels
	 */
	public List<Map.Entry<Key, Channel>> all() {
		return List.copyOf(this.owners.entrySet());
	}

	/**
	 * Set what is told of each value a channel gives up, on the thread that gives it up.
	 * @param listener the listener, or {@code null} for none
	 */
	public void setReleaseListener(@Nullable BiConsumer<Key, Channel> listener) {
		this.releaseListener = listener;
	}

	/**
	 * A claimed value.
	 *
	 * @param scope the subscription scope of the claiming channel's app
	 * @param namespace what the value is unique in
	 * @param value the value
	 */
	public record Key(String scope, String namespace, String value) {

	}

}
