package dev.websocketstarter.test.channel;

import java.time.Duration;

import dev.websocketstarter.registry.Channel;
import dev.websocketstarter.registry.ChannelHandler;
import dev.websocketstarter.registry.ChannelRegistry;
import dev.websocketstarter.registry.Handshake;
import dev.websocketstarter.registry.PresenceEvent;
import dev.websocketstarter.registry.PresenceEvent.Kind;
import org.junit.jupiter.api.Test;

import org.springframework.http.HttpHeaders;
import org.springframework.web.socket.CloseStatus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.tuple;

/**
 * Tests for {@link ChannelTester} and {@link TestChannel}, on a small room handler: it
 * greets with the name and user of the handshake, multicasts what it gets to the room,
 * joins {@code /vip} on request and closes on {@code bye}.
 */
class ChannelTesterTests {

	@Test
	void handshakeReachesOnOpenAndMessagesComeBackThroughTheRealRegistry() {
		try (ChannelTester tester = ChannelTester.of("room", "/room", RoomHandler::new)) {
			TestChannel alice = tester.open("?name=alice");
			TestChannel bob = tester.open("?name=bob", "bob-user", new HttpHeaders());
			assertThat(alice.awaitText("hello alice (user null)")).isNotNull();
			bob.awaitText("hello bob (user bob-user)");

			alice.sendText("hi all");
			bob.awaitText("alice: hi all");
			alice.awaitText("alice: hi all");
			assertThat(tester.multicasts()).extracting(Multicast::subscription, Multicast::text)
				.containsExactly(tuple("/room", "alice: hi all"));
			assertThat(alice.subscriptions()).containsExactly("/room");
		}
	}

	@Test
	void subscriptionsAndClosesMadeByTheHandlerAreSeen() {
		try (ChannelTester tester = ChannelTester.of("room", "/room", RoomHandler::new)) {
			TestChannel carol = tester.open("?name=carol");
			carol.sendText("vip");
			assertThat(carol.subscriptions()).containsExactlyInAnyOrder("/room", "/vip");
			tester.registry().multicast("/vip", "for vips");
			carol.awaitText("for vips");

			carol.sendText("bye");
			assertThat(carol.awaitClose()).isEqualTo(new CloseStatus(4000, "bye carol"));
			assertThat(carol.isOpen()).isFalse();
		}
	}

	@Test
	void appOptionsTurnAutoSubscribeOffAndHistoryOn() {
		try (ChannelTester tester = ChannelTester.app("room", "/room")
			.autoSubscribe(false)
			.history("/vip")
			.handler(RoomHandler::new)) {
			TestChannel erin = tester.open("?name=erin");
			erin.awaitText("hello erin (user null)");
			assertThat(erin.subscriptions()).isEmpty();
			erin.sendText("vip");
			erin.awaitText((text) -> text.startsWith("{\"ws\":\"subscribed\",\"sub\":\"/vip\""),
					"the subscribed frame");
			tester.registry().multicast("/vip", "kept");
			assertThat(tester.registry().history("/vip", 5).messages()).hasSize(1);
		}
	}

	@Test
	void presenceIsHeardAsEventsAndAsDiffsToSubscribers() {
		try (ChannelTester tester = ChannelTester.app("room", "/room")
			.presence(Duration.ofMillis(50))
			.handler(RoomHandler::new)) {
			TestChannel frank = tester.open("?name=frank", "frank", new HttpHeaders());
			frank.awaitText("hello frank (user frank)");
			TestChannel grace = tester.open("?name=grace", "grace", new HttpHeaders());
			frank.awaitText((text) -> text.contains("\"presence_diff\"") && text.contains("\"grace\""),
					"a diff with grace's join");
			grace.close(CloseStatus.NORMAL);
			frank.awaitText((text) -> text.contains("\"leaves\":[{\"user\":\"grace\""), "a diff with grace's leave");
			assertThat(tester.presenceEvents()).extracting(PresenceEvent::user, PresenceEvent::kind)
				.containsSubsequence(tuple("frank", Kind.JOIN), tuple("grace", Kind.JOIN), tuple("grace", Kind.LEAVE));
		}
	}

	@Test
	void aWaitThatFailsShowsWhatWasWritten() {
		try (ChannelTester tester = ChannelTester.of("room", "/room", RoomHandler::new)
			.timeout(Duration.ofMillis(300))) {
			TestChannel dave = tester.open("?name=dave");
			dave.awaitText("hello dave (user null)");
			long started = System.nanoTime();
			assertThatExceptionOfType(AssertionError.class).isThrownBy(() -> dave.awaitText("never"))
				.withMessageContaining(
						"Expected within 300 ms on channel room#1@test: text \"never\"; it was written 1 texts [hello dave (user null)]");
			assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
		}
	}

	static final class RoomHandler implements ChannelHandler {

		private final ChannelRegistry registry;

		RoomHandler(ChannelRegistry registry) {
			this.registry = registry;
		}

		@Override
		public void onOpen(Channel channel, Handshake handshake) {
			String user = (handshake.principal() != null) ? handshake.principal().getName() : null;
			this.registry.send(channel, "hello " + handshake.queryParameter("name") + " (user " + user + ")");
		}

		@Override
		public void onText(Channel channel, String text) {
			if (text.equals("vip")) {
				this.registry.subscribe(channel, "/vip");
			}
			else if (text.equals("bye")) {
				this.registry.close(channel, new CloseStatus(4000, "bye carol"));
			}
			else {
				this.registry.multicast("/room", "alice: " + text);
			}
		}

	}

}
