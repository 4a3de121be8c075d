package dev.websocketstarter.internal.presence;

import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * What the other nodes and presence see of an open channel.
 *
 * @param subscriptions its subscriptions, in its app's scope
 * @param user the name of the principal who opened it, or {@code null}
 * @param attributes its shared attributes, as text
 */
public record SharedState(Set<String> subscriptions, @Nullable String user, Map<String, String> attributes) {

	/**
	 * Create a state, copying the collections.
	 * @param subscriptions the subscriptions
	 * @param user the user, or {@code null}
	 * @param attributes the shared attributes
	 */
	public SharedState {
		subscriptions = Set.copyOf(subscriptions);
		attributes = Map.copyOf(attributes);
	}

}
