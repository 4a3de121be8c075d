package dev.websocketstarter.registry;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.websocketstarter.test.EchoApp;
import dev.websocketstarter.test.LoginApp;
import dev.websocketstarter.test.RecordingHandler;
import dev.websocketstarter.test.client.WebSocketTestClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.web.socket.CloseStatus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

/**
 * Tests for sending to and closing the channels of a user through the
 * {@link ChannelRegistry}: the channels whose handshake had a principal of that name, on
 * a real server whose clients name their user with the query parameter {@code user}.
 */
@SpringBootTest(classes = ByUserIntegrationTests.TestApp.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = "websocket.apps.echo.urls=/ws/echo")
class ByUserIntegrationTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	/** A second application, with two apps that keep separate subscriptions. */
	private static ConfigurableApplicationContext twoApps;

	@LocalServerPort
	private int port;

	@Autowired
	private ChannelRegistry registry;

	@Autowired
	private RecordingHandler echo;

	private final List<WebSocketTestClient> clients = new ArrayList<>();

	@BeforeAll
	static void startTwoApps() {
		twoApps = new SpringApplicationBuilder(TwoApps.class).web(WebApplicationType.SERVLET)
			.properties("server.port=0", "spring.main.banner-mode=off", "websocket.apps.x.urls=/ws/x",
					"websocket.apps.y.urls=/ws/y")
			.run();
	}

	@AfterAll
	static void stopTwoApps() {
		if (twoApps != null) {
			twoApps.close();
		}
	}

	@AfterEach
	void closeClients() {
		this.clients.forEach(WebSocketTestClient::close);
	}

	private WebSocketTestClient connect(String pathAndQuery) {
		return connect(this.port, pathAndQuery);
	}

	private WebSocketTestClient connect(int port, String pathAndQuery) {
		WebSocketTestClient client = WebSocketTestClient.to(port, pathAndQuery).open();
		this.clients.add(client);
		return client;
	}

	@Test
	void sendToUserReachesEveryChannelOfThatUserOnly() {
		WebSocketTestClient aliceTab1 = connect("/ws/echo?id=text-alice-1&user=text-alice");
		WebSocketTestClient aliceTab2 = connect("/ws/echo?id=text-alice-2&user=text-alice");
		WebSocketTestClient bob = connect("/ws/echo?id=text-bob&user=text-bob");
		this.echo.awaitChannel("text-alice-1");
		this.echo.awaitChannel("text-alice-2");
		this.echo.awaitChannel("text-bob");

		assertThat(this.registry.sendToUser("text-alice", "for alice")).isEqualTo(2);
		assertThat(this.registry.sendToUser("text-bob", "for bob")).isOne();
		await().atMost(WAIT).untilAsserted(() -> {
			assertThat(aliceTab1.texts()).containsExactly("for alice");
			assertThat(aliceTab2.texts()).containsExactly("for alice");
			assertThat(bob.texts()).containsExactly("for bob");
		});
	}

	@Test
	void sendToUserSendsBinaryMessages() {
		WebSocketTestClient aliceTab1 = connect("/ws/echo?id=binary-alice-1&user=binary-alice");
		WebSocketTestClient aliceTab2 = connect("/ws/echo?id=binary-alice-2&user=binary-alice");
		WebSocketTestClient bob = connect("/ws/echo?id=binary-bob&user=binary-bob");
		this.echo.awaitChannel("binary-alice-1");
		this.echo.awaitChannel("binary-alice-2");
		this.echo.awaitChannel("binary-bob");
		byte[] data = { 0, 1, 2, (byte) 0xff };

		assertThat(this.registry.sendToUser("binary-alice", data)).isEqualTo(2);
		data[0] = 42;
		assertThat(this.registry.sendToUser("binary-bob", "marker".getBytes(StandardCharsets.UTF_8))).isOne();
		byte[] sent = { 0, 1, 2, (byte) 0xff };
		await().atMost(WAIT).untilAsserted(() -> {
			assertThat(aliceTab1.binaries()).singleElement().isEqualTo(sent);
			assertThat(aliceTab2.binaries()).singleElement().isEqualTo(sent);
			assertThat(bob.binaries()).singleElement().isEqualTo("marker".getBytes(StandardCharsets.UTF_8));
		});
	}

	@Test
	void closeUserClosesEveryChannelOfThatUserWithTheStatus() {
		WebSocketTestClient aliceTab1 = connect("/ws/echo?id=close-alice-1&user=close-alice");
		WebSocketTestClient aliceTab2 = connect("/ws/echo?id=close-alice-2&user=close-alice");
		WebSocketTestClient bob = connect("/ws/echo?id=close-bob&user=close-bob");
		Channel aliceChannel1 = this.echo.awaitChannel("close-alice-1");
		Channel aliceChannel2 = this.echo.awaitChannel("close-alice-2");
		Channel bobChannel = this.echo.awaitChannel("close-bob");

		assertThat(this.registry.closeUser("close-alice", new CloseStatus(4001, "bye"))).isEqualTo(2);
		assertThat(this.registry.isOpen(aliceChannel1)).isFalse();
		assertThat(this.registry.isOpen(aliceChannel2)).isFalse();
		for (WebSocketTestClient alice : List.of(aliceTab1, aliceTab2)) {
			assertThat(alice.awaitClose().getCode()).isEqualTo(4001);
			assertThat(alice.awaitClose().getReason()).isEqualTo("bye");
		}
		await().atMost(WAIT).untilAsserted(() -> {
			assertThat(this.echo.closeStatus(aliceChannel1)).isEqualTo(new CloseStatus(4001, "bye"));
			assertThat(this.echo.closeStatus(aliceChannel2)).isEqualTo(new CloseStatus(4001, "bye"));
		});
		assertThat(this.registry.closeUser("close-alice", new CloseStatus(4001, "again"))).isZero();
		assertThat(this.registry.isOpen(bobChannel)).isTrue();
		assertThat(this.registry.sendToUser("close-bob", "still here")).isOne();
		await().atMost(WAIT).untilAsserted(() -> assertThat(bob.texts()).containsExactly("still here"));
		assertThat(bob.isClosed()).isFalse();
	}

	@Test
	void channelWithoutPrincipalBelongsToNoUser() {
		WebSocketTestClient anonymous = connect("/ws/echo?id=nobody");
		WebSocketTestClient alice = connect("/ws/echo?id=nobody-alice&user=nobody-alice");
		Channel anonymousChannel = this.echo.awaitChannel("nobody");
		this.echo.awaitChannel("nobody-alice");
		assertThat(this.echo.handshake("nobody").principal()).isNull();

		assertThat(this.registry.sendToUser("nobody-alice", "for alice")).isOne();
		assertThat(this.registry.sendToUser("", "for the empty name")).isZero();
		assertThat(this.registry.sendToUser("null", "for a name")).isZero();
		assertThat(this.registry.closeUser("nobody-alice", new CloseStatus(4001, "bye"))).isOne();
		assertThat(alice.awaitClose().getCode()).isEqualTo(4001);
		assertThat(this.registry.isOpen(anonymousChannel)).isTrue();
		this.registry.send(anonymousChannel, "marker");
		await().atMost(WAIT).untilAsserted(() -> assertThat(anonymous.texts()).containsExactly("marker"));
		assertThat(alice.texts()).containsExactly("for alice");
	}

	@Test
	void closedChannelNoLongerCountsAmongItsUsersChannels() {
		WebSocketTestClient aliceTab1 = connect("/ws/echo?id=gone-alice-1&user=gone-alice");
		WebSocketTestClient aliceTab2 = connect("/ws/echo?id=gone-alice-2&user=gone-alice");
		Channel aliceChannel1 = this.echo.awaitChannel("gone-alice-1");
		this.echo.awaitChannel("gone-alice-2");
		assertThat(this.registry.sendToUser("gone-alice", "both")).isEqualTo(2);

		aliceTab1.close();
		await().atMost(WAIT).untilAsserted(() -> assertThat(this.echo.closeStatus(aliceChannel1)).isNotNull());
		assertThat(this.registry.sendToUser("gone-alice", "one")).isOne();
		await().atMost(WAIT).untilAsserted(() -> assertThat(aliceTab2.texts()).containsExactly("both", "one"));
		assertThat(this.registry.closeUser("gone-alice", CloseStatus.NORMAL)).isOne();
		assertThat(aliceTab2.awaitClose().getCode()).isEqualTo(1000);
		assertThat(this.registry.sendToUser("gone-alice", "nobody left")).isZero();
	}

	@Test
	void registryOfEveryAppRefusesUsersWhenAppsKeepSeparateSubscriptions() {
		ChannelRegistry registry = twoApps.getBean(ChannelRegistry.class);
		assertThatIllegalArgumentException().isThrownBy(() -> registry.sendToUser("alice", "hello"))
			.withMessageContaining("registry.app(");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> registry.sendToUser("alice", "hello".getBytes(StandardCharsets.UTF_8)))
			.withMessageContaining("registry.app(");
		assertThatIllegalArgumentException().isThrownBy(() -> registry.closeUser("alice", CloseStatus.NORMAL))
			.withMessageContaining("registry.app(");
	}

	@Test
	void registryOfOneAppReachesOnlyThatAppsChannelsOfTheUser() {
		int port = twoApps.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
		RecordingHandler x = twoApps.getBean("xHandler", RecordingHandler.class);
		RecordingHandler y = twoApps.getBean("yHandler", RecordingHandler.class);
		WebSocketTestClient aliceX = connect(port, "/ws/x?id=apps-alice-x&user=apps-alice");
		WebSocketTestClient aliceY = connect(port, "/ws/y?id=apps-alice-y&user=apps-alice");
		x.awaitChannel("apps-alice-x");
		Channel aliceYChannel = y.awaitChannel("apps-alice-y");
		ChannelRegistry registry = twoApps.getBean(ChannelRegistry.class);

		assertThat(registry.app("x").sendToUser("apps-alice", "for x")).isOne();
		assertThat(registry.app("x").sendToUser("apps-alice", "bytes for x".getBytes(StandardCharsets.UTF_8))).isOne();
		assertThat(registry.app("y").sendToUser("apps-alice", "for y")).isOne();
		await().atMost(WAIT).untilAsserted(() -> {
			assertThat(aliceX.texts()).containsExactly("for x");
			assertThat(aliceX.binaries()).singleElement().isEqualTo("bytes for x".getBytes(StandardCharsets.UTF_8));
			assertThat(aliceY.texts()).containsExactly("for y");
		});
		assertThat(aliceY.binaries()).isEmpty();

		assertThat(registry.app("x").closeUser("apps-alice", new CloseStatus(4001, "bye"))).isOne();
		assertThat(aliceX.awaitClose().getCode()).isEqualTo(4001);
		assertThat(registry.isOpen(aliceYChannel)).isTrue();
		registry.send(aliceYChannel, "marker");
		await().atMost(WAIT).untilAsserted(() -> assertThat(aliceY.texts()).containsExactly("for y", "marker"));
	}

	@Configuration(proxyBeanMethods = false)
	@Import({ EchoApp.class, LoginApp.class })
	static class TestApp {

	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	@Import(LoginApp.class)
	static class TwoApps {

		@Bean
		@WebSocketApp("x")
		RecordingHandler xHandler(ChannelRegistry registry) {
			return new RecordingHandler(registry);
		}

		@Bean
		@WebSocketApp("y")
		RecordingHandler yHandler(ChannelRegistry registry) {
			return new RecordingHandler(registry);
		}

	}

}
