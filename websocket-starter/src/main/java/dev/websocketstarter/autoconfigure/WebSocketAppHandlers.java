package dev.websocketstarter.autoconfigure;

import dev.websocketstarter.registry.ChannelHandler;
import org.jspecify.annotations.Nullable;

/**
 * Finds the handler of each app. The starter's own takes the beans annotated with
 * {@link dev.websocketstarter.registry.WebSocketApp @WebSocketApp}; define a bean of this
 * type to supply handlers some other way.
 */
@FunctionalInterface
public interface WebSocketAppHandlers {

	/**
	 * The handler of an app.
	 * @param app the app's name, as configured under {@code websocket.apps}
	 * @return its handler, or {@code null} if it has none
	 */
	@Nullable ChannelHandler handler(String app);

}
