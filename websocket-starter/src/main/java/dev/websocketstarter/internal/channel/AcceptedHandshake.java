package dev.websocketstarter.internal.channel;

import java.util.Map;

import dev.websocketstarter.registry.ChannelAttribute;
import dev.websocketstarter.registry.Handshake;
import org.jspecify.annotations.Nullable;

/**
 * What the app decided at the handshake, left among the handshake's attributes for the
 * channel it opens.
 *
 * @param handshake what the client presented, as the app saw it
 * @param attributes the attributes the app gave the channel
 * @param session the login session the channel is bound to, or {@code null}
 */
public record AcceptedHandshake(Handshake handshake, Map<ChannelAttribute<?>, Object> attributes,
		@Nullable LoginSession session) {

	/**
	 * The key of the accepted handshake among the handshake's attributes.
	 */
	public static final String ATTRIBUTE = AcceptedHandshake.class.getName();

}
