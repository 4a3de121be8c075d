package dev.websocketstarter.internal.json;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

import dev.websocketstarter.json.JsonChannelHandler;
import dev.websocketstarter.registry.Channel;
import dev.websocketstarter.registry.ChannelHandler;
import dev.websocketstarter.registry.ChannelRegistry;
import dev.websocketstarter.registry.Handshake;
import dev.websocketstarter.registry.HandshakeDecision;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.DatabindException;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.type.TypeFactory;

import org.springframework.core.ResolvableType;
import org.springframework.util.Assert;
import org.springframework.web.socket.CloseStatus;

/**
 * The plain handler of an app whose handler is a {@link JsonChannelHandler}: binds each
 * text message to the handler's type and passes every other event on.
 */
public final class JsonMessageHandler implements ChannelHandler {

	private static final Log logger = LogFactory.getLog(JsonMessageHandler.class);

	private static final CloseStatus INVALID = new CloseStatus(1007, "Invalid message");

	private static final Pattern PROPERTY_NAME = Pattern.compile("[A-Za-z_$][A-Za-z0-9_$]{0,63}");

	private final JsonChannelHandler<Object> handler;

	private final JavaType type;

	private final JsonMapper mapper;

	private final ChannelRegistry registry;

	/**
	 * Bind a handler's messages.
	 * @param handler the handler
	 * @param mapper the mapper that reads messages and writes errors
	 * @param registry the registry that sends errors and closes
	 * @throws IllegalArgumentException if the handler's message type cannot be found
	 */
	@SuppressWarnings("unchecked")
	public JsonMessageHandler(JsonChannelHandler<?> handler, JsonMapper mapper, ChannelRegistry registry) {
		ResolvableType declared = ResolvableType.forInstance(handler).as(JsonChannelHandler.class).getGeneric();
		Assert.isTrue(declared.resolve() != null, () -> handler.getClass().getName()
				+ " must declare the type of its messages, as in implements JsonChannelHandler<Order>");
		this.handler = (JsonChannelHandler<Object>) handler;
		this.type = javaType(mapper.getTypeFactory(), declared);
		this.mapper = mapper;
		this.registry = registry;
	}

	/**
	 * The type as Jackson sees it, with the generics a subclass resolved.
	 */
	private static JavaType javaType(TypeFactory types, ResolvableType type) {
		if (type.isArray()) {
			return types.constructArrayType(javaType(types, type.getComponentType()));
		}
		Class<?> raw = type.toClass();
		ResolvableType[] generics = type.getGenerics();
		if (generics.length == 0) {
			return types.constructType(raw);
		}
		JavaType[] parameters = new JavaType[generics.length];
		for (int i = 0; i < generics.length; i++) {
			parameters[i] = javaType(types, generics[i]);
		}
		return types.constructParametricType(raw, parameters);
	}

	@Override
	public HandshakeDecision onHandshake(Handshake handshake) {
		return this.handler.onHandshake(handshake);
	}

	@Override
	public void onOpen(Channel channel, Handshake handshake) {
		this.handler.onOpen(channel, handshake);
	}

	@Override
	public void onText(Channel channel, String text) {
		Object message;
		try {
			message = this.mapper.readValue(text, this.type);
		}
		catch (JacksonException ex) {
			invalid(channel, problem(ex));
			return;
		}
		if (message == null) {
			invalid(channel, "A message must not be null");
			return;
		}
		this.handler.onMessage(channel, message);
	}

	private void invalid(Channel channel, String problem) {
		if (logger.isDebugEnabled()) {
			logger.debug("Invalid message on channel " + channel + ": " + problem);
		}
		switch (this.handler.onInvalidMessage(channel, problem)) {
			case REPLY -> this.registry.send(channel, this.mapper.writeValueAsString(error(problem)));
			case CLOSE -> this.registry.close(channel, INVALID);
			case IGNORE -> {
			}
		}
	}

	private static Map<String, String> error(String problem) {
		Map<String, String> error = new LinkedHashMap<>();
		error.put("error", "invalid-message");
		error.put("message", problem);
		return error;
	}

	/**
	 * What is wrong with a message, without quoting it or naming classes: it goes to the
	 * client and to the log.
	 */
	private static String problem(JacksonException ex) {
		if (ex instanceof StreamReadException read && read.getLocation() != null) {
			return "Not valid JSON at line " + read.getLocation().getLineNr() + ", column "
					+ read.getLocation().getColumnNr();
		}
		if (ex instanceof DatabindException bind) {
			String path = path(bind);
			return path.isEmpty() ? "Does not match the expected message"
					: "Does not match the expected message at '" + path + "'";
		}
		return "Not a valid message";
	}

	private static String path(DatabindException ex) {
		StringBuilder path = new StringBuilder();
		for (var reference : ex.getPath()) {
			String name = reference.getPropertyName();
			if (name != null) {
				if (!path.isEmpty()) {
					path.append('.');
				}
				// A map's keys, or an unknown property, are the client's text
				path.append(PROPERTY_NAME.matcher(name).matches() ? name : "?");
			}
			else if (reference.getIndex() >= 0) {
				path.append('[').append(reference.getIndex()).append(']');
			}
		}
		return (path.length() > 100) ? path.substring(0, 100) + "…" : path.toString();
	}

	@Override
	public void onBinary(Channel channel, byte[] data) {
		this.handler.onBinary(channel, data);
	}

	@Override
	public void onClose(Channel channel, CloseStatus status) {
		this.handler.onClose(channel, status);
	}

	@Override
	public void onError(Channel channel, Throwable error) {
		this.handler.onError(channel, error);
	}

	@Override
	public String toString() {
		return "JsonMessageHandler[" + this.handler + ", " + this.type + "]";
	}

}
