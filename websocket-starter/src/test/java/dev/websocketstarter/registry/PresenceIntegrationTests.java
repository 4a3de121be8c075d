package dev.websocketstarter.registry;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.websocketstarter.registry.PresenceEvent.Kind;
import dev.websocketstarter.test.EchoApp;
import dev.websocketstarter.test.LoginApp;
import dev.websocketstarter.test.RecordingHandler;
import dev.websocketstarter.test.client.WebSocketTestClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.event.EventListener;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link ChannelRegistry#presence} and {@link PresenceEvent}s on one node: who
 * is subscribed, and users joining and leaving, with clients that name their user with
 * the query parameter {@code user}.
 */
@SpringBootTest(classes = PresenceIntegrationTests.TestApp.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "websocket.apps.echo.urls=/ws/echo", "websocket.apps.echo.presence=true",
				"websocket.apps.lobby.urls=/ws/lobby", "websocket.apps.lobby.presence=true",
				"websocket.apps.lobby.presence-diffs=1s" })
class PresenceIntegrationTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	private static final ChannelAttribute<String> NICK = ChannelAttribute.shared("nick");

	private static final Pattern USER = Pattern.compile("\"user\":\"([^\"]+)\"");

	@LocalServerPort
	private int port;

	@Autowired
	private ChannelRegistry registry;

	@Autowired
	private RecordingHandler echo;

	@Autowired
	private Events events;

	private final List<WebSocketTestClient> clients = new ArrayList<>();

	@AfterEach
	void closeClients() {
		this.clients.forEach(WebSocketTestClient::close);
	}

	private WebSocketTestClient connect(String pathAndQuery) {
		WebSocketTestClient client = WebSocketTestClient.to(this.port, pathAndQuery).open();
		this.clients.add(client);
		return client;
	}

	@Test
	void presenceListsTheSubscribersWithTheirUsersAndSharedAttributes() {
		connect("/ws/echo?id=list-alice-1&user=list-alice");
		connect("/ws/echo?id=list-alice-2&user=list-alice");
		connect("/ws/echo?id=list-anonymous");
		Channel alice = this.echo.awaitChannel("list-alice-1");
		this.echo.awaitChannel("list-alice-2");
		Channel anonymous = this.echo.awaitChannel("list-anonymous");
		this.registry.setAttribute(alice, NICK, "Alice");
		this.registry.subscribe(alice, "list-room");
		this.registry.subscribe(this.echo.awaitChannel("list-alice-2"), "list-room");
		this.registry.subscribe(anonymous, "list-room");

		ChannelRegistry echoApp = this.registry.app("echo");
		Presence presence = echoApp.presence("list-room");
		assertThat(presence.channels()).isEqualTo(3);
		assertThat(presence.users()).isEqualTo(2);
		assertThat(presence.members()).hasSize(3)
			.contains(new Presence.Member(alice, "list-alice", Map.of("nick", "Alice")),
					new Presence.Member(anonymous, null, Map.of()));
		Presence counts = echoApp.presence("list-room", 0);
		assertThat(counts.members()).isEmpty();
		assertThat(counts.channels()).isEqualTo(3);
		assertThat(counts.users()).isEqualTo(2);
		assertThat(echoApp.presence("list-room", 2).members()).hasSize(2);
		assertThat(echoApp.presence("nobody-here").channels()).isZero();
	}

	@Test
	void aUserJoinsWithItsFirstChannelAndLeavesWithItsLastOnce() {
		WebSocketTestClient tab1 = connect("/ws/echo?id=tabs-1&user=tabs-alice");
		this.echo.awaitChannel("tabs-1");
		await().atMost(WAIT).until(() -> this.events.of("tabs-alice").size() == 1);
		WebSocketTestClient tab2 = connect("/ws/echo?id=tabs-2&user=tabs-alice");
		this.echo.awaitChannel("tabs-2");
		tab1.close();
		await().atMost(WAIT).until(() -> this.echo.closeStatus(this.echo.awaitChannel("tabs-1")) != null);
		// A later event of another user: everything before it was published
		connect("/ws/echo?id=tabs-marker&user=tabs-marker");
		await().atMost(WAIT).until(() -> this.events.of("tabs-marker").size() == 1);
		assertThat(this.events.of("tabs-alice")).extracting(PresenceEvent::kind).containsExactly(Kind.JOIN);
		tab2.close();
		await().atMost(WAIT).until(() -> this.events.of("tabs-alice").size() == 2);
		connect("/ws/echo?id=tabs-marker-2&user=tabs-marker-2");
		await().atMost(WAIT).until(() -> this.events.of("tabs-marker-2").size() == 1);
		List<PresenceEvent> alice = this.events.of("tabs-alice");
		assertThat(alice).extracting(PresenceEvent::kind).containsExactly(Kind.JOIN, Kind.LEAVE);
		assertThat(alice).extracting(PresenceEvent::subscription).containsOnly("/ws/echo");
		assertThat(alice).extracting(PresenceEvent::scope).containsOnly("echo");
	}

	@Test
	void aChannelWithoutAUserJoinsAndLeavesAsAUserOfItsOwn() {
		WebSocketTestClient client = connect("/ws/echo?id=own");
		Channel channel = this.echo.awaitChannel("own");
		await().atMost(WAIT).until(() -> this.events.ofChannel(channel).size() == 1);
		client.close();
		await().atMost(WAIT).until(() -> this.events.ofChannel(channel).size() == 2);
		assertThat(this.events.ofChannel(channel)).extracting(PresenceEvent::kind)
			.containsExactly(Kind.JOIN, Kind.LEAVE);
		assertThat(this.events.ofChannel(channel)).extracting(PresenceEvent::user).containsOnlyNulls();
	}

	@Test
	void leavingAndJoiningOtherSubscriptionsIsReportedPerSubscription() {
		connect("/ws/echo?id=rooms&user=rooms-carol");
		Channel channel = this.echo.awaitChannel("rooms");
		this.registry.setAttribute(channel, NICK, "Carol");
		this.registry.subscribe(channel, "rooms-a");
		// Presence reports states as it reads them: a join and a leave in one breath
		// may come to nothing
		await().atMost(WAIT).until(() -> this.events.of("rooms-carol").size() == 2);
		this.registry.unsubscribe(channel, "rooms-a");
		await().atMost(WAIT).until(() -> this.events.of("rooms-carol").size() == 3);
		assertThat(this.events.of("rooms-carol")).extracting((event) -> event.kind() + " " + event.subscription())
			.containsExactly("JOIN /ws/echo", "JOIN rooms-a", "LEAVE rooms-a");
		assertThat(this.events.of("rooms-carol").get(1).attributes()).containsEntry("nick", "Carol");
	}

	@Test
	void joinsAreGatheredIntoDiffsSentToTheSubscription() {
		WebSocketTestClient observer = connect("/ws/lobby?user=diff-observer");
		List<WebSocketTestClient> others = new ArrayList<>();
		for (int i = 0; i < 10; i++) {
			others.add(connect("/ws/lobby?user=diff-" + i));
		}
		await().atMost(WAIT).untilAsserted(() -> assertThat(joins(observer)).hasSize(11));
		List<String> diffs = diffs(observer);
		// Fewer messages than joins: each diff gathers what joined during its interval
		assertThat(diffs).hasSizeLessThan(11);
		assertThat(diffs).allSatisfy((diff) -> assertThat(diff)
			.startsWith("{\"type\":\"presence_diff\",\"subscription\":\"/ws/lobby\",\"joins\":[{\"user\":"));
		assertThat(joins(observer)).contains("diff-observer", "diff-0", "diff-9");
		others.get(0).close();
		await().atMost(WAIT)
			.untilAsserted(() -> assertThat(diffs(observer)).anySatisfy(
					(diff) -> assertThat(diff).contains("\"leaves\":[{\"user\":\"diff-0\",\"channel\":\"lobby#")));
	}

	@Test
	void anAppWithoutDiffsSendsNone() {
		WebSocketTestClient client = connect("/ws/echo?id=no-diffs&user=no-diffs");
		Channel channel = this.echo.awaitChannel("no-diffs");
		await().atMost(WAIT).until(() -> this.events.of("no-diffs").size() == 1);
		// Past the time a diff would have been gathered in
		connect("/ws/echo?id=no-diffs-2&user=no-diffs-2");
		await().atMost(WAIT).until(() -> this.events.of("no-diffs-2").size() == 1);
		this.registry.send(channel, "marker");
		await().atMost(WAIT).until(() -> client.texts().contains("marker"));
		assertThat(client.texts()).noneMatch((text) -> text.contains("presence_diff"));
	}

	private static List<String> diffs(WebSocketTestClient client) {
		return client.texts().stream().filter((text) -> text.contains("\"presence_diff\"")).toList();
	}

	private static List<String> joins(WebSocketTestClient client) {
		List<String> users = new ArrayList<>();
		for (String diff : diffs(client)) {
			String joins = diff.substring(diff.indexOf("\"joins\":"), diff.indexOf("\"leaves\":"));
			Matcher user = USER.matcher(joins);
			while (user.find()) {
				users.add(user.group(1));
			}
		}
		return users;
	}

	@Configuration(proxyBeanMethods = false)
	@Import({ EchoApp.class, LoginApp.class })
	static class TestApp {

		@Bean
		Events events() {
			return new Events();
		}

		@Bean
		@WebSocketApp("lobby")
		ChannelHandler lobbyHandler() {
			return new ChannelHandler() {
			};
		}

	}

	static class Events {

		private final List<PresenceEvent> received = new CopyOnWriteArrayList<>();

		@EventListener
		void on(PresenceEvent event) {
			this.received.add(event);
		}

		List<PresenceEvent> of(String user) {
			return this.received.stream().filter((event) -> user.equals(event.user())).toList();
		}

		List<PresenceEvent> ofChannel(Channel channel) {
			return this.received.stream().filter((event) -> channel.equals(event.channel())).toList();
		}

	}

}
