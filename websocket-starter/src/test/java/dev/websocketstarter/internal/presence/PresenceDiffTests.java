package dev.websocketstarter.internal.presence;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.websocketstarter.registry.Channel;
import dev.websocketstarter.registry.PresenceEvent;
import dev.websocketstarter.registry.PresenceEvent.Kind;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link PresenceDiff}.
 */
class PresenceDiffTests {

	private static final Pattern USER = Pattern.compile("\"user\":\"(user-\\d+)\"");

	@Test
	void aLargeDiffIsSplitIntoMessagesOfBoundedSizeKeepingEveryEntryInOrder() {
		PresenceDiff diff = new PresenceDiff("/chat");
		for (int i = 0; i < 500; i++) {
			diff.add(event(Kind.JOIN, "user-" + i, i));
		}
		diff.add(event(Kind.LEAVE, "user-earlier", 1000));
		List<String> messages = diff.toMessages(4096, 500);
		assertThat(messages).hasSizeGreaterThan(1)
			.allSatisfy((message) -> assertThat(message.length()).isLessThanOrEqualTo(4096 + 200));
		List<String> users = new ArrayList<>();
		for (String message : messages) {
			assertThat(message).startsWith("{\"type\":\"presence_diff\",\"subscription\":\"/chat\",\"joins\":[");
			Matcher user = USER.matcher(message);
			while (user.find()) {
				users.add(user.group(1));
			}
		}
		assertThat(users).hasSize(500).startsWith("user-0", "user-1").endsWith("user-499");
		assertThat(messages).allSatisfy((message) -> assertThat(message).endsWith(",\"users\":500}"));
		assertThat(messages.get(messages.size() - 1)).endsWith(
				"\"leaves\":[{\"user\":\"user-earlier\",\"channel\":\"chat#1000@n1\",\"attributes\":{}}],\"users\":500}");
	}

	@Test
	void userWhoJoinsAndLeavesWithinTheIntervalIsLeftOutAndOneWhoLeavesAndComesBackIsNot() {
		PresenceDiff diff = new PresenceDiff("/chat");
		diff.add(event(Kind.JOIN, "flicker", 1));
		diff.add(event(Kind.JOIN, "stays", 2));
		diff.add(event(Kind.LEAVE, "flicker", 1));
		diff.add(event(Kind.LEAVE, "returns", 3));
		diff.add(event(Kind.JOIN, "returns", 4));
		assertThat(diff.toMessages(4096, 2)).singleElement()
			.isEqualTo("{\"type\":\"presence_diff\",\"subscription\":\"/chat\",\"joins\":["
					+ "{\"user\":\"stays\",\"channel\":\"chat#2@n1\",\"attributes\":{}},"
					+ "{\"user\":\"returns\",\"channel\":\"chat#4@n1\",\"attributes\":{}}],"
					+ "\"leaves\":[{\"user\":\"returns\",\"channel\":\"chat#3@n1\",\"attributes\":{}}],\"users\":2}");
	}

	@Test
	void valuesAreEscapedAsJsonStrings() {
		PresenceDiff diff = new PresenceDiff("/chat \"2\"");
		diff.add(new PresenceEvent("chat", "/chat \"2\"", Kind.JOIN, null, new Channel("chat", "n1", 1),
				Map.of("name", "a\\b\n\u2028<\u0001>")));
		assertThat(diff.toMessages(4096, 1))
			.containsExactly("{\"type\":\"presence_diff\",\"subscription\":\"/chat \\\"2\\\"\","
					+ "\"joins\":[{\"user\":null,\"channel\":\"chat#1@n1\",\"attributes\":{\"name\":\"a\\\\b\\n\\u2028<\\u0001>\"}}],"
					+ "\"leaves\":[],\"users\":1}");
	}

	private static PresenceEvent event(Kind kind, String user, long id) {
		return new PresenceEvent("chat", "/chat", kind, user, new Channel("chat", "n1", id), Map.of());
	}

}
