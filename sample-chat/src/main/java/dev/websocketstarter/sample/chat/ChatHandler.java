package dev.websocketstarter.sample.chat;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.websocketstarter.registry.Channel;
import dev.websocketstarter.registry.ChannelHandler;
import dev.websocketstarter.registry.ChannelRegistry;
import dev.websocketstarter.registry.Handshake;
import dev.websocketstarter.registry.WebSocketApp;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.stereotype.Component;
import org.springframework.web.socket.CloseStatus;

/**
 * The chat: each URL of the app is a room, named by the query parameter {@code name}.
 * Clients send {@code {"text": "..."}}; every member of the room, the sender included,
 * gets the message once.
 */
@Component
@WebSocketApp("chat")
class ChatHandler implements ChannelHandler {

	private static final String GUEST = "guest";

	private final ChannelRegistry registry;

	private final JsonMapper json;

	private final ChatProperties properties;

	private final ChatFrames frames;

	private final Map<String, ChatRoom> rooms = new ConcurrentHashMap<>();

	private final Map<Channel, Member> members = new ConcurrentHashMap<>();

	ChatHandler(ChannelRegistry registry, JsonMapper json, ChatProperties properties) {
		this.registry = registry;
		this.json = json;
		this.properties = properties;
		this.frames = new ChatFrames(json);
	}

	@Override
	public void onOpen(Channel channel, Handshake handshake) {
		ChatRoom room = this.rooms.computeIfAbsent(handshake.url(),
				(url) -> new ChatRoom(url, this.registry, this.frames, this.properties.historySize()));
		String name = room.join(channel, displayName(handshake.queryParameter("name")));
		if (name != null) {
			this.members.put(channel,
					new Member(room, name, new TokenBucket(this.properties.rateLimit(), System::nanoTime)));
		}
	}

	@Override
	public void onText(Channel channel, String text) {
		Member member = this.members.get(channel);
		if (member == null) {
			return;
		}
		if (!member.bucket().tryTake()) {
			ChatProperties.RateLimit limit = this.properties.rateLimit();
			reject(channel, "rate-limited",
					"Slow down: at most " + limit.messages() + " messages every " + limit.per().toMillis() + " ms.");
			return;
		}
		JsonNode frame;
		try {
			frame = this.json.readTree(text);
		}
		catch (JacksonException ex) {
			reject(channel, "invalid-json", "Send a JSON object such as {\"text\": \"Hello\"}.");
			return;
		}
		if (frame == null || !frame.isObject()) {
			reject(channel, "invalid-json", "Send a JSON object such as {\"text\": \"Hello\"}.");
			return;
		}
		JsonNode textNode = frame.get("text");
		if (textNode == null || !textNode.isString() || textNode.stringValue().isBlank()) {
			reject(channel, "missing-text", "A message needs a non-empty \"text\" string.");
			return;
		}
		String message = textNode.stringValue();
		int maxLength = this.properties.maxTextLength();
		if (message.codePointCount(0, message.length()) > maxLength) {
			reject(channel, "text-too-long", "A message may have at most " + maxLength + " characters.");
			return;
		}
		member.room().post(new ChatMessage(member.name(), message, Instant.now().truncatedTo(ChronoUnit.MILLIS)));
	}

	@Override
	public void onBinary(Channel channel, byte[] data) {
		this.registry.close(channel, CloseStatus.NOT_ACCEPTABLE.withReason("Text frames only"));
	}

	@Override
	public void onClose(Channel channel, CloseStatus status) {
		Member member = this.members.remove(channel);
		if (member != null) {
			member.room().leave(member.name());
		}
	}

	/**
	 * How many members the room at a URL has; a member is counted until the others were
	 * told it left.
	 */
	int memberCount(String url) {
		ChatRoom room = this.rooms.get(url);
		return (room != null) ? room.size() : 0;
	}

	private void reject(Channel channel, String error, String message) {
		this.registry.send(channel, this.frames.error(error, message));
	}

	/**
	 * The name asked for, without control characters and surrounding white space, cut to
	 * the maximum length; {@code guest} when nothing is left.
	 */
	private String displayName(@Nullable String requested) {
		if (requested == null) {
			return GUEST;
		}
		StringBuilder name = new StringBuilder();
		requested.strip()
			.codePoints()
			.filter((codePoint) -> !Character.isISOControl(codePoint))
			.limit(this.properties.maxNameLength())
			.forEach(name::appendCodePoint);
		String cleaned = name.toString().strip();
		return cleaned.isEmpty() ? GUEST : cleaned;
	}

	private record Member(ChatRoom room, String name, TokenBucket bucket) {

	}

}
