package dev.websocketstarter.sample.chat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import dev.websocketstarter.registry.ChannelRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.web.socket.CloseStatus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link ChatHandler}, with real WebSocket clients on a random port. Every
 * client comes from 127.0.0.1, so the limits per address are raised out of the way;
 * {@link ChatAbuseTests} tests them.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "chat.history-size=5", "chat.rate-limit.burst=1000", "chat.rate-limit.messages=1000",
				"chat.connections.max-per-address=1000", "chat.connections.opens=1000", "chat.connections.burst=1000" })
class ChatHandlerTests {

	private static final String ROOM = "/websocket/chat";

	private static final String OTHER_ROOM = "/websocket/chat2";

	@LocalServerPort
	private int port;

	@Autowired
	private ChannelRegistry registry;

	@Autowired
	private ChatHandler handler;

	private final List<ChatClient> clients = new ArrayList<>();

	@AfterEach
	void leaveEveryRoom() {
		this.clients.forEach(ChatClient::close);
		// Members leave their room after their channel left its subscription: the next
		// test must not meet their names
		await().atMost(ChatClient.TIMEOUT).untilAsserted(() -> {
			assertThat(this.registry.subscriberCount(ROOM) + this.registry.subscriberCount(OTHER_ROOM)).isZero();
			assertThat(this.handler.memberCount(ROOM) + this.handler.memberCount(OTHER_ROOM)).isZero();
		});
	}

	@Test
	void messagesStayInTheirRoom() {
		ChatClient alice = join(ROOM, "alice");
		ChatClient bob = join(ROOM, "bob");
		ChatClient carol = join(OTHER_ROOM, "carol");
		ChatClient dave = join(OTHER_ROOM, "dave");
		alice.say("for room one");
		bob.awaitText("for room one");
		// Queued after alice's message was queued to every subscriber of room one
		dave.say("for room two");
		carol.awaitText("for room two");
		alice.awaitText("for room one");
		assertThat(carol.texts()).containsExactly("for room two");
		await().atMost(ChatClient.TIMEOUT).until(() -> carol.joined().contains("dave"));
		assertThat(carol.joined()).containsExactly("carol", "dave");
		assertThat(alice.texts()).containsExactly("for room one");
	}

	@Test
	void senderSeesItsOwnMessageOnceAndOthersSeeItOnce() {
		ChatClient alice = join(ROOM, "alice");
		ChatClient bob = join(ROOM, "bob");
		alice.say("hello");
		bob.awaitText("hello");
		bob.say("marker");
		alice.awaitText("marker");
		bob.awaitText("marker");
		assertThat(alice.texts()).containsExactly("hello", "marker");
		assertThat(bob.texts()).containsExactly("hello", "marker");
		JsonNode message = alice.frames("message").get(0);
		assertThat(message.get("from").stringValue()).isEqualTo("alice");
		assertThat(Instant.parse(message.get("at").stringValue())).isBeforeOrEqualTo(Instant.now());
	}

	@Test
	void newcomerGetsTheRoomsRecentHistoryUpToItsBound() {
		ChatClient alice = join(ROOM, "alice");
		IntStream.rangeClosed(1, 7).forEach((i) -> alice.say("message " + i));
		alice.awaitText("message 7");
		ChatClient bob = join(ROOM, "bob");
		await().atMost(ChatClient.TIMEOUT).until(() -> !bob.frames("history").isEmpty());
		assertThat(bob.frames()).extracting((frame) -> frame.get("type").stringValue())
			.startsWith("welcome", "history");
		JsonNode messages = bob.frames("history").get(0).get("messages");
		assertThat(messages.valueStream().map((message) -> message.get("text").stringValue()))
			.containsExactly("message 3", "message 4", "message 5", "message 6", "message 7");
		assertThat(messages.valueStream().map((message) -> message.get("from").stringValue())).containsOnly("alice");
		ChatClient carol = join(OTHER_ROOM, "carol");
		await().atMost(ChatClient.TIMEOUT).until(() -> !carol.frames("history").isEmpty());
		assertThat(carol.frames("history")
			.get(0)
			.get("messages")
			.valueStream()
			.map((message) -> message.get("text").stringValue())).doesNotContain("message 7");
	}

