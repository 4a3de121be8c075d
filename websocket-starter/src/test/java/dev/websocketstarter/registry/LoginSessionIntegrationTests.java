package dev.websocketstarter.registry;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.websocketstarter.test.Browser;
import dev.websocketstarter.test.EchoApp;
import dev.websocketstarter.test.LoginApp;
import dev.websocketstarter.test.RecordingHandler;
import dev.websocketstarter.test.client.WebSocketTestClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.web.socket.CloseStatus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for channels bound to the login session that opened them: the HTTP session of an
 * authenticated handshake, which closes them when it ends and keeps them when it changes
 * its id. On a real server, with clients that keep the session cookie as a browser does.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = { "websocket.apps.echo.urls=/ws/echo",
		"websocket.apps.keep.urls=/ws/keep", "websocket.apps.keep.close-with-session=false" })
class LoginSessionIntegrationTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	private static final CloseStatus SESSION_ENDED = new CloseStatus(1008, "session ended");

	@LocalServerPort
	private int port;

	@Autowired
	private ChannelRegistry registry;

	@Autowired
	@Qualifier("echoHandler")
	private RecordingHandler echo;

	@Autowired
	@Qualifier("keepHandler")
	private RecordingHandler keep;

	private final List<WebSocketTestClient> clients = new ArrayList<>();

	@AfterEach
	void closeClients() {
		this.clients.forEach(WebSocketTestClient::close);
	}

	private WebSocketTestClient connect(Browser browser, String pathAndQuery) {
		WebSocketTestClient client = browser.connect(pathAndQuery);
		this.clients.add(client);
		return client;
	}

	private WebSocketTestClient connect(String pathAndQuery) {
		WebSocketTestClient client = WebSocketTestClient.to(this.port, pathAndQuery).open();
		this.clients.add(client);
		return client;
	}

	/**
	 * Assert that a channel is open end to end: the registry says so and a message to it
	 * arrives.
	 */
	private void assertStaysOpen(Channel channel, WebSocketTestClient client, String marker) {
		assertThat(this.registry.isOpen(channel)).isTrue();
		assertThat(this.registry.send(channel, marker)).isEqualTo(SendResult.QUEUED);
		await().atMost(WAIT).untilAsserted(() -> assertThat(client.texts()).containsExactly(marker));
		assertThat(client.isClosed()).isFalse();
	}

	private void assertClosedBySessionEnd(RecordingHandler handler, Channel channel, WebSocketTestClient client) {
		assertThat(client.awaitClose().getCode()).isEqualTo(1008);
		assertThat(client.awaitClose().getReason()).isEqualTo("session ended");
		await().atMost(WAIT).untilAsserted(() -> assertThat(handler.closeStatus(channel)).isEqualTo(SESSION_ENDED));
	}

	@Test
	void channelClosesWith1008WhenItsSessionIsInvalidated() {
		Browser alice = new Browser(this.port);
		alice.login("alice");
		WebSocketTestClient client = connect(alice, "/ws/echo?id=logout-alice");
		Channel channel = this.echo.awaitChannel("logout-alice");
		assertThat(this.echo.handshake("logout-alice").principal().getName()).isEqualTo("alice");

		alice.logout();
		assertThat(this.registry.isOpen(channel)).isFalse();
		assertClosedBySessionEnd(this.echo, channel, client);
	}

	@Test
	void everyChannelOfTheSessionCloses() {
		Browser alice = new Browser(this.port);
		alice.login("alice");
		WebSocketTestClient first = connect(alice, "/ws/echo?id=tabs-1");
		WebSocketTestClient second = connect(alice, "/ws/echo?id=tabs-2");
		Channel firstChannel = this.echo.awaitChannel("tabs-1");
		Channel secondChannel = this.echo.awaitChannel("tabs-2");

		alice.logout();
		assertClosedBySessionEnd(this.echo, firstChannel, first);
		assertClosedBySessionEnd(this.echo, secondChannel, second);
	}

	@Test
	void anotherUsersChannelStaysOpen() {
		Browser alice = new Browser(this.port);
		Browser bob = new Browser(this.port);
		alice.login("alice");
		bob.login("bob");
		WebSocketTestClient aliceClient = connect(alice, "/ws/echo?id=other-alice");
		WebSocketTestClient bobClient = connect(bob, "/ws/echo?id=other-bob");
		Channel aliceChannel = this.echo.awaitChannel("other-alice");
		Channel bobChannel = this.echo.awaitChannel("other-bob");

		alice.logout();
		assertClosedBySessionEnd(this.echo, aliceChannel, aliceClient);
		assertStaysOpen(bobChannel, bobClient, "still here");
	}

	@Test
	void channelFollowsItsSessionWhenTheSessionChangesItsId() {
		Browser alice = new Browser(this.port);
		String before = alice.login("alice");
		WebSocketTestClient client = connect(alice, "/ws/echo?id=rotate-alice");
		Channel channel = this.echo.awaitChannel("rotate-alice");

		String after = alice.rotate();
		assertThat(after).isNotEqualTo(before);
		assertStaysOpen(channel, client, "after one rotation");
		String last = alice.rotate();
		assertThat(last).isNotIn(before, after);
		assertThat(this.registry.isOpen(channel)).isTrue();

		assertThat(alice.logout()).isEqualTo(last);
		assertThat(this.registry.isOpen(channel)).isFalse();
		assertClosedBySessionEnd(this.echo, channel, client);
	}

	@Test
	void channelOpenedAfterTheSessionChangedItsIdClosesWithIt() {
		Browser alice = new Browser(this.port);
		alice.login("alice");
		alice.rotate();
		WebSocketTestClient client = connect(alice, "/ws/echo?id=rotated-first");
		Channel channel = this.echo.awaitChannel("rotated-first");

		alice.logout();
		assertClosedBySessionEnd(this.echo, channel, client);
	}

	@Test
	void channelOfAnAppThatDoesNotCloseWithTheSessionStaysOpen() {
		Browser alice = new Browser(this.port);
		alice.login("alice");
		WebSocketTestClient echoClient = connect(alice, "/ws/echo?id=keep-echo");
		WebSocketTestClient keepClient = connect(alice, "/ws/keep?id=keep-keep");
		Channel echoChannel = this.echo.awaitChannel("keep-echo");
		Channel keepChannel = this.keep.awaitChannel("keep-keep");
		assertThat(this.keep.handshake("keep-keep").principal().getName()).isEqualTo("alice");

		alice.logout();
		assertClosedBySessionEnd(this.echo, echoChannel, echoClient);
		assertStaysOpen(keepChannel, keepClient, "kept");
	}

	@Test
	void channelOpenedWithoutSessionStaysOpenWhenItsUsersSessionEnds() {
		Browser carol = new Browser(this.port);
		carol.login("carol");
		WebSocketTestClient sessionClient = connect(carol, "/ws/echo?id=token-session");
		WebSocketTestClient tokenClient = connect("/ws/echo?id=token-only&user=carol");
		Channel sessionChannel = this.echo.awaitChannel("token-session");
		Channel tokenChannel = this.echo.awaitChannel("token-only");
		assertThat(this.echo.handshake("token-only").principal().getName()).isEqualTo("carol");

		carol.logout();
		assertClosedBySessionEnd(this.echo, sessionChannel, sessionClient);
		assertStaysOpen(tokenChannel, tokenClient, "no session, no close");
	}

	@Test
	void channelOpenedBySessionWithoutPrincipalStaysOpenWhenTheSessionEnds() {
		Browser visitor = new Browser(this.port);
		String session = visitor.visit();
		WebSocketTestClient client = connect(visitor, "/ws/echo?id=anonymous-session");
		Channel channel = this.echo.awaitChannel("anonymous-session");
		assertThat(this.echo.handshake("anonymous-session").principal()).isNull();

		assertThat(visitor.logout()).isEqualTo(session);
		assertStaysOpen(channel, client, "anonymous");
	}

	@Configuration(proxyBeanMethods = false)
	@Import({ EchoApp.class, LoginApp.class })
	static class TestApp {

		@Bean
		@WebSocketApp("keep")
		RecordingHandler keepHandler(ChannelRegistry registry) {
			return new RecordingHandler(registry);
		}

	}

}
