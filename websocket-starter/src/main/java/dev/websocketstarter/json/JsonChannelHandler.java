package dev.websocketstarter.json;

import dev.websocketstarter.registry.Channel;
import dev.websocketstarter.registry.ChannelHandler;

/**
 * A {@link ChannelHandler} whose text messages arrive bound to a type, with Jackson's
 * {@code JsonMapper}: a record, a class, or a sealed interface with Jackson's type
 * annotations. Declare it as any handler, with
 * {@link dev.websocketstarter.registry.WebSocketApp @WebSocketApp}.
 * <p>
 * A message that is not valid JSON or does not bind to the type never reaches
 * {@link #onMessage}: {@link #onInvalidMessage} decides what the channel gets, by default
 * an error message, {@code {"error":"invalid-message","message":"..."}}, and the channel
 * stays open. Binary messages still arrive at {@link #onBinary}.
 *
 * <pre class="code">
 * record Order(String symbol, int quantity) { }
 *
 * &#64;Component
 * &#64;WebSocketApp("orders")
 * class OrderHandler implements JsonChannelHandler&lt;Order&gt; {
 *     public void onMessage(Channel channel, Order order) { ... }
 * }
 * </pre>
 *
 * @param <T> the type messages are bound to, found from the class's declaration
 */
public interface JsonChannelHandler<T> extends ChannelHandler {

	/**
	 * A message arrived and bound to the type.
	 * @param channel the channel it arrived on
	 * @param message the message
	 */
	void onMessage(Channel channel, T message);

	/**
	 * A message was not valid JSON or did not bind to the type.
	 * @param channel the channel it arrived on
	 * @param problem what is wrong with it, short and fit to send to the client
	 * @return what the channel gets
	 */
	default InvalidMessagePolicy onInvalidMessage(Channel channel, String problem) {
		return InvalidMessagePolicy.REPLY;
	}

	/**
	 * What a channel gets for a message that does not bind.
	 */
	enum InvalidMessagePolicy {

		/** An error message, {@code {"error":"invalid-message","message":"..."}}. */
		REPLY,

		/** A close with 1007 (invalid payload) and the reason "Invalid message". */
		CLOSE,

		/** Nothing: the handler dealt with it. */
		IGNORE

	}

}