	@Test
	void memberWhoReconnectsGetsEveryMessageItMissedOnceBeyondTheRecentHistory() {
		ChatClient alice = join(ROOM, "alice");
		ChatClient bob = join(ROOM, "bob");
		alice.say("before");
		bob.awaitText("before");
		String position = bob.position(ROOM);
		bob.close();
		IntStream.rangeClosed(1, 7).forEach((i) -> alice.say("missed " + i));
		alice.awaitText("missed 7");

		ChatClient back = ChatClient.rejoin(this.port, ROOM, "bob", position);
		this.clients.add(back);
		back.awaitText("missed 7");
		assertThat(back.subscribed()).singleElement().satisfies((subscribed) -> {
			assertThat(subscribed.get("recovery").stringValue()).isEqualTo("recovered");
			assertThat(subscribed.get("missed").intValue()).isEqualTo(7);
		});
		assertThat(back.texts()).containsExactly("missed 1", "missed 2", "missed 3", "missed 4", "missed 5", "missed 6",
				"missed 7");
		alice.say("live");
		back.awaitText("live");
		assertThat(back.texts()).containsOnlyOnce("missed 7", "live");
	}

	@Test
	void joinAndLeaveAreAnnouncedInPresenceDiffsWithTheMemberCount() {
		ChatClient ann = join(ROOM, "ann");
		assertThat(ann.welcome().get("members").intValue()).isEqualTo(1);
		assertThat(ann.welcome().get("room").stringValue()).isEqualTo(ROOM);
		ChatClient ben = join(ROOM, "ben");
		assertThat(ben.welcome().get("members").intValue()).isEqualTo(2);
		await().atMost(ChatClient.TIMEOUT).until(() -> ann.joined().contains("ben"));
		assertThat(ann.members()).isEqualTo(2);
		// Sent as they are, not kept in the room's history
		assertThat(ann.frames("presence_diff")).allSatisfy((diff) -> {
			assertThat(diff.get("subscription").stringValue()).isEqualTo(ROOM);
			assertThat(diff.has("offset")).isFalse();
		});
		ben.close();
		await().atMost(ChatClient.TIMEOUT).until(() -> ann.left().contains("ben"));
		// Names no other test uses: earlier tests' members may leave in the first diffs
		assertThat(ann.left()).containsOnlyOnce("ben");
		assertThat(ann.members()).isEqualTo(1);
		assertThat(ann.joined()).containsOnlyOnce("ben");
	}

	@ParameterizedTest(name = "{0} -> {1}")
	@MethodSource("badInput")
	void badInputGetsAnErrorFrameAndTheConnectionStaysUsable(String frame, String error) {
		ChatClient alice = join(ROOM, "alice");
		ChatClient bob = join(ROOM, "bob");
		alice.send(frame);
		await().atMost(ChatClient.TIMEOUT).untilAsserted(() -> assertThat(alice.errors()).containsExactly(error));
		assertThat(alice.frames("error").get(0).get("message").stringValue()).isNotBlank();
		alice.say("still here");
		bob.awaitText("still here");
		alice.awaitText("still here");
		assertThat(bob.texts()).containsExactly("still here");
		assertThat(bob.errors()).isEmpty();
	}

