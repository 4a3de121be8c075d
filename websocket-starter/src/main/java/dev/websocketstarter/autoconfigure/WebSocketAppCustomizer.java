package dev.websocketstarter.autoconfigure;

/**
 * Adjusts an app's configuration in code before the app is served, for what properties
 * cannot say, such as allowed origins read from a database. Every customizer bean is
 * applied, in {@link org.springframework.core.annotation.Order @Order}, to every app
 * configured under {@code websocket.apps}.
 */
@FunctionalInterface
public interface WebSocketAppCustomizer {

	/**
	 * Customize one app. An option left {@code null} is taken from
	 * {@code websocket.defaults}; emptying the URLs turns the app off.
	 * @param name the app's name, as configured under {@code websocket.apps}
	 * @param app its bound configuration, to change in place
	 */
	void customize(String name, AppProperties app);

}
