package dev.websocketstarter.registry;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.websocketstarter.internal.channel.LocalNode;
import dev.websocketstarter.test.EchoApp;
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

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link ChannelRegistry#app(String)} and the isolation of apps' subscriptions:
 * a client of one app cannot join another app's subscriptions, whatever name its handler
 * subscribes it to, unless both apps are configured with the same
 * {@code subscription-scope}.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "websocket.apps.echo.urls=/ws/echo", "websocket.apps.prices.urls=/ws/prices",
				"websocket.apps.left.urls=/ws/left", "websocket.apps.left.subscription-scope=market",
				"websocket.apps.right.urls=/ws/right", "websocket.apps.right.subscription-scope=market" })
class AppIsolationIntegrationTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	private static final String PRIVATE_MESSAGE = "private message in the echo room";

	@LocalServerPort
	private int port;

	@Autowired
	private ChannelRegistry registry;

	@Autowired
	private LocalNode node;

	@Autowired
	@Qualifier("echoHandler")
	private RecordingHandler echo;

	@Autowired
	@Qualifier("pricesHandler")
	private SubscribingHandler prices;

	@Autowired
	@Qualifier("leftHandler")
	private SubscribingHandler left;

	@Autowired
	@Qualifier("rightHandler")
	private SubscribingHandler right;

	private final List<WebSocketTestClient> clients = new ArrayList<>();

	@AfterEach
	void closeClients() {
		this.clients.forEach(WebSocketTestClient::close);
		// Subscription counts of the next test start from nothing
		await().atMost(WAIT).until(() -> this.node.channelCount() == 0);
	}

	private WebSocketTestClient connect(String pathAndQuery) {
		WebSocketTestClient client = WebSocketTestClient.to(this.port, pathAndQuery).open();
		this.clients.add(client);
		return client;
	}

	/**
	 * Ask the client's handler to subscribe its channel, as a handler that trusts what
	 * clients name does, and wait for its answer.
	 */
	private void subscribe(WebSocketTestClient client, String subscription, boolean expected) {
		client.send("subscribe:" + subscription);
		String answer = "subscribed:" + subscription + ":" + expected;
		await().atMost(WAIT).untilAsserted(() -> assertThat(client.texts()).contains(answer));
	}

	@Test
	void clientOfAnotherAppDoesNotReceiveMulticastToAnAppUrl() {
		WebSocketTestClient victim = connect("/ws/echo?id=victim");
		Channel victimChannel = this.echo.awaitChannel("victim");
		WebSocketTestClient attacker = connect("/ws/prices?id=attacker");
		Channel attackerChannel = this.prices.awaitChannel("attacker");
		// The prices handler subscribes its channel to whatever name the client sends
		subscribe(attacker, "/ws/echo", true);
		assertThat(this.registry.app("prices").subscribers("/ws/echo")).containsExactly(attackerChannel);
		assertThat(this.registry.subscribers("/ws/echo")).containsExactly(victimChannel);
		assertThat(this.registry.app("echo").subscribers("/ws/echo")).containsExactly(victimChannel);
		assertThat(this.registry.multicast("/ws/echo", PRIVATE_MESSAGE)).isOne();
		// One channel's messages are written in order: a leaked multicast would come
		// before the marker
		assertThat(this.registry.send(attackerChannel, "marker")).isEqualTo(SendResult.QUEUED);
		await().atMost(WAIT).untilAsserted(() -> assertThat(victim.texts()).containsExactly(PRIVATE_MESSAGE));
		await().atMost(WAIT).untilAsserted(() -> assertThat(attacker.texts()).contains("marker"));
		assertThat(attacker.texts()).containsExactly("subscribed:/ws/echo:true", "marker");
	}

	@Test
	void multicastThroughAnAppsRegistryReachesOnlyThatAppsSubscribers() {
		WebSocketTestClient victim = connect("/ws/echo?id=app-victim");
		Channel victimChannel = this.echo.awaitChannel("app-victim");
		WebSocketTestClient attacker = connect("/ws/prices?id=app-attacker");
		Channel attackerChannel = this.prices.awaitChannel("app-attacker");
		subscribe(attacker, "/ws/echo", true);
		this.registry.subscribe(victimChannel, "room");
		subscribe(attacker, "room", true);
		assertThat(this.registry.app("echo").multicast("room", "echo room")).isOne();
		assertThat(this.registry.app("echo").multicast("/ws/echo", "echo url")).isOne();
		assertThat(this.registry.app("prices").multicast("room", "prices room")).isOne();
		this.registry.send(victimChannel, "marker");
		this.registry.send(attackerChannel, "marker");
		await().atMost(WAIT).untilAsserted(() -> {
			assertThat(victim.texts()).contains("marker");
			assertThat(attacker.texts()).contains("marker");
		});
		assertThat(victim.texts()).containsExactly("echo room", "echo url", "marker");
		assertThat(attacker.texts()).containsExactly("subscribed:/ws/echo:true", "subscribed:room:true", "prices room",
				"marker");
	}

	@Test
	void rootRegistryRefusesANameThatIsNotAnAppUrlWhenAppsKeepSeparateSubscriptions() {
		assertThatIllegalArgumentException().isThrownBy(() -> this.registry.multicast("room", "anyone?"))
			.withMessageContaining("'room' is not an app URL")
			.withMessageContaining("registry.app(");
		assertThatIllegalArgumentException().isThrownBy(() -> this.registry.subscribers("room"))
			.withMessageContaining("registry.app(");
		assertThatIllegalArgumentException().isThrownBy(() -> this.registry.subscriberCount("room"))
			.withMessageContaining("registry.app(");
		assertThatIllegalArgumentException().isThrownBy(() -> this.registry.subscriptionCounts())
			.withMessageContaining("registry.app(");
	}

	@Test
	void rootRegistryPlacesEachAppUrlInItsAppsSubscriptions() {
		WebSocketTestClient echoClient = connect("/ws/echo?id=url-echo");
		WebSocketTestClient pricesClient = connect("/ws/prices?id=url-prices");
		Channel echoChannel = this.echo.awaitChannel("url-echo");
		Channel pricesChannel = this.prices.awaitChannel("url-prices");
		assertThat(this.registry.subscribers("/ws/prices")).containsExactly(pricesChannel);
		assertThat(this.registry.multicast("/ws/prices", "to prices")).isOne();
		assertThat(this.registry.multicast("/ws/echo", "to echo")).isOne();
		await().atMost(WAIT).untilAsserted(() -> {
			assertThat(echoClient.texts()).containsExactly("to echo");
			assertThat(pricesClient.texts()).containsExactly("to prices");
		});
		assertThat(this.registry.subscriptions(echoChannel)).containsExactly("/ws/echo");
	}

	@Test
	void unknownAppIsRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> this.registry.app("nope"))
			.withMessageContaining("'nope'");
	}

	@Test
	void appsWithTheSameSubscriptionScopeShareSubscriptionNames() {
		WebSocketTestClient leftClient = connect("/ws/left?id=shared-left");
		WebSocketTestClient rightClient = connect("/ws/right?id=shared-right");
		WebSocketTestClient pricesClient = connect("/ws/prices?id=shared-prices");
		Channel leftChannel = this.left.awaitChannel("shared-left");
		Channel rightChannel = this.right.awaitChannel("shared-right");
		Channel pricesChannel = this.prices.awaitChannel("shared-prices");
		subscribe(leftClient, "quotes", true);
		subscribe(rightClient, "quotes", true);
		subscribe(pricesClient, "quotes", true);
		assertThat(this.registry.app("left").subscribers("quotes")).containsExactlyInAnyOrder(leftChannel,
				rightChannel);
		assertThat(this.registry.app("right").subscribers("quotes")).containsExactlyInAnyOrder(leftChannel,
				rightChannel);
		assertThat(this.registry.app("left").multicast("quotes", "from left")).isEqualTo(2);
		assertThat(this.registry.app("right").multicast("quotes", "from right")).isEqualTo(2);
		this.registry.send(pricesChannel, "marker");
		await().atMost(WAIT).untilAsserted(() -> {
			assertThat(leftClient.texts()).containsExactly("subscribed:quotes:true", "from left", "from right");
			assertThat(rightClient.texts()).containsExactly("subscribed:quotes:true", "from left", "from right");
			assertThat(pricesClient.texts()).contains("marker");
		});
		assertThat(pricesClient.texts()).containsExactly("subscribed:quotes:true", "marker");
	}

	@Test
	void appsWithTheSameSubscriptionScopeKeepTheirUrlsApart() {
		WebSocketTestClient leftClient = connect("/ws/left?id=url-left");
		WebSocketTestClient rightClient = connect("/ws/right?id=url-right");
		Channel leftChannel = this.left.awaitChannel("url-left");
		Channel rightChannel = this.right.awaitChannel("url-right");
		assertThat(this.registry.app("right").subscribers("/ws/left")).containsExactly(leftChannel);
		assertThat(this.registry.multicast("/ws/left", "to left")).isOne();
		this.registry.send(rightChannel, "marker");
		await().atMost(WAIT).untilAsserted(() -> {
			assertThat(leftClient.texts()).containsExactly("to left");
			assertThat(rightClient.texts()).containsExactly("marker");
		});
	}

	@Test
	void subscriptionCountsOfAnAppListOnlyThatAppsSubscriptions() {
		WebSocketTestClient first = connect("/ws/prices?id=counts-1");
		WebSocketTestClient second = connect("/ws/prices?id=counts-2");
		WebSocketTestClient third = connect("/ws/prices?id=counts-3");
		connect("/ws/echo?id=counts-echo");
		connect("/ws/left?id=counts-left");
		Channel echoChannel = this.echo.awaitChannel("counts-echo");
		Channel leftChannel = this.left.awaitChannel("counts-left");
		subscribe(first, "AAPL", true);
		subscribe(second, "AAPL", true);
		subscribe(third, "MSFT", true);
		assertThat(this.registry.subscribe(echoChannel, "AAPL")).isTrue();
		assertThat(this.registry.subscribe(leftChannel, "MSFT")).isTrue();
		assertThat(this.registry.app("prices").subscriptionCounts())
			.isEqualTo(Map.of("/ws/prices", 3, "AAPL", 2, "MSFT", 1));
		assertThat(this.registry.app("echo").subscriptionCounts()).isEqualTo(Map.of("/ws/echo", 1, "AAPL", 1));
		assertThat(this.registry.app("left").subscriptionCounts()).isEqualTo(Map.of("/ws/left", 1, "MSFT", 1));
		assertThat(this.registry.app("right").subscriptionCounts()).isEqualTo(Map.of("/ws/left", 1, "MSFT", 1));
		assertThat(this.registry.app("prices").subscriberCount("AAPL")).isEqualTo(2);
		assertThat(this.registry.app("echo").subscriberCount("AAPL")).isOne();
	}

	/**
	 * A handler that subscribes its channel to whatever a client names in
	 * {@code subscribe:<name>} and answers {@code subscribed:<name>:<result>}; clients
	 * name themselves with the query parameter {@code id}.
	 */
	static class SubscribingHandler implements ChannelHandler {

		private final ChannelRegistry registry;

		private final Map<String, Channel> channels = new ConcurrentHashMap<>();

		SubscribingHandler(ChannelRegistry registry) {
			this.registry = registry;
		}

		@Override
		public void onOpen(Channel channel, Handshake handshake) {
			String id = handshake.queryParameter("id");
			if (id != null) {
				this.channels.put(id, channel);
			}
		}

		@Override
		public void onText(Channel channel, String text) {
			if (text.startsWith("subscribe:")) {
				String subscription = text.substring("subscribe:".length());
				boolean subscribed = this.registry.subscribe(channel, subscription);
				this.registry.send(channel, "subscribed:" + subscription + ":" + subscribed);
			}
		}

		Channel awaitChannel(String id) {
			await().atMost(WAIT).until(() -> this.channels.containsKey(id));
			return this.channels.get(id);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@Import(EchoApp.class)
	static class TestApp {

		@Bean
		@WebSocketApp("prices")
		SubscribingHandler pricesHandler(ChannelRegistry registry) {
			return new SubscribingHandler(registry);
		}

		@Bean
		@WebSocketApp("left")
		SubscribingHandler leftHandler(ChannelRegistry registry) {
			return new SubscribingHandler(registry);
		}

		@Bean
		@WebSocketApp("right")
		SubscribingHandler rightHandler(ChannelRegistry registry) {
			return new SubscribingHandler(registry);
		}

	}

}
