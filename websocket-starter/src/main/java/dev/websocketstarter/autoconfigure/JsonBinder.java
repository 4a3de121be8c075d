package dev.websocketstarter.autoconfigure;

import dev.websocketstarter.json.JsonChannelHandler;
import dev.websocketstarter.registry.ChannelHandler;

import org.springframework.beans.factory.ObjectProvider;

/**
 * Binds the messages of an app whose handler is a {@link JsonChannelHandler}; defined
 * only when Jackson is on the class path, so that nothing else loads Jackson's classes.
 */
@FunctionalInterface
interface JsonBinder {

	ChannelHandler bind(JsonChannelHandler<?> handler);

	/**
	 * The handler the app's channels go to: the declared one, or its binding.
	 * @throws WebSocketConfigurationException for a JSON handler without Jackson
	 */
	static ChannelHandler handlerOf(String app, ChannelHandler declared, ObjectProvider<JsonBinder> binders) {
		if (!(declared instanceof JsonChannelHandler<?> json)) {
			return declared;
		}
		JsonBinder binder = binders.getIfAvailable();
		if (binder == null) {
			throw new WebSocketConfigurationException(
					"The handler of WebSocket app '" + app + "' is a " + JsonChannelHandler.class.getSimpleName()
							+ ", but there is no Jackson JsonMapper bean.",
					"Add spring-boot-starter-jackson to the dependencies, or implement "
							+ ChannelHandler.class.getName() + " and read the text messages yourself.");
		}
		return binder.bind(json);
	}

}
