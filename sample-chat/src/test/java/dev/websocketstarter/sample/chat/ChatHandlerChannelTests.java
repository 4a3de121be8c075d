package dev.websocketstarter.sample.chat;

import java.time.Duration;
import java.util.List;

import dev.websocketstarter.registry.HistoryMessage;
import dev.websocketstarter.test.channel.ChannelTester;
import dev.websocketstarter.test.channel.Multicast;
import dev.websocketstarter.test.channel.TestChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ChatHandler} without a network: channels opened in memory by the test
 * module's {@link ChannelTester}, on a real node and registry, with the room's history on
 * as in the sample's {@code application.yml}. Milliseconds each.
 */
class ChatHandlerChannelTests {

	private static final String ROOM = "/websocket/chat";

	private static final JsonMapper json = JsonMapper.builder().build();

	private final ChannelTester tester = ChannelTester.app("chat", ROOM)
		.history("/websocket/*")
		.handler((registry) -> new ChatHandler(registry, json,
				new ChatProperties(5, DataSize.ofKilobytes(64), DataSize.ofKilobytes(4), 32,
						new ChatProperties.RateLimit(100, Duration.ofSeconds(1), 100),
						new ChatProperties.Connections(100, 100, Duration.ofSeconds(1), 100))));

	@AfterEach
	void stop() {
		this.tester.close();
	}

	@Test
	void newcomerIsWelcomedWithTheRecentHistoryBeforeTheStartersSubscribedFrame() {
		TestChannel alice = this.tester.open("?name=alice");
		alice.awaitText((text) -> text.startsWith("{\"ws\":\"subscribed\""), "the subscribed frame");
		List<JsonNode> frames = alice.texts().stream().map(json::readTree).toList();
		assertThat(frames.get(0).get("type").stringValue()).isEqualTo("welcome");
		assertThat(frames.get(0).get("name").stringValue()).isEqualTo("alice");
		assertThat(frames.get(1).get("type").stringValue()).isEqualTo("history");
		assertThat(frames.get(2).get("recovery").stringValue()).isEqualTo("none");
	}

	@Test
	void messageIsMulticastToTheRoomAndKeptInItsHistory() {
		TestChannel alice = this.tester.open("?name=alice");
		alice.sendText("{\"text\":\"hello\"}");
		assertThat(this.tester.multicasts()).singleElement().satisfies((multicast) -> {
			assertThat(multicast.subscription()).isEqualTo(ROOM);
			assertThat(json.readTree(multicast.text()).get("from").stringValue()).isEqualTo("alice");
		});
		assertThat(this.tester.registry().history(ROOM, 10).messages()).extracting(HistoryMessage::text)
			.singleElement()
			.satisfies((text) -> assertThat(json.readTree(text).get("text").stringValue()).isEqualTo("hello"));
		alice.awaitText((text) -> text.startsWith("{\"ws\":\"pub\"") && text.contains("hello"), "the message back");
	}

	@Test
	void secondMemberOfTheSameNameGetsASuffixAndBadFramesGetErrors() {
		this.tester.open("?name=alice");
		TestChannel second = this.tester.open("?name=alice");
		second.awaitText((text) -> text.contains("\"name\":\"alice (2)\""), "a welcome as alice (2)");
		second.sendText("not json").sendText("{\"text\":\"\"}");
		second.awaitText((text) -> text.contains("\"error\":\"missing-text\""), "the missing-text error");
		assertThat(second.texts()).anySatisfy((text) -> assertThat(text).contains("\"error\":\"invalid-json\""));
		assertThat(this.tester.multicasts()).extracting(Multicast::subscription).isEmpty();
	}

}
