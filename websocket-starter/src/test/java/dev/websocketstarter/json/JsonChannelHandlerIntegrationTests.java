package dev.websocketstarter.json;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import dev.websocketstarter.registry.Channel;
import dev.websocketstarter.registry.ChannelRegistry;
import dev.websocketstarter.registry.Handshake;
import dev.websocketstarter.registry.SendResult;
import dev.websocketstarter.registry.WebSocketApp;
import dev.websocketstarter.test.LoginApp;
import dev.websocketstarter.test.client.WebSocketTestClient;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
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
 * Tests for {@link JsonChannelHandler} and {@link JsonSender}: apps whose text messages
 * arrive bound to a type, on a real server with the JDK's WebSocket client.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "websocket.apps.orders.urls=/ws/orders", "websocket.apps.strict.urls=/ws/strict",
				"websocket.apps.quiet.urls=/ws/quiet", "websocket.apps.commands.urls=/ws/commands",
				"websocket.apps.inherited.urls=/ws/inherited", "websocket.apps.prices.urls=/ws/prices" })
class JsonChannelHandlerIntegrationTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	@LocalServerPort
	private int port;

	@Autowired
	private ChannelRegistry registry;

	@Autowired
	private JsonSender sender;

	@Autowired
	private JsonMapper mapper;

	@Autowired
	@Qualifier("orderHandler")
	private OrderHandler orders;

	@Autowired
	private StrictOrderHandler strict;

	@Autowired
	private QuietOrderHandler quiet;

	@Autowired
	private CommandHandler commands;

	@Autowired
	private InheritedOrderHandler inherited;

	@Autowired
	private PricesHandler prices;

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

	private ErrorReply error(String text) {
		return this.mapper.readValue(text, ErrorReply.class);
	}

	@Test
	void validMessageReachesOnMessageBound() {
		connect("/ws/orders?id=valid").send("{\"symbol\":\"ACME\",\"quantity\":3}");
		Channel channel = this.orders.recorder.awaitChannel("valid");
		await().atMost(WAIT)
			.untilAsserted(
					() -> assertThat(this.orders.recorder.received(channel)).containsExactly(new Order("ACME", 3)));
	}

	@Test
	void invalidJsonGetsAnErrorReplyThatNeitherQuotesItNorNamesClassesAndTheChannelStaysOpen() {
		WebSocketTestClient client = connect("/ws/orders?id=invalid");
		Channel channel = this.orders.recorder.awaitChannel("invalid");
		client.send("{\"symbol\":\"s3cr3t-t0ken\",\"quantity\":");
		await().atMost(WAIT).untilAsserted(() -> assertThat(client.texts()).hasSize(1));
		ErrorReply reply = error(client.texts().get(0));
		assertThat(reply.error()).isEqualTo("invalid-message");
		assertThat(reply.message()).isNotBlank()
			.doesNotContain("s3cr3t", "quantity", "symbol")
			.doesNotContain(Order.class.getSimpleName(), "java.", "dev.websocketstarter", "tools.jackson", "Exception");
		assertThat(this.orders.recorder.received(channel)).isEmpty();

		client.send("{\"symbol\":\"ACME\",\"quantity\":4}");
		await().atMost(WAIT)
			.untilAsserted(
					() -> assertThat(this.orders.recorder.received(channel)).containsExactly(new Order("ACME", 4)));
		assertThat(this.registry.isOpen(channel)).isTrue();
		assertThat(client.isClosed()).isFalse();
	}

	@Test
	void messageOfTheWrongShapeGetsAnErrorNamingTheField() {
		WebSocketTestClient client = connect("/ws/orders?id=wrong-type");
		Channel channel = this.orders.recorder.awaitChannel("wrong-type");
		client.send("{\"symbol\":\"ACME\",\"quantity\":\"x-not-a-number\"}");
		await().atMost(WAIT).untilAsserted(() -> assertThat(client.texts()).hasSize(1));
		ErrorReply reply = error(client.texts().get(0));
		assertThat(reply.error()).isEqualTo("invalid-message");
		assertThat(reply.message()).contains("'quantity'")
			.doesNotContain("x-not-a-number")
			.doesNotContain(Order.class.getSimpleName(), "int", "java.", "dev.websocketstarter", "tools.jackson");
		assertThat(this.orders.recorder.received(channel)).isEmpty();
		assertThat(this.registry.isOpen(channel)).isTrue();
	}

	@Test
	void errorReplyDoesNotQuoteTheKeysOfTheMessage() {
		WebSocketTestClient client = connect("/ws/prices?id=keys");
		Channel channel = this.prices.recorder.awaitChannel("keys");
		client.send("{\"ACME\":3,\"s3cr3t <b>key</b>\\nsecond line\":\"x\"}");
		await().atMost(WAIT).untilAsserted(() -> assertThat(client.texts()).hasSize(1));
		ErrorReply reply = error(client.texts().get(0));
		assertThat(reply.error()).isEqualTo("invalid-message");
		assertThat(reply.message()).doesNotContain("s3cr3t", "<b>", "\n");
		assertThat(this.prices.recorder.received(channel)).isEmpty();
	}

	@Test
	void nullMessageGetsAnErrorReply() {
		WebSocketTestClient client = connect("/ws/orders?id=null");
		Channel channel = this.orders.recorder.awaitChannel("null");
		client.send("null");
		await().atMost(WAIT).untilAsserted(() -> assertThat(client.texts()).hasSize(1));
		assertThat(error(client.texts().get(0)).error()).isEqualTo("invalid-message");
		assertThat(this.orders.recorder.received(channel)).isEmpty();
	}

	@Test
	void handlerHearsWhatIsWrongWithAnInvalidMessage() {
		WebSocketTestClient client = connect("/ws/orders?id=problem");
		Channel channel = this.orders.recorder.awaitChannel("problem");
		client.send("{\"symbol\":\"ACME\",\"quantity\":\"x\"}");
		await().atMost(WAIT).untilAsserted(() -> assertThat(client.texts()).hasSize(1));
		assertThat(this.orders.recorder.problems(channel)).containsExactly(error(client.texts().get(0)).message());
	}

	@Test
	void handlerThatClosesOnInvalidMessagesClosesTheChannelWith1007() {
		WebSocketTestClient client = connect("/ws/strict?id=strict");
		Channel channel = this.strict.recorder.awaitChannel("strict");
		client.send("{\"symbol\":\"ACME\",\"quantity\":2}");
		await().atMost(WAIT)
			.untilAsserted(
					() -> assertThat(this.strict.recorder.received(channel)).containsExactly(new Order("ACME", 2)));
		client.send("not json");
		assertThat(client.awaitClose().getCode()).isEqualTo(1007);
		assertThat(client.awaitClose().getReason()).isEqualTo("Invalid message");
		await().atMost(WAIT)
			.untilAsserted(() -> assertThat(this.strict.recorder.closeStatus(channel))
				.isEqualTo(new CloseStatus(1007, "Invalid message")));
		assertThat(client.texts()).isEmpty();
	}

	@Test
	void handlerThatIgnoresInvalidMessagesSendsNothing() {
		WebSocketTestClient client = connect("/ws/quiet?id=quiet");
		Channel channel = this.quiet.recorder.awaitChannel("quiet");
		client.send("{oops");
		client.send("{\"symbol\":\"ACME\",\"quantity\":1}");
		// Messages of one channel are handled in order: a reply would be queued by now
		await().atMost(WAIT)
			.untilAsserted(
					() -> assertThat(this.quiet.recorder.received(channel)).containsExactly(new Order("ACME", 1)));
		assertThat(this.quiet.recorder.problems(channel)).hasSize(1);
		this.registry.send(channel, "marker");
		await().atMost(WAIT).untilAsserted(() -> assertThat(client.texts()).containsExactly("marker"));
		assertThat(this.registry.isOpen(channel)).isTrue();
	}

	@Test
	void binaryMessagesStillReachOnBinary() {
		WebSocketTestClient client = connect("/ws/orders?id=binary");
		this.orders.recorder.awaitChannel("binary");
		byte[] data = { 0, 1, 2, (byte) 0xff };
		client.send(data);
		await().atMost(WAIT).untilAsserted(() -> assertThat(client.binaries()).singleElement().isEqualTo(data));
	}

	@Test
	void messagesBindToASealedInterfaceWithTypeAnnotations() {
		WebSocketTestClient client = connect("/ws/commands?id=commands");
		Channel channel = this.commands.recorder.awaitChannel("commands");
		client.send("{\"type\":\"buy\",\"symbol\":\"ACME\",\"quantity\":1}");
		client.send("{\"type\":\"cancel\",\"orderId\":7}");
		client.send("{\"type\":\"sell-everything\"}");
		await().atMost(WAIT).untilAsserted(() -> {
			assertThat(this.commands.recorder.received(channel)).containsExactly(new Buy("ACME", 1), new Cancel(7));
			assertThat(client.texts()).hasSize(1);
		});
		assertThat(error(client.texts().get(0)).error()).isEqualTo("invalid-message");
	}

	@Test
	void messageTypeDeclaredThroughAGenericSuperclassBinds() {
		WebSocketTestClient client = connect("/ws/inherited?id=inherited");
		Channel channel = this.inherited.recorder.awaitChannel("inherited");
		client.send("{\"symbol\":\"ACME\",\"quantity\":8}");
		await().atMost(WAIT).until(() -> !this.inherited.recorder.received(channel).isEmpty() || client.isClosed());
		assertThat(client.isClosed()).as("the channel's close, as the handler failed on the message").isFalse();
		assertThat(this.inherited.recorder.received(channel)).containsExactly(new Order("ACME", 8));
	}

	@Test
	void senderWritesObjectsAsJsonToOneChannel() {
		WebSocketTestClient client = connect("/ws/orders?id=send");
		Channel channel = this.orders.recorder.awaitChannel("send");
		assertThat(this.sender.send(channel, new Order("ACME", 9))).isEqualTo(SendResult.QUEUED);
		await().atMost(WAIT).untilAsserted(() -> assertThat(client.texts()).hasSize(1));
		assertThat(this.mapper.readValue(client.texts().get(0), Order.class)).isEqualTo(new Order("ACME", 9));
		assertThat(this.sender.write(new Order("ACME", 9))).isEqualTo(client.texts().get(0));
	}

	@Test
	void senderMulticastsObjectsAsJsonToSubscribers() {
		WebSocketTestClient first = connect("/ws/orders?id=multicast-1");
		WebSocketTestClient second = connect("/ws/orders?id=multicast-2");
		WebSocketTestClient other = connect("/ws/orders?id=multicast-3");
		Channel firstChannel = this.orders.recorder.awaitChannel("multicast-1");
		Channel secondChannel = this.orders.recorder.awaitChannel("multicast-2");
		Channel otherChannel = this.orders.recorder.awaitChannel("multicast-3");
		this.registry.subscribe(firstChannel, "tickers");
		this.registry.subscribe(secondChannel, "tickers");

		assertThat(this.sender.app("orders").multicast("tickers", new Order("ACME", 5))).isEqualTo(2);
		this.sender.send(otherChannel, Map.of("marker", true));
		await().atMost(WAIT).untilAsserted(() -> {
			assertThat(first.texts()).hasSize(1);
			assertThat(second.texts()).hasSize(1);
			assertThat(other.texts()).hasSize(1);
		});
		assertThat(this.mapper.readValue(first.texts().get(0), Order.class)).isEqualTo(new Order("ACME", 5));
		assertThat(this.mapper.readValue(second.texts().get(0), Order.class)).isEqualTo(new Order("ACME", 5));
		assertThat(other.texts()).containsExactly("{\"marker\":true}");
	}

	@Test
	void senderMulticastsToAnAppUrl() {
		WebSocketTestClient first = connect("/ws/orders?id=url-1");
		WebSocketTestClient sender = connect("/ws/orders?id=url-2");
		Channel firstChannel = this.orders.recorder.awaitChannel("url-1");
		Channel senderChannel = this.orders.recorder.awaitChannel("url-2");
		// Subscribed to their URL once onOpen returned
		await().atMost(WAIT)
			.until(() -> this.registry.subscribers("/ws/orders").containsAll(List.of(firstChannel, senderChannel)));

		int queued = this.sender.multicast("/ws/orders", new Order("ACME", 6), senderChannel);
		assertThat(queued).isPositive();
		this.sender.send(senderChannel, new Order("MARK", 0));
		await().atMost(WAIT).untilAsserted(() -> {
			assertThat(first.texts()).hasSize(1);
			assertThat(sender.texts()).hasSize(1);
		});
		assertThat(this.mapper.readValue(first.texts().get(0), Order.class)).isEqualTo(new Order("ACME", 6));
		assertThat(this.mapper.readValue(sender.texts().get(0), Order.class)).isEqualTo(new Order("MARK", 0));
	}

	@Test
	void senderWritesObjectsAsJsonToEveryChannelOfAUser() {
		WebSocketTestClient first = connect("/ws/orders?id=user-1&user=json-alice");
		WebSocketTestClient second = connect("/ws/orders?id=user-2&user=json-alice");
		WebSocketTestClient bob = connect("/ws/orders?id=user-3&user=json-bob");
		this.orders.recorder.awaitChannel("user-1");
		this.orders.recorder.awaitChannel("user-2");
		this.orders.recorder.awaitChannel("user-3");

		assertThat(this.sender.app("orders").sendToUser("json-alice", new Order("ACME", 7))).isEqualTo(2);
		assertThat(this.sender.app("orders").sendToUser("json-bob", Map.of("marker", true))).isOne();
		await().atMost(WAIT).untilAsserted(() -> {
			assertThat(first.texts()).hasSize(1);
			assertThat(second.texts()).hasSize(1);
			assertThat(bob.texts()).containsExactly("{\"marker\":true}");
		});
		assertThat(this.mapper.readValue(first.texts().get(0), Order.class)).isEqualTo(new Order("ACME", 7));
		assertThat(this.mapper.readValue(second.texts().get(0), Order.class)).isEqualTo(new Order("ACME", 7));
	}

	record Order(String symbol, int quantity) {
	}

	record ErrorReply(String error, String message) {
	}

	@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
	@JsonSubTypes({ @JsonSubTypes.Type(value = Buy.class, name = "buy"),
			@JsonSubTypes.Type(value = Cancel.class, name = "cancel") })
	sealed interface Command permits Buy, Cancel {

	}

	record Buy(String symbol, int quantity) implements Command {
	}

	record Cancel(long orderId) implements Command {
	}

	/**
	 * What the channels of one handler did; clients name themselves with the query
	 * parameter {@code id}.
	 */
	static final class Recorder {

		private final Map<String, Channel> channels = new ConcurrentHashMap<>();

		private final Map<Channel, Queue<Object>> received = new ConcurrentHashMap<>();

		private final Map<Channel, Queue<String>> problems = new ConcurrentHashMap<>();

		private final Map<Channel, CloseStatus> closes = new ConcurrentHashMap<>();

		void opened(Channel channel, Handshake handshake) {
			String id = handshake.queryParameter("id");
			if (id != null) {
				this.channels.put(id, channel);
			}
		}

		/**
		 * Record a message as it arrived, whatever its class: a test asserts that.
		 */
		void received(Channel channel, Object message) {
			this.received.computeIfAbsent(channel, (key) -> new ConcurrentLinkedQueue<>()).add(message);
		}

		void problem(Channel channel, String problem) {
			this.problems.computeIfAbsent(channel, (key) -> new ConcurrentLinkedQueue<>()).add(problem);
		}

		void closed(Channel channel, CloseStatus status) {
			this.closes.put(channel, status);
		}

		Channel awaitChannel(String id) {
			await().atMost(WAIT).until(() -> this.channels.containsKey(id));
			return this.channels.get(id);
		}

		List<Object> received(Channel channel) {
			return List.copyOf(this.received.getOrDefault(channel, new ConcurrentLinkedQueue<>()));
		}

		List<String> problems(Channel channel) {
			return List.copyOf(this.problems.getOrDefault(channel, new ConcurrentLinkedQueue<>()));
		}

		@Nullable CloseStatus closeStatus(Channel channel) {
			return this.closes.get(channel);
		}

	}

	/**
	 * Records what its channels do, replies to invalid messages and sends binary messages
	 * back.
	 */
	static class OrderHandler implements JsonChannelHandler<Order> {

		final Recorder recorder = new Recorder();

		private final ChannelRegistry registry;

		OrderHandler(ChannelRegistry registry) {
			this.registry = registry;
		}

		@Override
		public void onOpen(Channel channel, Handshake handshake) {
			this.recorder.opened(channel, handshake);
		}

		@Override
		public void onMessage(Channel channel, Order order) {
			this.recorder.received(channel, order);
		}

		@Override
		public InvalidMessagePolicy onInvalidMessage(Channel channel, String problem) {
			this.recorder.problem(channel, problem);
			return InvalidMessagePolicy.REPLY;
		}

		@Override
		public void onBinary(Channel channel, byte[] data) {
			this.registry.send(channel, data);
		}

		@Override
		public void onClose(Channel channel, CloseStatus status) {
			this.recorder.closed(channel, status);
		}

	}

	static class StrictOrderHandler extends OrderHandler {

		StrictOrderHandler(ChannelRegistry registry) {
			super(registry);
		}

		@Override
		public InvalidMessagePolicy onInvalidMessage(Channel channel, String problem) {
			super.onInvalidMessage(channel, problem);
			return InvalidMessagePolicy.CLOSE;
		}

	}

	static class QuietOrderHandler extends OrderHandler {

		QuietOrderHandler(ChannelRegistry registry) {
			super(registry);
		}

		@Override
		public InvalidMessagePolicy onInvalidMessage(Channel channel, String problem) {
			super.onInvalidMessage(channel, problem);
			return InvalidMessagePolicy.IGNORE;
		}

	}

	/**
	 * Takes messages whose keys are the client's: prices by symbol.
	 */
	static class PricesHandler implements JsonChannelHandler<Map<String, Integer>> {

		final Recorder recorder = new Recorder();

		@Override
		public void onOpen(Channel channel, Handshake handshake) {
			this.recorder.opened(channel, handshake);
		}

		@Override
		public void onMessage(Channel channel, Map<String, Integer> prices) {
			this.recorder.received(channel, prices);
		}

	}

	static class CommandHandler implements JsonChannelHandler<Command> {

		final Recorder recorder = new Recorder();

		@Override
		public void onOpen(Channel channel, Handshake handshake) {
			this.recorder.opened(channel, handshake);
		}

		@Override
		public void onMessage(Channel channel, Command command) {
			this.recorder.received(channel, command);
		}

	}

	/**
	 * A base class an application may write for its handlers, leaving the message type to
	 * each subclass.
	 */
	abstract static class BaseHandler<T> implements JsonChannelHandler<T> {

		final Recorder recorder = new Recorder();

		@Override
		public void onOpen(Channel channel, Handshake handshake) {
			this.recorder.opened(channel, handshake);
		}

	}

	static class InheritedOrderHandler extends BaseHandler<Order> {

		@Override
		public void onMessage(Channel channel, Order order) {
			this.recorder.received(channel, order);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	@Import(LoginApp.class)
	static class TestApp {

		@Bean
		@WebSocketApp("orders")
		OrderHandler orderHandler(ChannelRegistry registry) {
			return new OrderHandler(registry);
		}

		@Bean
		@WebSocketApp("strict")
		StrictOrderHandler strictOrderHandler(ChannelRegistry registry) {
			return new StrictOrderHandler(registry);
		}

		@Bean
		@WebSocketApp("quiet")
		QuietOrderHandler quietOrderHandler(ChannelRegistry registry) {
			return new QuietOrderHandler(registry);
		}

		@Bean
		@WebSocketApp("commands")
		CommandHandler commandHandler() {
			return new CommandHandler();
		}

		@Bean
		@WebSocketApp("prices")
		PricesHandler pricesHandler() {
			return new PricesHandler();
		}

		@Bean
		@WebSocketApp("inherited")
		InheritedOrderHandler inheritedOrderHandler() {
			return new InheritedOrderHandler();
		}

	}

}
