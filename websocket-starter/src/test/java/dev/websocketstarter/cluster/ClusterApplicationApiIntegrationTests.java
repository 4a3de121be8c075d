package dev.websocketstarter.cluster;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import dev.websocketstarter.registry.Channel;
import dev.websocketstarter.registry.ChannelAttribute;
import dev.websocketstarter.registry.ChannelRegistry;
import dev.websocketstarter.registry.HandshakeAuthorizer;
import dev.websocketstarter.registry.HandshakeDecision;
import dev.websocketstarter.registry.WebSocketApp;
import dev.websocketstarter.test.EchoApp;
import dev.websocketstarter.test.LoginApp;
import dev.websocketstarter.test.RecordingHandler;
import dev.websocketstarter.test.client.WebSocketTestClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.web.socket.CloseStatus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

/**
 * Tests for the application API of a {@link ClusterChannelRegistry}: shared attributes,
 * users and subscription counts across nodes, and apps kept apart on every node. Two
 * nodes, each with the apps {@code echo} and {@code other}, share a real Redis server;
 * clients name their user with the query parameter {@code user}.
 */
class ClusterApplicationApiIntegrationTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	static final ChannelAttribute<String> TIER = ChannelAttribute.shared("tier");

	static final ChannelAttribute<Integer> LEVEL = ChannelAttribute.shared("level", Integer.class, String::valueOf,
			Integer::valueOf);

	static final ChannelAttribute<String> SECRET = ChannelAttribute.of("secret", String.class);

	private static TwoNodes cluster;

	private static ClusterNode a;

	private static ClusterNode b;

	@BeforeAll
	static void startCluster() {
		cluster = TwoNodes.start("app-api", TwoApps.class, "websocket.apps.echo.urls=/ws/echo",
				"websocket.apps.other.urls=/ws/other");
		a = cluster.a();
		b = cluster.b();
	}

	@AfterAll
	static void stopCluster() {
		if (cluster != null) {
			cluster.close();
		}
	}

	@Test
	void sharedAttributeIsReadableOnOtherNodesAndOtherAttributesAreNot() {
		WebSocketTestClient client = a.connectTo("/ws/echo?id=attr");
		Channel channel = a.channel("echoHandler", "attr");
		assertThat(a.registry().setAttribute(channel, SECRET, "local only")).isTrue();
		assertThat(a.registry().setAttribute(channel, LEVEL, 3)).isTrue();
		assertThat(a.registry().setAttribute(channel, TIER, "gold")).isTrue();

		await().atMost(WAIT).untilAsserted(() -> {
			assertThat(b.registry().attribute(channel, TIER)).isEqualTo("gold");
			assertThat(b.registry().attribute(channel, LEVEL)).isEqualTo(3);
		});
		assertThat(b.registry().attribute(channel, SECRET)).isNull();
		assertThat(a.registry().attribute(channel, SECRET)).isEqualTo("local only");
		assertThat(b.registry().setAttribute(channel, TIER, "set elsewhere")).isFalse();

		client.close();
		await().atMost(WAIT).untilAsserted(() -> {
			assertThat(b.registry().isOpen(channel)).isFalse();
			assertThat(b.registry().attribute(channel, TIER)).isNull();
		});
	}

	@Test
	void changedAndRemovedSharedAttributesReachOtherNodes() {
		a.connectTo("/ws/echo?id=attr-change");
		Channel channel = a.channel("echoHandler", "attr-change");
		a.registry().setAttribute(channel, TIER, "gold");
		await().atMost(WAIT).until(() -> "gold".equals(b.registry().attribute(channel, TIER)));

		a.registry().setAttribute(channel, TIER, "platinum");
		await().atMost(WAIT).until(() -> "platinum".equals(b.registry().attribute(channel, TIER)));

		a.registry().setAttribute(channel, TIER, null);
		await().atMost(WAIT).until(() -> b.registry().attribute(channel, TIER) == null);
		assertThat(b.registry().isOpen(channel)).isTrue();
		assertThat(a.registry().attribute(channel, TIER)).isNull();
	}

	@Test
	void sharedAttributeGivenAtTheHandshakeIsReadableOnOtherNodes() {
		a.connectTo("/ws/echo?id=attr-handshake&tier=silver");
		Channel channel = a.channel("echoHandler", "attr-handshake");
		assertThat(a.registry().attribute(channel, TIER)).isEqualTo("silver");
		await().atMost(WAIT).until(() -> "silver".equals(b.registry().attribute(channel, TIER)));
	}

	@Test
	void nodeThatJoinsLaterReadsSharedAttributesAndSubscriptionsFromRedis() {
		a.connectTo("/ws/echo?id=late");
		Channel channel = a.channel("echoHandler", "late");
		String tier = "gold\nline two = \\n, not a line break: ü";
		a.registry().setAttribute(channel, TIER, tier);
		a.registry().setAttribute(channel, LEVEL, 7);
		a.registry().setAttribute(channel, SECRET, "local only");
		a.registry().subscribe(channel, "late-room\nsecond line");
		await().atMost(WAIT).until(() -> tier.equals(b.registry().attribute(channel, TIER)));

		try (ClusterNode c = cluster.startNode("node-c")) {
			await().atMost(WAIT).untilAsserted(() -> {
				assertThat(c.registry().isOpen(channel)).isTrue();
				assertThat(c.registry().attribute(channel, TIER)).isEqualTo(tier);
				assertThat(c.registry().attribute(channel, LEVEL)).isEqualTo(7);
				assertThat(c.registry().attribute(channel, SECRET)).isNull();
				assertThat(c.registry().subscriptions(channel)).containsExactlyInAnyOrder("/ws/echo",
						"late-room\nsecond line");
				assertThat(c.registry().app("echo").subscriptionCounts()).containsEntry("late-room\nsecond line", 1);
			});
		}
	}

	@Test
	void sendToUserReachesTheUsersChannelsOnEveryNode() {
		WebSocketTestClient aliceOnA = a.connectTo("/ws/echo?id=user-alice-a&user=user-alice");
		WebSocketTestClient aliceOnB = b.connectTo("/ws/echo?id=user-alice-b&user=user-alice");
		WebSocketTestClient aliceInOtherApp = a.connectTo("/ws/other?id=user-alice-other&user=user-alice");
		WebSocketTestClient bobOnA = a.connectTo("/ws/echo?id=user-bob-a&user=user-bob");
		a.channel("echoHandler", "user-alice-a");
		b.channel("echoHandler", "user-alice-b");
		a.channel("otherHandler", "user-alice-other");
		a.channel("echoHandler", "user-bob-a");
		ChannelRegistry echoOnB = b.registry().app("echo");

		assertThat(echoOnB.sendToUser("user-alice", "for alice")).isOne();
		assertThat(echoOnB.sendToUser("user-alice", "bytes".getBytes(StandardCharsets.UTF_8))).isOne();
		// Published after the messages to alice, so they arrive after them
		assertThat(echoOnB.sendToUser("user-bob", "marker")).isZero();
		assertThat(b.registry().app("other").sendToUser("user-alice", "other marker")).isZero();
		await().atMost(WAIT).untilAsserted(() -> {
			assertThat(aliceOnA.texts()).containsExactly("for alice");
			assertThat(aliceOnB.texts()).containsExactly("for alice");
			assertThat(aliceOnA.binaries()).singleElement().isEqualTo("bytes".getBytes(StandardCharsets.UTF_8));
			assertThat(aliceOnB.binaries()).singleElement().isEqualTo("bytes".getBytes(StandardCharsets.UTF_8));
			assertThat(bobOnA.texts()).containsExactly("marker");
			assertThat(aliceInOtherApp.texts()).containsExactly("other marker");
		});
		assertThat(aliceInOtherApp.binaries()).isEmpty();
	}

	@Test
	void registryOfEveryAppRefusesUsersWhenAppsKeepSeparateSubscriptions() {
		assertThatIllegalArgumentException().isThrownBy(() -> b.registry().sendToUser("anyone", "hello"))
			.withMessageContaining("registry.app(");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> b.registry().closeUser("anyone", new CloseStatus(4001, "bye")))
			.withMessageContaining("registry.app(");
	}

	@Test
	void closeUserClosesTheUsersChannelsOnEveryNodeWithTheStatus() {
		WebSocketTestClient carolOnA = a.connectTo("/ws/echo?id=close-carol-a&user=close-carol");
		WebSocketTestClient carolOnB = b.connectTo("/ws/echo?id=close-carol-b&user=close-carol");
		WebSocketTestClient daveOnB = b.connectTo("/ws/echo?id=close-dave-b&user=close-dave");
		Channel carolChannelOnB = b.channel("echoHandler", "close-carol-b");
		Channel daveChannel = b.channel("echoHandler", "close-dave-b");
		a.channel("echoHandler", "close-carol-a");

		assertThat(a.registry().app("echo").closeUser("close-carol", new CloseStatus(4001, "bye"))).isOne();
		for (WebSocketTestClient carol : List.of(carolOnA, carolOnB)) {
			assertThat(carol.awaitClose().getCode()).isEqualTo(4001);
			assertThat(carol.awaitClose().getReason()).isEqualTo("bye");
		}
		RecordingHandler handlerOnB = b.handler("echoHandler");
		await().atMost(WAIT)
			.untilAsserted(
					() -> assertThat(handlerOnB.closeStatus(carolChannelOnB)).isEqualTo(new CloseStatus(4001, "bye")));
		assertThat(b.local().isOpen(daveChannel)).isTrue();
		b.registry().send(daveChannel, "still here");
		await().atMost(WAIT).untilAsserted(() -> assertThat(daveOnB.texts()).containsExactly("still here"));
	}

	@Test
	void subscriptionCountsIncludeOtherNodesSubscriptions() {
		a.connectTo("/ws/echo?id=counts-a");
		b.connectTo("/ws/echo?id=counts-b");
		a.connectTo("/ws/other?id=counts-other-a");
		Channel onA = a.channel("echoHandler", "counts-a");
		Channel onB = b.channel("echoHandler", "counts-b");
		Channel otherOnA = a.channel("otherHandler", "counts-other-a");
		a.registry().subscribe(onA, "counts-room");
		a.registry().subscribe(onA, "counts-a-only");
		b.registry().subscribe(onB, "counts-room");
		a.registry().subscribe(otherOnA, "counts-other-room");

		await().atMost(WAIT).untilAsserted(() -> {
			assertThat(b.registry().app("echo").subscriptionCounts()).containsEntry("counts-room", 2)
				.containsEntry("counts-a-only", 1)
				.doesNotContainKey("counts-other-room");
			assertThat(b.registry().app("other").subscriptionCounts()).containsEntry("counts-other-room", 1)
				.doesNotContainKeys("counts-room", "counts-a-only");
		});
		assertThat(b.local().app("echo").subscriptionCounts()).containsEntry("counts-room", 1)
			.doesNotContainKey("counts-a-only");
	}

	@Test
	void multicastInOneAppNeverReachesAnotherAppsSubscribersOfTheSameName() {
		WebSocketTestClient echoOnA = a.connectTo("/ws/echo?id=apart-echo-a");
		WebSocketTestClient echoOnB = b.connectTo("/ws/echo?id=apart-echo-b");
		WebSocketTestClient otherOnA = a.connectTo("/ws/other?id=apart-other-a");
		WebSocketTestClient otherOnB = b.connectTo("/ws/other?id=apart-other-b");
		a.registry().subscribe(a.channel("echoHandler", "apart-echo-a"), "apart-room");
		b.registry().subscribe(b.channel("echoHandler", "apart-echo-b"), "apart-room");
		a.registry().subscribe(a.channel("otherHandler", "apart-other-a"), "apart-room");
		b.registry().subscribe(b.channel("otherHandler", "apart-other-b"), "apart-room");
		await().atMost(WAIT).untilAsserted(() -> {
			assertThat(a.registry().app("echo").subscriberCount("apart-room")).isEqualTo(2);
			assertThat(a.registry().app("other").subscriberCount("apart-room")).isEqualTo(2);
		});

		assertThat(a.registry().app("echo").multicast("apart-room", "for echo")).isOne();
		assertThat(a.registry().app("echo").multicast("apart-room", "echo bytes".getBytes(StandardCharsets.UTF_8)))
			.isOne();
		// Published after the messages to echo, so they arrive after them
		assertThat(a.registry().app("other").multicast("apart-room", "marker")).isOne();
		await().atMost(WAIT).untilAsserted(() -> {
			assertThat(echoOnA.texts()).containsExactly("for echo");
			assertThat(echoOnB.texts()).containsExactly("for echo");
			assertThat(echoOnB.binaries()).singleElement().isEqualTo("echo bytes".getBytes(StandardCharsets.UTF_8));
			assertThat(otherOnA.texts()).containsExactly("marker");
			assertThat(otherOnB.texts()).containsExactly("marker");
		});
		assertThat(otherOnA.binaries()).isEmpty();
		assertThat(otherOnB.binaries()).isEmpty();
	}

	/**
	 * The apps {@code echo} and {@code other}, a principal from the query parameter
	 * {@code user}, and the shared attribute {@code tier} from the query parameter of
	 * that name.
	 */
	@Configuration(proxyBeanMethods = false)
	@Import({ EchoApp.class, LoginApp.class })
	static class TwoApps {

		@Bean
		@WebSocketApp("other")
		RecordingHandler otherHandler(ChannelRegistry registry) {
			return new RecordingHandler(registry);
		}

		@Bean
		HandshakeAuthorizer tierFromQuery() {
			return (handshake) -> {
				String tier = handshake.queryParameter("tier");
				return (tier != null) ? HandshakeDecision.accept().with(TIER, tier) : HandshakeDecision.accept();
			};
		}

	}

}
