package dev.websocketstarter.sample.chat;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import dev.websocketstarter.registry.Channel;
import dev.websocketstarter.registry.ChannelAttribute;
import dev.websocketstarter.registry.ChannelHandler;
import dev.websocketstarter.registry.ChannelRegistry;
import dev.websocketstarter.registry.Handshake;
import dev.websocketstarter.registry.HandshakeDecision;
import dev.websocketstarter.registry.WebSocketApp;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.stereotype.Component;
import org.springframework.web.socket.CloseStatus;

/**
 * The chat: each URL of the app is a room, joined under the name in the query parameter
 * {@code name}. Clients send {@code {"text": "..."}}; every member of the room, the
 * sender included, gets the message once. A member's name and room are attributes of its
 * channel.
 */
@Component
@WebSocketApp("chat")
class ChatHandler implements ChannelHandler {

	/**
	 * The member's name, claimed in its room, so unique there on every node; shared, so
	 * other nodes can show it.
	 */
	static final ChannelAttribute<String> NAME = ChannelAttribute.shared("name");

	private static final ChannelAttribute<Member> MEMBER = ChannelAttribute.of("member", Member.class);

	/** The most names a welcome lists: the member count says how many there are. */
	private static final int MAX_NAMES_LISTED = 100;

	/** Closes a member whose name is refused: asking again with it would not help. */
	static final int INVALID_NAME = 4400;

	private static final int MAX_NAME_ATTEMPTS = 16;

	private final ChannelRegistry registry;

	private final JsonMapper json;

	private final ChatProperties properties;

	private final ChatFrames frames;

	private final MemberNames names;

	private final ClientAddresses addresses;

	ChatHandler(ChannelRegistry registry, JsonMapper json, ChatProperties properties) {
		this.registry = registry;
		this.json = json;
		this.properties = properties;
		this.frames = new ChatFrames(json);
		this.names = new MemberNames(properties.maxNameLength());
		this.addresses = new ClientAddresses(properties, System::nanoTime);
	}

	/**
	 * Refuse an address that holds its most connections or opens them too often, before
	 * the upgrade: joining and leaving in a loop cannot flood a room with notices.
	 */
	@Override
	public HandshakeDecision onHandshake(Handshake handshake) {
		Duration retryAfter = this.addresses.tryOpen(ClientAddresses.key(handshake.remoteAddress()));
		return (retryAfter != null)
				? HandshakeDecision.tooManyRequests("Too many connections from your address", retryAfter)
				: HandshakeDecision.accept();
	}

	/**
	 * Join the room under a name no other member has, on any node: the newcomer gets a
	 * {@code welcome} and the {@code history}, then the starter's {@code subscribed}
	 * frame with the messages it missed if it reconnects, then the room's live messages.
	 * The others learn of it from the room's next {@code presence_diff}, which the
	 * starter sends.
	 */
	@Override
	public void onOpen(Channel channel, Handshake handshake) {
		String address = ClientAddresses.key(handshake.remoteAddress());
		if (!this.addresses.opened(address)) {
			this.registry.close(channel,
					CloseStatus.POLICY_VIOLATION.withReason("Too many connections from your address"));
			return;
		}
		String requested;
		try {
			requested = this.names.normalise(handshake.queryParameter("name"));
		}
		catch (MemberNames.InvalidNameException ex) {
			this.addresses.closed(address);
			this.registry.close(channel, new CloseStatus(INVALID_NAME, "Invalid name: " + ex.getMessage()));
			return;
		}
		String room = handshake.url();
		Member member = new Member(room, address);
		// Counted until onClose, which finds the member: unless closed already
		if (!this.registry.setAttribute(channel, MEMBER, member)) {
			this.addresses.closed(address);
			return;
		}
		String name = claimName(channel, room, requested);
		if (name == null || !this.registry.setAttribute(channel, NAME, name)) {
			// Closed already: its claim went with it
			return;
		}
		this.registry.subscribe(channel, room,
				() -> List.of(this.frames.welcome(name, room, this.registry.presence(room, MAX_NAMES_LISTED)),
						this.frames.history(this.registry.history(room, this.properties.historySize()),
								this.properties.historyBytes().toBytes())));
	}

	@Override
	public void onClose(Channel channel, CloseStatus status) {
		Member member = this.registry.attribute(channel, MEMBER);
		if (member != null) {
			this.addresses.closed(member.address());
		}
	}

	/**
	 * Claim the name asked for in the room, or it with a number: {@code alice (2)} to
	 * {@code alice (9)}, then a few random four-digit numbers, so that a crowd of one
	 * name costs a bounded number of claims.
	 * @return the name claimed, {@code null} if the channel closed or was closed
	 */
	private @Nullable String claimName(Channel channel, String url, String requested) {
		String namespace = "name:" + url;
		for (int attempt = 1; attempt <= MAX_NAME_ATTEMPTS; attempt++) {
			String candidate = (attempt == 1) ? requested : requested + " ("
					+ ((attempt <= 9) ? attempt : ThreadLocalRandom.current().nextInt(1000, 10000)) + ")";
			switch (this.registry.claim(channel, namespace, this.names.claimKey(candidate))) {
				case CLAIMED -> {
					return candidate;
				}
				case CLOSED -> {
					return null;
				}
				case UNAVAILABLE -> {
					this.registry.close(channel, CloseStatus.SERVICE_OVERLOAD.withReason("Try again later"));
					return null;
				}
				case TAKEN -> {
				}
			}
		}
		this.registry.close(channel, CloseStatus.SERVICE_OVERLOAD.withReason("Name crowded; try another"));
		return null;
	}

	@Override
	public void onText(Channel channel, String text) {
		Member member = this.registry.attribute(channel, MEMBER);
		String name = this.registry.attribute(channel, NAME);
		if (member == null || name == null) {
			return;
		}
		if (!this.addresses.trySend(member.address())) {
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
		long maxBytes = this.properties.maxTextBytes().toBytes();
		if (this.frames.encodedLength(message) > maxBytes) {
			reject(channel, "text-too-long",
					"A message may take at most " + maxBytes + " bytes as JSON in UTF-8 (" + maxBytes / 6
							+ " characters at worst, such as control characters, up to " + maxBytes + " in ASCII).");
			return;
		}
		// The starter's history keeps it, for newcomers and reconnecting members
		this.registry.multicast(member.room(),
				this.frames.message(name, message, Instant.now().truncatedTo(ChronoUnit.MILLIS)));
	}

	@Override
	public void onBinary(Channel channel, byte[] data) {
		this.registry.close(channel, CloseStatus.NOT_ACCEPTABLE.withReason("Text frames only"));
	}

	/**
	 * How many members the room at a URL has, on every node of a cluster.
	 */
	int memberCount(String url) {
		return members(url);
	}

	private int members(String url) {
		return this.registry.presence(url, 0).users();
	}

	private void reject(Channel channel, String error, String message) {
		this.registry.send(channel, this.frames.error(error, message));
	}

	/**
	 * A member's room and the client address it counts against.
	 */
	private record Member(String room, String address) {

	}

}