	static Stream<Arguments> badInput() {
		return Stream.of(Arguments.of("hello", "invalid-json"),
				Arguments.of("{\"text\": \"unterminated", "invalid-json"), Arguments.of("[\"text\"]", "invalid-json"),
				Arguments.of("{}", "missing-text"), Arguments.of("{\"txt\": \"hello\"}", "missing-text"),
				Arguments.of("{\"text\": 42}", "missing-text"), Arguments.of("{\"text\": null}", "missing-text"),
				Arguments.of("{\"text\": \"\"}", "missing-text"), Arguments.of("{\"text\": \" \\n \"}", "missing-text"),
				Arguments.of("{\"text\": \"" + "x".repeat(4095) + "\"}", "text-too-long"));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("longestTexts")
	void textIsBoundedInTheBytesItTakesAsJson(String description, String longest, String oneMore) {
		ChatClient alice = join(ROOM, "alice");
		alice.say(longest);
		alice.awaitText(longest);
		alice.say(longest + oneMore);
		await().atMost(ChatClient.TIMEOUT)
			.untilAsserted(() -> assertThat(alice.errors()).containsExactly("text-too-long"));
	}

	static Stream<Arguments> longestTexts() {
		// 4 KB with the two quotes: 4,094 bytes of text
		return Stream.of(Arguments.of("ASCII, a byte each", "x".repeat(4094), "x"),
				Arguments.of("emoji, four bytes each", "\uD83D\uDE00".repeat(1023), "\uD83D\uDE00"),
				Arguments.of("control characters, six bytes each as \\u0001", "\u0001".repeat(682), "\u0001"));
	}

	@Test
	void nameInUseInTheRoomGetsASuffix() {
		assertThat(join(ROOM, "alice").name()).isEqualTo("alice");
		ChatClient second = join(ROOM, "alice");
		assertThat(second.name()).isEqualTo("alice (2)");
		assertThat(join(ROOM, " alice ").name()).isEqualTo("alice (3)");
		assertThat(join(OTHER_ROOM, "alice").name()).isEqualTo("alice");
		second.close();
		await().atMost(ChatClient.TIMEOUT).until(() -> this.handler.memberCount(ROOM) == 2);
		assertThat(join(ROOM, "alice").name()).isEqualTo("alice (2)");
	}

	@Test
	void namesThatLookAlikeAreOneNameAndTheSecondGetsASuffix() {
		assertThat(join(ROOM, "alice").name()).isEqualTo("alice");
		// Cyrillic a, capital I for l, NFKC's full-width letters
		assertThat(join(ROOM, "\u0430lice").name()).isEqualTo("\u0430lice (2)");
		assertThat(join(ROOM, "aIice").name()).isEqualTo("aIice (3)");
		assertThat(join(ROOM, "\uFF41lice").name()).isEqualTo("alice (4)");
		assertThat(join(ROOM, "Alice").name()).isEqualTo("Alice");
	}

	@Test
	void namesAreNormalisedAndTrimmed() {
		assertThat(join(ROOM, "  alice  ").name()).isEqualTo("alice");
		assertThat(join(ROOM, "bob\u00A0\u00A0smith").name()).isEqualTo("bob smith");
		assertThat(join(ROOM, "n".repeat(32)).name()).isEqualTo("n".repeat(32));
		assertThat(join(ROOM, "<b>carol</b>").name()).isEqualTo("<b>carol</b>");
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("refusedNames")
	void refusedNameClosesWith4400SayingWhy(String description, String name, String reason) {
		ChatClient refused = ChatClient.connect(this.port, ROOM, name);
		this.clients.add(refused);
		CloseStatus status = refused.awaitClose();
		assertThat(status.getCode()).isEqualTo(ChatHandler.INVALID_NAME);
		assertThat(status.getReason()).isEqualTo("Invalid name: " + reason);
	}

	static Stream<Arguments> refusedNames() {
		return Stream.of(Arguments.of("zero-width space", "alice\u200B", "it holds the invisible character U+200B"),
				Arguments.of("right-to-left override", "\u202Eecila", "it holds the invisible character U+202E"),
				Arguments.of("control character", "b\u0007ob", "it holds the invisible character U+0007"),
				Arguments.of("tab", "bob\tsmith", "it holds the invisible character U+0009"),
				Arguments.of("Hangul filler", "\u3164", "it holds the invisible character U+3164"),
				Arguments.of("Braille blank", "\u2800\u2800", "nothing in it is visible"),
				Arguments.of("combining marks alone", "\u0301\u0301", "nothing in it is visible"),
				Arguments.of("too long", "n".repeat(33), "it is longer than 32 characters"),
				Arguments.of("the server's suffix", "alice (2)", "a number in brackets at the end is the server's"));
	}

	@Test
	void blankOrMissingNameBecomesGuest() {
		assertThat(join(ROOM, null).name()).isEqualTo("guest");
		assertThat(join(ROOM, "   ").name()).isEqualTo("guest (2)");
		assertThat(join(ROOM, "").name()).isEqualTo("guest (3)");
		assertThat(join(ROOM, "\u00A0\u3000").name()).isEqualTo("guest (4)");
	}

	@Test
	void binaryMessageClosesTheConnectionAsUnsupportedData() {
		ChatClient alice = join(ROOM, "alice");
		// Announced before bob comes: a member who joins and leaves within one diff
		// interval is never announced
		await().atMost(ChatClient.TIMEOUT).until(() -> alice.joined().contains("alice"));
		ChatClient bob = join(ROOM, "bob");
		await().atMost(ChatClient.TIMEOUT).until(() -> bob.joined().contains("bob"));
		alice.sendBinary(new byte[] { 1, 2, 3 });
		assertThat(alice.awaitClose().getCode()).isEqualTo(1003);
		await().atMost(ChatClient.TIMEOUT).until(() -> bob.left().contains("alice"));
	}

	private ChatClient join(String room, String name) {
		ChatClient client = ChatClient.join(this.port, room, name);
		this.clients.add(client);
		return client;
	}

}
