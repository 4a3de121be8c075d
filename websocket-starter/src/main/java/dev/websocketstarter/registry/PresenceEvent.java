package dev.websocketstarter.registry;

import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * A user joined or left a subscription, cluster-wide: published as a Spring application
 * event for the subscriptions of apps with {@code presence: true}. A user joins with its
 * first channel in the subscription and leaves with its last, so a second tab neither
 * joins nor leaves; a channel without a user joins and leaves as a user of its own.
 * Listen with {@code @EventListener}.
 * <p>
 * Events are published in order on one thread of the starter's, which a listener must not
 * block for long. They follow the channels' states as presence reads them, on this node
 * soon after a change and for other nodes' channels about one Redis round trip later: a
 * channel that joins and leaves a subscription within that time may cause no event at
 * all.
 *
 * @param scope the subscription scope (the app's name unless apps share one)
 * @param subscription the subscription
 * @param kind whether the user joined or left
 * @param user the user, or {@code null} for a channel without one
 * @param channel the channel whose joining or leaving made the user join or leave
 * @param attributes the channel's shared attributes
 */
public record PresenceEvent(String scope, String subscription, Kind kind, @Nullable String user, Channel channel,
		Map<String, String> attributes) {

	/**
	 * Create an event, copying the attributes.
	 * @param scope the subscription scope
	 * @param subscription the subscription
	 * @param kind joined or left
	 * @param user the user, or {@code null}
	 * @param channel the channel
	 * @param attributes its shared attributes
	 */
	public PresenceEvent {
		attributes = Map.copyOf(attributes);
	}

	/**
	 * Whether a user joined or left.
	 */
	public enum Kind {

		/** The user's first channel joined the subscription. */
		JOIN,

		/** The user's last channel left the subscription. */
		LEAVE

	}

}
