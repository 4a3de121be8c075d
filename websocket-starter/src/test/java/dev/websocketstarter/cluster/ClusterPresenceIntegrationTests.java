package dev.websocketstarter.cluster;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;

import dev.websocketstarter.registry.Channel;
import dev.websocketstarter.registry.ChannelAttribute;
import dev.websocketstarter.registry.ChannelRegistry;
import dev.websocketstarter.registry.HandshakeAuthorizer;
import dev.websocketstarter.registry.HandshakeDecision;
import dev.websocketstarter.registry.Presence;
import dev.websocketstarter.registry.Presence.Member;
import dev.websocketstarter.registry.PresenceEvent;
import dev.websocketstarter.registry.PresenceEvent.Kind;
import dev.websocketstarter.registry.WebSocketApp;
import dev.websocketstarter.test.EchoApp;
import dev.websocketstarter.test.LoginApp;
import dev.websocketstarter.test.RecordingHandler;
import dev.websocketstarter.test.client.WebSocketTestClient;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.event.EventListener;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link Presence} and {@link PresenceEvent} across nodes: what
 * {@link ChannelRegistry#presence(String, int)} lists and counts on every node, and the
 * users joining and leaving that every node publishes, also when a node dies or leaves,
 * and when Redis restarts. Two nodes share a real Redis server, each with the app
 * {@code echo}, with presence on, and the app {@code other}, without; clients name their
 * user with the query parameter {@code user} and a shared attribute with {@code tier}.
 * Each node publishes its events in order on one thread, so once a later event is in, so
 * are all that came before it: tests count events after such a marker.
 */
class ClusterPresenceIntegrationTests {

	private static final Duration WAIT = Duration.ofSeconds(15);

	private static final String PREFIX = "presence";

	static final ChannelAttribute<String> TIER = ChannelAttribute.shared("tier");

	static final ChannelAttribute<Integer> LEVEL = ChannelAttribute.shared("level", Integer.class, String::valueOf,
			Integer::valueOf);

	static final ChannelAttribute<String> SECRET = ChannelAttribute.of("secret", String.class);

	private static final AtomicLong ids = new AtomicLong();

	private static TwoNodes cluster;

	private static ClusterNode a;

	private static ClusterNode b;

	@BeforeAll
	static void startCluster() {
		cluster = start(PREFIX);
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
	void presenceListsTheChannelsOfEveryNodeWithTheirUsersAndSharedAttributes() {
		String room = "list-room";
		Tab aliceOnA = open(a, room, "alice", "tier=gold");
		Tab anonymousOnA = open(a, room, null);
		Tab aliceOnB = open(b, room, "alice");
		Tab bobOnB = open(b, room, "bob");
		assertThat(b.registry().setAttribute(aliceOnB.channel(), TIER, "silver")).isTrue();
		assertThat(b.registry().setAttribute(bobOnB.channel(), LEVEL, 2)).isTrue();
		assertThat(b.registry().setAttribute(bobOnB.channel(), SECRET, "local only")).isTrue();

		// Sorted by handle: app, node, then id; alice in two tabs is one user
		Presence expected = new Presence(room, 4, 3,
				List.of(new Member(aliceOnA.channel(), "alice", Map.of("tier", "gold")),
						new Member(anonymousOnA.channel(), null, Map.of()),
						new Member(aliceOnB.channel(), "alice", Map.of("tier", "silver")),
						new Member(bobOnB.channel(), "bob", Map.of("level", "2"))));
		await().atMost(WAIT).untilAsserted(() -> {
			assertThat(echo(a).presence(room)).isEqualTo(expected);
			assertThat(echo(b).presence(room)).isEqualTo(expected);
		});
	}

	@Test
	void presenceOfNoMembersCountsOnlyAndMaxMembersListsTheFirstByHandle() {
		String room = "count-room";
		Tab carolOnA1 = open(a, room, "carol");
		Tab carolOnA2 = open(a, room, "carol");
		Tab carolOnB = open(b, room, "carol");
		open(b, room, "dave");
		await().atMost(WAIT)
			.until(() -> echo(a).presence(room).channels() == 4 && echo(b).presence(room).channels() == 4);

		for (ClusterNode node : List.of(a, b)) {
			assertThat(echo(node).presence(room, 0)).isEqualTo(new Presence(room, 4, 2, List.of()));
			Presence two = echo(node).presence(room, 2);
			assertThat(two.channels()).isEqualTo(4);
			assertThat(two.users()).isEqualTo(2);
			assertThat(two.members()).extracting(Member::channel)
				.containsExactly(carolOnA1.channel(), carolOnA2.channel());
			assertThat(echo(node).presence(room, 3).members()).extracting(Member::channel)
				.containsExactly(carolOnA1.channel(), carolOnA2.channel(), carolOnB.channel());
		}
	}

	@Test
	void userJoinsWithTheFirstChannelOnAnyNodeAndLeavesWithTheLastOnEveryNode() {
		String room = "join-room";
		Tab aliceOnA = open(a, room, "alice", "tier=gold");
		PresenceEvent joined = new PresenceEvent("echo", room, Kind.JOIN, "alice", aliceOnA.channel(),
				Map.of("tier", "gold"));
		await().atMost(WAIT).untilAsserted(() -> {
			assertThat(events(a, room, "alice")).contains(joined);
			assertThat(events(b, room, "alice")).contains(joined);
		});

		Tab aliceOnB = open(b, room, "alice");
		// The view of node A changes after both nodes' presence threads were told
		await().atMost(WAIT).until(() -> echo(a).presence(room).channels() == 2);
		aliceOnA.client().close();
		await().atMost(WAIT).until(() -> echo(b).presence(room).channels() == 1);
		awaitMarker(room, a);
		assertThat(events(a, room, "alice")).containsExactly(joined);
		assertThat(events(b, room, "alice")).containsExactly(joined);

		aliceOnB.client().close();
		PresenceEvent left = new PresenceEvent("echo", room, Kind.LEAVE, "alice", aliceOnB.channel(), Map.of());
		await().atMost(WAIT).untilAsserted(() -> {
			assertThat(events(a, room, "alice")).contains(left);
			assertThat(events(b, room, "alice")).contains(left);
		});
		awaitMarker(room, b);
		assertThat(events(a, room, "alice")).containsExactly(joined, left);
		assertThat(events(b, room, "alice")).containsExactly(joined, left);
		assertThat(a.bean(PresenceEvents.class).threads()).containsOnly("ws-presence");
		assertThat(b.bean(PresenceEvents.class).threads()).containsOnly("ws-presence");
	}

	@Test
	void channelsWithoutAUserJoinAndLeaveAsUsersOfTheirOwn() {
		String room = "anonymous-room";
		Tab firstOnA = open(a, room, null);
		Tab secondOnA = open(a, room, null);
		Tab onB = open(b, room, null);
		await().atMost(WAIT).untilAsserted(() -> {
			for (ClusterNode node : List.of(a, b)) {
				assertThat(events(node, room, null)).extracting(PresenceEvent::kind, PresenceEvent::channel)
					.containsExactlyInAnyOrder(tuple(Kind.JOIN, firstOnA.channel()),
							tuple(Kind.JOIN, secondOnA.channel()), tuple(Kind.JOIN, onB.channel()));
			}
		});

		firstOnA.client().close();
		await().atMost(WAIT).untilAsserted(() -> {
			assertThat(kinds(a, room, null)).contains(Kind.LEAVE);
			assertThat(kinds(b, room, null)).contains(Kind.LEAVE);
		});
		awaitMarker(room, a);
		for (ClusterNode node : List.of(a, b)) {
			assertThat(events(node, room, null)).extracting(PresenceEvent::kind, PresenceEvent::channel)
				.containsExactlyInAnyOrder(tuple(Kind.JOIN, firstOnA.channel()), tuple(Kind.JOIN, secondOnA.channel()),
						tuple(Kind.JOIN, onB.channel()), tuple(Kind.LEAVE, firstOnA.channel()));
		}
	}

	@Test
	void membersOfANodeThatStopsBeatingLeaveOnceOnTheOtherNodesAfterTheyJoined() {
		String room = "ghost-room";
		StringRedisTemplate commands = a.bean(StringRedisTemplate.class);
		RedisKeys keys = new RedisKeys(PREFIX);
		Channel carolsFirst = new Channel("echo", "node-ghost", 1);
		Channel carolsSecond = new Channel("echo", "node-ghost", 2);
		Channel davesOnly = new Channel("echo", "node-ghost", 3);
		commands.opsForHash()
			.putAll(keys.channels("node-ghost"),
					Map.of(carolsFirst.toString(), "s" + room + "\natier=gold\nughost-carol\n", carolsSecond.toString(),
							"s" + room + "\nughost-carol\n", davesOnly.toString(), "s" + room + "\nughost-dave\n"));
		// Long enough to be read on a slow machine, short enough to expire within WAIT
		commands.opsForZSet().add(keys.nodes(), "node-ghost", System.currentTimeMillis() + 5000);

		await().atMost(WAIT).untilAsserted(() -> {
			for (ClusterNode node : List.of(a, b)) {
				assertThat(kinds(node, room, "ghost-carol")).contains(Kind.JOIN);
				assertThat(kinds(node, room, "ghost-dave")).contains(Kind.JOIN);
			}
		});
		await().atMost(WAIT).untilAsserted(() -> {
			for (ClusterNode node : List.of(a, b)) {
				assertThat(kinds(node, room, "ghost-carol")).contains(Kind.LEAVE);
				assertThat(kinds(node, room, "ghost-dave")).contains(Kind.LEAVE);
				assertThat(node.relay().otherNodes()).doesNotContain("node-ghost");
			}
		});
		awaitMarker(room, a);
		for (ClusterNode node : List.of(a, b)) {
			assertThat(kinds(node, room, "ghost-carol")).containsExactly(Kind.JOIN, Kind.LEAVE);
			assertThat(events(node, room, "ghost-carol")).extracting(PresenceEvent::channel)
				.allMatch((channel) -> channel.equals(carolsFirst) || channel.equals(carolsSecond));
			assertThat(events(node, room, "ghost-dave")).containsExactly(
					new PresenceEvent("echo", room, Kind.JOIN, "ghost-dave", davesOnly, Map.of()),
					new PresenceEvent("echo", room, Kind.LEAVE, "ghost-dave", davesOnly, Map.of()));
			assertThat(echo(node).presence(room).members()).extracting(Member::channel)
				.doesNotContain(carolsFirst, carolsSecond, davesOnly);
		}
		commands.delete(keys.channels("node-ghost"));
	}

	@Test
	void membersOfANodeThatShutsDownLeaveOnceOnTheOtherNodes() {
		String room = "shutdown-room";
		try (ClusterNode c = cluster.startNode("node-c-shutdown")) {
			ClusterNode.awaitAlive(a, b, c);
			open(c, room, "erin");
			open(c, room, "erin");
			open(c, room, "frank");
			await().atMost(WAIT).untilAsserted(() -> {
				for (ClusterNode node : List.of(a, b)) {
					assertThat(kinds(node, room, "erin")).contains(Kind.JOIN);
					assertThat(kinds(node, room, "frank")).contains(Kind.JOIN);
				}
			});
		}
		await().atMost(WAIT).untilAsserted(() -> {
			for (ClusterNode node : List.of(a, b)) {
				assertThat(kinds(node, room, "erin")).contains(Kind.LEAVE);
				assertThat(kinds(node, room, "frank")).contains(Kind.LEAVE);
			}
		});
		awaitMarker(room, b);
		for (ClusterNode node : List.of(a, b)) {
			assertThat(kinds(node, room, "erin")).containsExactly(Kind.JOIN, Kind.LEAVE);
			assertThat(kinds(node, room, "frank")).containsExactly(Kind.JOIN, Kind.LEAVE);
		}
	}

	@Test
	void membersOfANodeCutOffFromRedisLeaveOnceOnTheOtherNodesAndJoinAgainWhenItIsBack() {
		String room = "cut-room";
		try (RedisProxy proxy = RedisProxy.start(cluster.redis());
				ClusterNode c = cluster.startNode("node-c-cut", proxy)) {
			ClusterNode.awaitAlive(a, b, c);
			Tab graceOnC = open(c, room, "grace");
			open(c, room, "grace");
			open(c, room, "heidi");
			await().atMost(WAIT).untilAsserted(() -> {
				for (ClusterNode node : List.of(a, b)) {
					assertThat(kinds(node, room, "grace")).containsExactly(Kind.JOIN);
					assertThat(kinds(node, room, "heidi")).containsExactly(Kind.JOIN);
				}
			});

			proxy.cut();
			await().atMost(WAIT).untilAsserted(() -> {
				for (ClusterNode node : List.of(a, b)) {
					assertThat(kinds(node, room, "grace")).contains(Kind.LEAVE);
					assertThat(kinds(node, room, "heidi")).contains(Kind.LEAVE);
				}
			});
			String marker = awaitMarker(room, a);
			for (ClusterNode node : List.of(a, b)) {
				assertThat(node.relay().otherNodes()).doesNotContain("node-c-cut");
				assertThat(echo(node).presence(room).members()).extracting(Member::user).containsExactly(marker);
				assertThat(kinds(node, room, "grace")).containsExactly(Kind.JOIN, Kind.LEAVE);
				assertThat(kinds(node, room, "heidi")).containsExactly(Kind.JOIN, Kind.LEAVE);
			}
			// Node C keeps its channels, and its users keep their place there
			assertThat(c.relay().state()).isEqualTo(ClusterRelay.State.DOWN);
			assertThat(c.local().isOpen(graceOnC.channel())).isTrue();
			assertThat(kinds(c, room, "grace")).containsExactly(Kind.JOIN);

			proxy.restore();
			await().atMost(WAIT).untilAsserted(() -> {
				assertThat(c.relay().state()).isEqualTo(ClusterRelay.State.UP);
				assertThat(echo(a).presence(room).users()).isEqualTo(3);
				assertThat(echo(b).presence(room).users()).isEqualTo(3);
			});
			awaitMarker(room, c);
			for (ClusterNode node : List.of(a, b)) {
				assertThat(kinds(node, room, "grace")).containsExactly(Kind.JOIN, Kind.LEAVE, Kind.JOIN);
				assertThat(kinds(node, room, "heidi")).containsExactly(Kind.JOIN, Kind.LEAVE, Kind.JOIN);
			}
			assertThat(kinds(c, room, "grace")).containsExactly(Kind.JOIN);
		}
	}

	@Test
	void channelClosedWhileItsNodeIsCutOffFromRedisBrieflyLeavesOnTheOtherNodesWhenItIsBack() {
		String room = "closed-while-cut-room";
		// A node TTL far longer than the cut: the other nodes never forget node C
		try (RedisProxy proxy = RedisProxy.start(cluster.redis());
				ClusterNode c = cluster.startNode("node-c-brief", proxy, "websocket.cluster.node-ttl=30s")) {
			ClusterNode.awaitAlive(a, b, c);
			Tab malloryOnC = open(c, room, "mallory");
			Tab niajOnC = open(c, room, "niaj");
			await().atMost(WAIT).untilAsserted(() -> {
				for (ClusterNode node : List.of(a, b)) {
					assertThat(kinds(node, room, "mallory")).containsExactly(Kind.JOIN);
					assertThat(kinds(node, room, "niaj")).containsExactly(Kind.JOIN);
				}
			});

			proxy.cut();
			// A change to write: the write fails, and the relay goes down
			c.registry().setAttribute(niajOnC.channel(), TIER, "cut off");
			await().atMost(WAIT).until(() -> c.relay().state() == ClusterRelay.State.DOWN);
			malloryOnC.client().close();
			await().atMost(WAIT).until(() -> !c.local().isOpen(malloryOnC.channel()));
			proxy.restore();
			await().atMost(Duration.ofSeconds(30)).until(() -> c.relay().state() == ClusterRelay.State.UP);
			String marker = awaitMarker(room, c);

			for (ClusterNode node : List.of(a, b)) {
				assertThat(node.relay().otherNodes()).contains("node-c-brief");
				assertThat(kinds(node, room, "niaj"))
					.as("niaj on %s, whose node was never forgotten", node.relay().node())
					.containsExactly(Kind.JOIN);
			}
			await().atMost(WAIT).untilAsserted(() -> {
				for (ClusterNode node : List.of(a, b)) {
					assertThat(echo(node).presence(room).members()).extracting(Member::user)
						.as("members on %s", node.relay().node())
						.containsExactlyInAnyOrder("niaj", marker);
					assertThat(kinds(node, room, "mallory")).as("mallory's events on %s", node.relay().node())
						.containsExactly(Kind.JOIN, Kind.LEAVE);
				}
			});
		}
	}

	@Test
	void afterRedisRestartsPresenceShowsTheOtherNodesMembersAgainAndTheirUsersEndJoined() {
		String room = "restart-room";
		try (TwoNodes restarting = start("presence-restart")) {
			ClusterNode a2 = restarting.a();
			ClusterNode b2 = restarting.b();
			Tab ivanOnA = open(a2, room, "ivan");
			Tab judyOnB = open(b2, room, "judy");
			await().atMost(WAIT).untilAsserted(() -> {
				for (ClusterNode node : List.of(a2, b2)) {
					assertThat(echo(node).presence(room).users()).isEqualTo(2);
					assertThat(kinds(node, room, "ivan")).containsExactly(Kind.JOIN);
					assertThat(kinds(node, room, "judy")).containsExactly(Kind.JOIN);
				}
			});

			restarting.redis().stop();
			await().atMost(WAIT)
				.until(() -> a2.relay().state() == ClusterRelay.State.DOWN
						&& b2.relay().state() == ClusterRelay.State.DOWN);
			// Without Redis a node counts its own channels only
			assertThat(echo(a2).presence(room).members()).extracting(Member::channel)
				.containsExactly(ivanOnA.channel());
			assertThat(echo(b2).presence(room).members()).extracting(Member::channel)
				.containsExactly(judyOnB.channel());

			restarting.redis().restart();
			await().atMost(WAIT).untilAsserted(() -> {
				for (ClusterNode node : List.of(a2, b2)) {
					assertThat(node.relay().state()).isEqualTo(ClusterRelay.State.UP);
					assertThat(echo(node).presence(room).members()).extracting(Member::channel)
						.containsExactly(ivanOnA.channel(), judyOnB.channel());
				}
			});
			awaitMarker(room, a2, a2, b2);
			// A node's own users never leave for Redis; another node's may, when that
			// node is forgotten while Redis restarts, and then join again
			assertThat(kinds(a2, room, "ivan")).containsExactly(Kind.JOIN);
			assertThat(kinds(b2, room, "judy")).containsExactly(Kind.JOIN);
			assertEndJoined(kinds(a2, room, "judy"));
			assertEndJoined(kinds(b2, room, "ivan"));
		}
	}

	@Test
	void appWithoutPresencePublishesNoEvents() {
		String room = "quiet-room";
		WebSocketTestClient kimOnA = a.connectTo("/ws/other?id=quiet-a&user=kim");
		b.connectTo("/ws/other?id=quiet-b&user=kim");
		Channel onA = a.channel("otherHandler", "quiet-a");
		Channel onB = b.channel("otherHandler", "quiet-b");
		assertThat(a.registry().subscribe(onA, room)).isTrue();
		assertThat(b.registry().subscribe(onB, room)).isTrue();
		// Presence answers for every app; only the events are for apps with presence on
		await().atMost(WAIT).untilAsserted(() -> {
			assertThat(a.registry().app("other").presence(room).channels()).isEqualTo(2);
			assertThat(b.registry().app("other").presence(room).users()).isOne();
		});
		kimOnA.close();
		await().atMost(WAIT).until(() -> b.registry().app("other").presence(room).channels() == 1);

		awaitMarker(room, a);
		awaitMarker(room, b);
		for (ClusterNode node : List.of(a, b)) {
			assertThat(node.bean(PresenceEvents.class).events())
				.filteredOn((event) -> event.scope().equals("other") || event.channel().app().equals("other"))
				.isEmpty();
			assertThat(events(node, room, "kim")).isEmpty();
		}
	}

	private static void assertEndJoined(List<Kind> kinds) {
		List<Kind> alternating = IntStream.range(0, kinds.size())
			.mapToObj((i) -> (i % 2 == 0) ? Kind.JOIN : Kind.LEAVE)
			.toList();
		assertThat(kinds).containsExactlyElementsOf(alternating).last().isEqualTo(Kind.JOIN);
	}

	private static ChannelRegistry echo(ClusterNode node) {
		return node.registry().app("echo");
	}

	private static List<PresenceEvent> events(ClusterNode node, String subscription, @Nullable String user) {
		return node.bean(PresenceEvents.class)
			.events()
			.stream()
			.filter((event) -> event.subscription().equals(subscription) && Objects.equals(event.user(), user))
			.toList();
	}

	private static List<Kind> kinds(ClusterNode node, String subscription, @Nullable String user) {
		return events(node, subscription, user).stream().map(PresenceEvent::kind).toList();
	}

	/**
	 * Open a channel of a new user in a subscription on one node and wait until nodes
	 * {@code a} and {@code b} published its joining: each node publishes in order, so the
	 * events of every change seen before are in.
	 * @return the new user
	 */
	private static String awaitMarker(String subscription, ClusterNode on) {
		return awaitMarker(subscription, on, a, b);
	}

	private static String awaitMarker(String subscription, ClusterNode on, ClusterNode... nodes) {
		String user = "marker-" + ids.incrementAndGet();
		open(on, subscription, user);
		await().atMost(WAIT).untilAsserted(() -> {
			for (ClusterNode node : nodes) {
				assertThat(kinds(node, subscription, user)).containsExactly(Kind.JOIN);
			}
		});
		return user;
	}

	/**
	 * Open a channel of the app {@code echo} on a node and subscribe it.
	 */
	private static Tab open(ClusterNode node, String subscription, @Nullable String user, String... query) {
		String id = subscription + "-" + ids.incrementAndGet();
		WebSocketTestClient client = node.connect(id, user, query);
		Channel channel = node.channel("echoHandler", id);
		assertThat(node.registry().subscribe(channel, subscription)).isTrue();
		return new Tab(client, channel);
	}

	private static TwoNodes start(String prefix) {
		return TwoNodes.start(prefix, PresenceApps.class, "websocket.apps.echo.urls=/ws/echo",
				"websocket.apps.echo.presence=true", "websocket.apps.other.urls=/ws/other");
	}

	/**
	 * A client's channel.
	 */
	record Tab(WebSocketTestClient client, Channel channel) {

	}

	/**
	 * The presence events a node published, with the threads that published them.
	 */
	static class PresenceEvents {

		private final List<PresenceEvent> events = new CopyOnWriteArrayList<>();

		private final Set<String> threads = ConcurrentHashMap.newKeySet();

		@EventListener
		void onPresence(PresenceEvent event) {
			this.threads.add(Thread.currentThread().getName());
			this.events.add(event);
		}

		List<PresenceEvent> events() {
			return this.events;
		}

		Set<String> threads() {
			return this.threads;
		}

	}

	/**
	 * The apps {@code echo} and {@code other}, a principal from the query parameter
	 * {@code user}, the shared attribute {@code tier} from the query parameter of that
	 * name, and the events recorded.
	 */
	@Configuration(proxyBeanMethods = false)
	@Import({ EchoApp.class, LoginApp.class })
	static class PresenceApps {

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

		@Bean
		PresenceEvents presenceEvents() {
			return new PresenceEvents();
		}

	}

}
