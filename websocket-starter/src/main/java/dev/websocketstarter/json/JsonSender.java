package dev.websocketstarter.json;

import dev.websocketstarter.registry.Channel;
import dev.websocketstarter.registry.ChannelRegistry;
import dev.websocketstarter.registry.SendResult;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.util.Assert;

/**
 * Sends objects as JSON text messages through the {@link ChannelRegistry}, written with
 * the application's {@code JsonMapper}: once per call, so a multicast to a thousand
 * subscribers encodes its object once. Inject it anywhere; it is thread-safe.
 */
public final class JsonSender {

	private final ChannelRegistry registry;

	private final JsonMapper mapper;

	/**
	 * Create a sender.
	 * @param registry the registry to send through
	 * @param mapper the mapper that writes the objects
	 */
	public JsonSender(ChannelRegistry registry, JsonMapper mapper) {
		Assert.notNull(registry, "'registry' must not be null");
		Assert.notNull(mapper, "'mapper' must not be null");
		this.registry = registry;
		this.mapper = mapper;
	}

	/**
	 * The sender as one app sees it, as {@link ChannelRegistry#app} does.
	 * @param app the app's name
	 * @return the app's sender
	 */
	public JsonSender app(String app) {
		return new JsonSender(this.registry.app(app), this.mapper);
	}

	/**
	 * Queue an object to one channel.
	 * @param channel the channel
	 * @param message the object
	 * @return what became of the message
	 */
	public SendResult send(Channel channel, Object message) {
		return this.registry.send(channel, write(message));
	}

	/**
	 * Queue an object to every subscriber of a subscription but the excluded channels.
	 * @param subscription the subscription
	 * @param message the object, written once
	 * @param exclude channels that must not receive it
	 * @return the number of channels it was queued for
	 */
	public int multicast(String subscription, Object message, Channel... exclude) {
		return this.registry.multicast(subscription, write(message), exclude);
	}

	/**
	 * Queue an object to every channel of a user.
	 * @param user the principal's name
	 * @param message the object, written once
	 * @return the number of channels on this node it was queued for
	 */
	public int sendToUser(String user, Object message) {
		return this.registry.sendToUser(user, write(message));
	}

	/**
	 * Write an object as JSON text.
	 * @param message the object
	 * @return the text
	 * @throws tools.jackson.core.JacksonException if the mapper cannot write it
	 */
	public String write(Object message) {
		return this.mapper.writeValueAsString(message);
	}

}
