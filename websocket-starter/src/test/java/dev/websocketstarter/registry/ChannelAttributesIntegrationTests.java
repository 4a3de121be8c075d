package dev.websocketstarter.registry;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import dev.websocketstarter.internal.channel.LocalNode;
import dev.websocketstarter.test.RawClient;
import dev.websocketstarter.test.client.WebSocketTestClient;
import org.assertj.core.api.SoftAssertions;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.socket.CloseStatus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link ChannelAttribute}: values given at the handshake or set later, read
 * through the {@link ChannelRegistry} from other threads, in {@code onClose} and after.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "websocket.apps.attrs.urls=/ws/attrs")
class ChannelAttributesIntegrationTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	static final ChannelAttribute<String> USER = ChannelAttribute.shared("user");

	static final ChannelAttribute<String> ROLE = ChannelAttribute.of("role", String.class);

	static final ChannelAttribute<String> NICK = ChannelAttribute.shared("nick");

	@LocalServerPort
	private int port;

	@Autowired
	private ChannelRegistry registry;

	@Autowired
	private LocalNode node;

	@Autowired
	private AttributesHandler handler;

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
	void handshakeAttributeIsReadFromAnyThread() {
		WebSocketTestClient client = connect("/ws/attrs?user=alice&id=handshake");
		Channel channel = this.handler.awaitChannel("handshake");
		assertThat(this.registry.attribute(channel, USER)).isEqualTo("alice");
		assertThat(this.registry.attribute(channel, ROLE)).isNull();
		client.send("whoami");
		await().atMost(WAIT).untilAsserted(() -> assertThat(client.texts()).containsExactly("user=alice"));
	}

	@Test
	void attributeSetLaterOnOneThreadIsReadOnAnother() {
		WebSocketTestClient client = connect("/ws/attrs?user=bob&id=later");
		Channel channel = this.handler.awaitChannel("later");
		assertThat(this.registry.setAttribute(channel, ROLE, "admin")).isTrue();
		client.send("role?");
		await().atMost(WAIT).untilAsserted(() -> assertThat(client.texts()).containsExactly("role=admin"));
		client.send("set-role:editor");
		await().atMost(WAIT).untilAsserted(() -> assertThat(client.texts()).containsExactly("role=admin", "role set"));
		assertThat(this.registry.attribute(channel, ROLE)).isEqualTo("editor");
	}

	@Test
	void attributesAreReadInOnCloseWhenTheClientClosesAndAreGoneAfter() {
		WebSocketTestClient client = connect("/ws/attrs?user=carol&id=client-closes");
		Channel channel = this.handler.awaitChannel("client-closes");
		this.registry.setAttribute(channel, ROLE, "moderator");
		client.close();
		await().atMost(WAIT).untilAsserted(() -> assertThat(this.handler.atClose(channel)).isNotNull());
		assertThat(this.handler.atClose(channel)).isEqualTo("user=carol,role=moderator");
		assertThat(this.registry.attribute(channel, USER)).isNull();
		assertThat(this.registry.attribute(channel, ROLE)).isNull();
	}

	@Test
	void attributesAreReadInOnCloseWhenTheServerClosesAndAreGoneAfter() {
		WebSocketTestClient client = connect("/ws/attrs?user=dan&id=server-closes");
		Channel channel = this.handler.awaitChannel("server-closes");
		this.registry.setAttribute(channel, ROLE, "guest");
		assertThat(this.registry.close(channel, CloseStatus.NORMAL)).isTrue();
		assertThat(client.awaitClose().getCode()).isEqualTo(1000);
		await().atMost(WAIT).untilAsserted(() -> assertThat(this.handler.atClose(channel)).isNotNull());
		assertThat(this.handler.atClose(channel)).isEqualTo("user=dan,role=guest");
		assertThat(this.registry.attribute(channel, USER)).isNull();
		assertThat(this.registry.attribute(channel, ROLE)).isNull();
	}

	@Test
	void setAttributeOnAClosedChannelReturnsFalse() {
		WebSocketTestClient client = connect("/ws/attrs?user=erin&id=closed");
		Channel channel = this.handler.awaitChannel("closed");
		client.close();
		await().atMost(WAIT).untilAsserted(() -> assertThat(this.handler.atClose(channel)).isNotNull());
		assertThat(this.registry.setAttribute(channel, ROLE, "too late")).isFalse();
		assertThat(this.registry.setAttribute(channel, USER, null)).isFalse();
		assertThat(this.registry.attribute(channel, ROLE)).isNull();
		assertThat(this.registry.setAttribute(new Channel("attrs", this.node.node(), Long.MAX_VALUE), ROLE, "nobody"))
			.isFalse();
	}

	@Test
	void settingNullRemovesTheAttribute() {
		WebSocketTestClient client = connect("/ws/attrs?user=frank&id=remove");
		Channel channel = this.handler.awaitChannel("remove");
		this.registry.setAttribute(channel, ROLE, "admin");
		assertThat(this.registry.setAttribute(channel, ROLE, null)).isTrue();
		assertThat(this.registry.attribute(channel, ROLE)).isNull();
		assertThat(this.registry.setAttribute(channel, USER, null)).isTrue();
		assertThat(this.registry.attribute(channel, USER)).isNull();
		assertThat(this.registry.setAttribute(channel, ROLE, null)).isTrue();
		client.send("whoami");
		client.send("role?");
		await().atMost(WAIT).untilAsserted(() -> assertThat(client.texts()).containsExactly("user=null", "role=null"));
	}

	@Test
	void concurrentChannelsOfDifferentUsersNeverSeeEachOthersValues() {
		List<String> users = List.of("grace", "heidi");
		List<WebSocketTestClient> userClients = users.stream()
			.map((user) -> connect("/ws/attrs?user=" + user + "&id=" + user))
			.toList();
		List<Channel> channels = users.stream().map(this.handler::awaitChannel).toList();
		int rounds = 200;
		List<String> mismatches = Collections.synchronizedList(new ArrayList<>());
		List<CompletableFuture<Void>> work = new ArrayList<>();
		for (int i = 0; i < users.size(); i++) {
			String user = users.get(i);
			Channel channel = channels.get(i);
			WebSocketTestClient client = userClients.get(i);
			work.add(CompletableFuture.runAsync(() -> IntStream.range(0, rounds).forEach((round) -> {
				String role = user + "-" + round;
				this.registry.setAttribute(channel, ROLE, role);
				String readRole = this.registry.attribute(channel, ROLE);
				String readUser = this.registry.attribute(channel, USER);
				if (!role.equals(readRole) || !user.equals(readUser)) {
					mismatches.add(user + " read " + readUser + "/" + readRole);
				}
			})));
			work.add(CompletableFuture
				.runAsync(() -> IntStream.range(0, rounds).forEach((round) -> client.send("whoami"))));
		}
		CompletableFuture.allOf(work.toArray(CompletableFuture[]::new)).join();
		assertThat(mismatches).isEmpty();
		for (int i = 0; i < users.size(); i++) {
			WebSocketTestClient client = userClients.get(i);
			String answer = "user=" + users.get(i);
			await().atMost(WAIT).untilAsserted(() -> assertThat(client.texts()).hasSize(rounds));
			assertThat(client.texts()).containsOnly(answer);
			assertThat(this.registry.attribute(channels.get(i), ROLE)).isEqualTo(users.get(i) + "-" + (rounds - 1));
		}
	}

	@Test
	void sharedValueLongerThanTheLimitInUtf8BytesIsRefused() {
		connect("/ws/attrs?user=ivan&id=long");
		Channel channel = this.handler.awaitChannel("long");
		// Three bytes each in UTF-8: fewer characters than the limit, more bytes
		String tooLong = "€".repeat(ChannelAttribute.MAX_SHARED_BYTES / 3 + 1);
		assertThat(tooLong.length()).isLessThan(ChannelAttribute.MAX_SHARED_BYTES);
		assertThat(tooLong.getBytes(StandardCharsets.UTF_8)).hasSizeGreaterThan(ChannelAttribute.MAX_SHARED_BYTES);
		this.registry.setAttribute(channel, NICK, "ivan");
		assertThatIllegalArgumentException().isThrownBy(() -> this.registry.setAttribute(channel, NICK, tooLong))
			.withMessageContaining("'nick'")
			.withMessageContaining(String.valueOf(ChannelAttribute.MAX_SHARED_BYTES));
		assertThat(this.registry.attribute(channel, NICK)).isEqualTo("ivan");
		String atTheLimit = "€".repeat(ChannelAttribute.MAX_SHARED_BYTES / 3)
				+ "x".repeat(ChannelAttribute.MAX_SHARED_BYTES % 3);
		assertThat(atTheLimit.getBytes(StandardCharsets.UTF_8)).hasSize(ChannelAttribute.MAX_SHARED_BYTES);
		assertThat(this.registry.setAttribute(channel, NICK, atTheLimit)).isTrue();
		assertThat(this.registry.attribute(channel, NICK)).isEqualTo(atTheLimit);
		// A value only this node sees is not limited
		assertThat(this.registry.setAttribute(channel, ROLE, tooLong)).isTrue();
		assertThat(this.registry.attribute(channel, ROLE)).isEqualTo(tooLong);
	}

	@Test
	void handshakeAcceptedWithASharedValueTooLongToShareIsRefusedWith500AndTheHandlerNeverHearsOfIt() throws Exception {
		int opensBefore = this.handler.opens();
		int status;
		String after = "";
		try (RawClient client = RawClient.handshake(this.port, "/ws/attrs?user=judy&id=too-long-nick&nick=long")) {
			status = client.status();
			if (status == 101) {
				client.startReading(true);
				await().atMost(WAIT).untilAsserted(() -> assertThat(client.isEndOfStream()).isTrue());
				after = "; then the connection ended with close frame " + client.closeCode();
			}
		}
		await().atMost(WAIT).untilAsserted(() -> assertThat(this.node.stats().channels("attrs")).isZero());
		SoftAssertions softly = new SoftAssertions();
		// Deciding about the handshake failed, as when onHandshake throws
		softly.assertThat(status).as("handshake status" + after).isEqualTo(500);
		softly.assertThat(this.handler.opens()).as("onOpen calls").isEqualTo(opensBefore);
		softly.assertThat(this.handler.closedUsers())
			.as("users of the channels onClose heard of")
			.doesNotContain("judy");
		softly.assertAll();
	}

	@ParameterizedTest
	@NullSource
	@ValueSource(strings = { "", " ", "has space", "a/b", "a:b", "ünïcode", "tab\t",
			"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx" })
	void invalidNameIsRefused(@Nullable String name) {
		assertThatIllegalArgumentException().isThrownBy(() -> ChannelAttribute.of(name, String.class))
			.withMessageContaining("must be 1 to 64 letters, digits");
		assertThatIllegalArgumentException().isThrownBy(() -> ChannelAttribute.shared(name))
			.withMessageContaining("must be 1 to 64 letters, digits");
	}

	@Test
	void namesOfUpToSixtyFourLettersDigitsDotsUnderscoresAndDashesAreValid() {
		assertThat(ChannelAttribute.of("x".repeat(64), String.class).name()).hasSize(64);
		assertThat(ChannelAttribute.shared("Tenant.id_2-b").name()).isEqualTo("Tenant.id_2-b");
	}

	/**
	 * Accepts handshakes with the query parameter {@code user} as the attribute
	 * {@code user} (and {@code nick=long} as a shared value too long to share); answers
	 * {@code whoami}, {@code role?} and {@code set-role:<role>}; records the attributes
	 * it reads in {@code onClose}.
	 */
	static class AttributesHandler implements ChannelHandler {

		private final ChannelRegistry registry;

		private final Map<String, Channel> channels = new ConcurrentHashMap<>();

		private final Map<Channel, String> atClose = new ConcurrentHashMap<>();

		private final Queue<String> closedUsers = new ConcurrentLinkedQueue<>();

		private final AtomicInteger opens = new AtomicInteger();

		AttributesHandler(ChannelRegistry registry) {
			this.registry = registry;
		}

		@Override
		public HandshakeDecision onHandshake(Handshake handshake) {
			HandshakeDecision decision = HandshakeDecision.accept();
			String user = handshake.queryParameter("user");
			if (user != null) {
				decision = decision.with(USER, user);
			}
			if ("long".equals(handshake.queryParameter("nick"))) {
				decision = decision.with(NICK, "€".repeat(ChannelAttribute.MAX_SHARED_BYTES));
			}
			return decision;
		}

		@Override
		public void onOpen(Channel channel, Handshake handshake) {
			this.opens.incrementAndGet();
			String id = handshake.queryParameter("id");
			if (id != null) {
				this.channels.put(id, channel);
			}
		}

		@Override
		public void onText(Channel channel, String text) {
			if (text.equals("whoami")) {
				this.registry.send(channel, "user=" + this.registry.attribute(channel, USER));
			}
			else if (text.equals("role?")) {
				this.registry.send(channel, "role=" + this.registry.attribute(channel, ROLE));
			}
			else if (text.startsWith("set-role:")) {
				this.registry.setAttribute(channel, ROLE, text.substring("set-role:".length()));
				this.registry.send(channel, "role set");
			}
		}

		@Override
		public void onClose(Channel channel, CloseStatus status) {
			this.closedUsers.add(String.valueOf(this.registry.attribute(channel, USER)));
			this.atClose.put(channel, "user=" + this.registry.attribute(channel, USER) + ",role="
					+ this.registry.attribute(channel, ROLE));
		}

		Channel awaitChannel(String id) {
			await().atMost(WAIT).until(() -> this.channels.containsKey(id));
			return this.channels.get(id);
		}

		List<String> closedUsers() {
			return List.copyOf(this.closedUsers);
		}

		@Nullable String atClose(Channel channel) {
			return this.atClose.get(channel);
		}

		int opens() {
			return this.opens.get();
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class TestApp {

		@Bean
		@WebSocketApp("attrs")
		AttributesHandler attributesHandler(ChannelRegistry registry) {
			return new AttributesHandler(registry);
		}

	}

}
