package dev.websocketstarter.registry;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Binds a {@link ChannelHandler} bean to the app of that name under
 * {@code websocket.apps}. Put it on the handler's class or on its {@code @Bean} method.
 *
 * <pre class="code">
 * &#64;Component
 * &#64;WebSocketApp("chat")
 * class ChatHandler implements ChannelHandler { ... }
 * </pre>
 */
@Target({ ElementType.TYPE, ElementType.METHOD })
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface WebSocketApp {

	/**
	 * The name of the app, as configured under {@code websocket.apps.<name>}.
	 * @return the app name
	 */
	String value();

}
