package dev.websocketstarter.registry;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import java.util.stream.LongStream;

import dev.websocketstarter.test.client.WebSocketTestClient;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.socket.CloseStatus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link ChannelRegistry#subscribe(Channel, String, Supplier)}, the greeting
 * subscribe, and for what {@link ChannelHandler#onOpen} sends coming before multicasts to
 * the URL, while another thread multicasts all along.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "websocket.apps.feed.urls=/ws/feed", "websocket.apps.feed.send-buffer-limit=16MB",
				"websocket.apps.hello.urls=/ws/hello", "websocket.apps.hello.send-buffer-limit=16MB" })
class GreetingIntegrationTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	private static final int CLIENTS = 20;

	/** How many ticks each client must see after its first message. */
	private static final int TICKS_SEEN = 5;

	@LocalServerPort
	private int port;

	@Autowired
	private ChannelRegistry registry;

	@Autowired
	private Ticker ticker;

	@Autowired
	private FeedHandler feed;

	@Autowired
	private HelloHandler hello;

	private final HttpClient httpClient = HttpClient.newHttpClient();

	private final List<Collector> collectors = Collections.synchronizedList(new ArrayList<>());

	private final List<WebSocketTestClient> clients = new ArrayList<>();

	@AfterEach
	void stopTickerAndCloseClients() {
		this.ticker.stop();
		this.collectors.forEach(Collector::close);
		this.clients.forEach(WebSocketTestClient::close);
	}

	private Collector collect(String pathAndQuery, @Nullable Semaphore ticks) {
		Collector collector = new Collector(ticks);
		this.httpClient.newWebSocketBuilder()
			.connectTimeout(Duration.ofSeconds(5))
			.buildAsync(URI.create("ws://localhost:" + this.port + pathAndQuery), collector)
			.orTimeout(10, TimeUnit.SECONDS)
			.join();
		this.collectors.add(collector);
		return collector;
	}

	private WebSocketTestClient connect(String pathAndQuery) {
		WebSocketTestClient client = WebSocketTestClient.to(this.port, pathAndQuery).open();
		this.clients.add(client);
		return client;
	}

	/**
	 * Connect clients four at a time, each of them held in the server until the ticker
	 * multicast a few more messages.
	 */
	private List<Collector> connectHeldClients(String path) {
		ExecutorService connecting = Executors.newFixedThreadPool(4);
		try {
			List<CompletableFuture<Collector>> connected = IntStream.range(0, CLIENTS)
				.mapToObj((i) -> CompletableFuture.supplyAsync(() -> collect(path + "?hold=true&id=client-" + i, null),
						connecting))
				.toList();
			return connected.stream().map(CompletableFuture::join).toList();
		}
		finally {
			connecting.shutdown();
		}
	}

	@Test
	void newcomersGetTheirGreetingFirstThenEveryMulticastInOrderWithoutGap() {
		Semaphore pace = new Semaphore(0);
		collect("/ws/feed?id=pacer", pace);
		Channel pacer = this.feed.awaitChannel("pacer");
		assertThat(this.registry.app("feed").subscribers("ticks")).containsExactly(pacer);
		int greetingsBefore = this.feed.greetings();
		this.ticker.start(this.registry.app("feed"), "ticks", pace);
		List<Collector> newcomers = connectHeldClients("/ws/feed");
		for (Collector newcomer : newcomers) {
			await().atMost(WAIT).untilAsserted(() -> assertThat(newcomer.texts()).hasSizeGreaterThan(2 + TICKS_SEEN));
		}
		this.ticker.stop();
		assertThat(this.ticker.failure()).isNull();
		assertThat(this.feed.greetings()).isEqualTo(greetingsBefore + CLIENTS);
		for (Collector newcomer : newcomers) {
			List<String> texts = newcomer.texts();
			assertThat(texts.get(0)).isEqualTo("welcome");
			assertThat(texts.get(1)).startsWith("history:");
			long history = Long.parseLong(texts.get(1).substring("history:".length()));
			List<Long> ticks = ticks(texts.subList(2, texts.size()));
			// What was multicast before it joined is in the history: it misses nothing
			assertThat(ticks.get(0)).isLessThanOrEqualTo(history + 1);
			// The greeting waited for three ticks multicast to the joined channel: they
			// came after it
			assertThat(ticks.get(0)).isLessThanOrEqualTo(history - 3);
			assertConsecutive(ticks);
		}
	}

	@Test
	void whatOnOpenSendsComesBeforeAnyMulticastToTheUrl() {
		Semaphore pace = new Semaphore(0);
		collect("/ws/hello?id=pacer", pace);
		Channel pacer = this.hello.awaitChannel("pacer");
		await().atMost(WAIT).untilAsserted(() -> assertThat(this.registry.subscribers("/ws/hello")).contains(pacer));
		this.ticker.start(this.registry, "/ws/hello", pace);
		List<Collector> clients = connectHeldClients("/ws/hello");
		for (Collector client : clients) {
			await().atMost(WAIT).untilAsserted(() -> assertThat(client.texts()).hasSizeGreaterThan(1 + TICKS_SEEN));
		}
		this.ticker.stop();
		assertThat(this.ticker.failure()).isNull();
		for (int i = 0; i < CLIENTS; i++) {
			List<String> texts = clients.get(i).texts();
			assertThat(texts.get(0)).isEqualTo("hello client-" + i);
			assertConsecutive(ticks(texts.subList(1, texts.size())));
		}
	}

	@Test
	void subscribingAnAlreadySubscribedChannelWithAGreetingReturnsFalseAndSendsNoGreeting() {
		WebSocketTestClient client = connect("/ws/feed?id=twice");
		Channel channel = this.feed.awaitChannel("twice");
		await().atMost(WAIT).untilAsserted(() -> assertThat(client.texts()).hasSize(2));
		AtomicInteger greetings = new AtomicInteger();
		assertThat(this.registry.app("feed").subscribe(channel, "ticks", () -> {
			greetings.incrementAndGet();
			return List.of("welcome again");
		})).isFalse();
		assertThat(this.registry.app("feed").subscribe(channel, "ticks")).isFalse();
		this.registry.app("feed").multicast("ticks", "tick:1");
		this.registry.send(channel, "marker");
		await().atMost(WAIT).untilAsserted(() -> assertThat(client.texts()).contains("marker"));
		assertThat(client.texts()).hasSize(4).startsWith("welcome").endsWith("tick:1", "marker");
		assertThat(client.texts().get(1)).startsWith("history:");
		assertThat(greetings).hasValue(0);
	}

	@Test
	void greetingOfAClosedChannelIsNeverMade() {
		WebSocketTestClient client = connect("/ws/feed?id=closed&greet=false");
		Channel channel = this.feed.awaitChannel("closed");
		this.registry.close(channel, CloseStatus.NORMAL);
		assertThat(client.awaitClose().getCode()).isEqualTo(1000);
		AtomicInteger greetings = new AtomicInteger();
		assertThat(this.registry.subscribe(channel, "ticks", () -> {
			greetings.incrementAndGet();
			return List.of("welcome");
		})).isFalse();
		assertThat(greetings).hasValue(0);
	}

	@Test
	void greetingThatThrowsReachesTheCallerAndLeavesTheChannelOpenAndNotHeld() {
		WebSocketTestClient client = connect("/ws/feed?id=failing-greeting&greet=false");
		Channel channel = this.feed.awaitChannel("failing-greeting");
		ChannelRegistry feedRegistry = this.registry.app("feed");
		assertThatIllegalStateException().isThrownBy(() -> feedRegistry.subscribe(channel, "news", () -> {
			feedRegistry.send(channel, "sent while greeting");
			throw new IllegalStateException("No history");
		})).withMessage("No history");
		assertThat(feedRegistry.isOpen(channel)).isTrue();
		assertThat(feedRegistry.send(channel, "sent after")).isEqualTo(SendResult.QUEUED);
		assertThat(feedRegistry.multicast("/ws/feed", "multicast after")).isPositive();
		assertThat(feedRegistry.subscribe(channel, "other", () -> List.of("greeting of other"))).isTrue();
		assertThat(feedRegistry.multicast("other", "multicast to other")).isOne();
		await().atMost(WAIT)
			.untilAsserted(() -> assertThat(client.texts()).containsExactly("sent while greeting", "sent after",
					"multicast after", "greeting of other", "multicast to other"));
	}

	@Test
	void greetingThatThrowsLeavesNoSubscriptionSoThatARetryGreets() {
		WebSocketTestClient client = connect("/ws/feed?id=retried-greeting&greet=false");
		Channel channel = this.feed.awaitChannel("retried-greeting");
		ChannelRegistry feedRegistry = this.registry.app("feed");
		assertThatIllegalStateException().isThrownBy(() -> feedRegistry.subscribe(channel, "news", () -> {
			throw new IllegalStateException("History not loaded yet");
		}));
		// The caller was told the subscribe failed: a subscription it would not know of
		// would get multicasts although it never got the greeting
		assertThat(feedRegistry.subscriptions(channel)).doesNotContain("news");
		assertThat(feedRegistry.subscribers("news")).doesNotContain(channel);
		assertThat(feedRegistry.subscribe(channel, "news", () -> List.of("welcome to the news"))).isTrue();
		feedRegistry.multicast("news", "headline");
		await().atMost(WAIT)
			.untilAsserted(() -> assertThat(client.texts()).containsExactly("welcome to the news", "headline"));
	}

	private static List<Long> ticks(List<String> texts) {
		assertThat(texts).isNotEmpty().allMatch((text) -> text.startsWith("tick:"), "is a tick");
		return texts.stream().map((text) -> Long.parseLong(text.substring("tick:".length()))).toList();
	}

	private static void assertConsecutive(List<Long> ticks) {
		long first = ticks.get(0);
		assertThat(ticks).isEqualTo(LongStream.range(first, first + ticks.size()).boxed().toList());
	}

	/**
	 * Multicasts {@code tick:1}, {@code tick:2}, ... from its own thread, each recorded
	 * before it is multicast; paced by a client that reads the ticks, so that it never
	 * outruns the clients' reading.
	 */
	static class Ticker {

		private final Object published = new Object();

		private volatile long last;

		private volatile boolean running;

		private volatile @Nullable String failure;

		private @Nullable Thread thread;

		void start(ChannelRegistry registry, String subscription, Semaphore pace) {
			this.last = 0;
			this.failure = null;
			this.running = true;
			Thread thread = new Thread(() -> {
				// A few ticks in flight, then one per tick the pacing client read
				pace.release(4);
				while (this.running) {
					try {
						if (!pace.tryAcquire(10, TimeUnit.SECONDS)) {
							this.failure = "The pacing client read no tick for 10 seconds";
							break;
						}
					}
					catch (InterruptedException ex) {
						Thread.currentThread().interrupt();
						break;
					}
					long next = this.last + 1;
					synchronized (this.published) {
						this.last = next;
					}
					registry.multicast(subscription, "tick:" + next);
					synchronized (this.published) {
						this.published.notifyAll();
					}
				}
				this.running = false;
				synchronized (this.published) {
					this.published.notifyAll();
				}
			}, "ticker");
			thread.setDaemon(true);
			this.thread = thread;
			thread.start();
		}

		void stop() {
			this.running = false;
			Thread thread = this.thread;
			if (thread != null) {
				try {
					thread.join(WAIT.toMillis());
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
				this.thread = null;
			}
		}

		/**
		 * The number of the last tick recorded: every tick up to it is multicast or about
		 * to be.
		 */
		long last() {
			return this.last;
		}

		/**
		 * Wait until a few more ticks were multicast.
		 * @throws IllegalStateException if the ticker stopped or was too slow
		 */
		void awaitMoreTicks(int count) {
			long deadline = System.nanoTime() + WAIT.toNanos();
			synchronized (this.published) {
				long target = this.last + count + 1;
				while (this.last < target) {
					long left = deadline - System.nanoTime();
					if (!this.running || left <= 0) {
						throw new IllegalStateException("The ticker stopped before tick " + target);
					}
					try {
						TimeUnit.NANOSECONDS.timedWait(this.published, left);
					}
					catch (InterruptedException ex) {
						Thread.currentThread().interrupt();
						throw new IllegalStateException(ex);
					}
				}
			}
		}

		@Nullable String failure() {
			return this.failure;
		}

	}

	/**
	 * Subscribes the pacing client to {@code ticks}, any other client with a greeting of
	 * {@code welcome} and the history, the ticker's last tick; with {@code hold=true},
	 * the greeting waits until a few more ticks were multicast to the joined channel.
	 * Clients name themselves with the query parameter {@code id}.
	 */
	static class FeedHandler implements ChannelHandler {

		private final ChannelRegistry registry;

		private final Ticker ticker;

		private final Map<String, Channel> channels = new ConcurrentHashMap<>();

		private final AtomicInteger greetings = new AtomicInteger();

		FeedHandler(ChannelRegistry registry, Ticker ticker) {
			this.registry = registry;
			this.ticker = ticker;
		}

		@Override
		public void onOpen(Channel channel, Handshake handshake) {
			String id = handshake.queryParameter("id");
			if ("pacer".equals(id)) {
				this.registry.subscribe(channel, "ticks");
			}
			else if (!"false".equals(handshake.queryParameter("greet"))) {
				boolean hold = "true".equals(handshake.queryParameter("hold"));
				this.registry.subscribe(channel, "ticks", () -> {
					this.greetings.incrementAndGet();
					if (hold) {
						this.ticker.awaitMoreTicks(3);
					}
					return List.of("welcome", "history:" + this.ticker.last());
				});
			}
			if (id != null) {
				this.channels.put(id, channel);
			}
		}

		Channel awaitChannel(String id) {
			await().atMost(WAIT).until(() -> this.channels.containsKey(id));
			return this.channels.get(id);
		}

		int greetings() {
			return this.greetings.get();
		}

	}

	/**
	 * Sends {@code hello <id>} in {@code onOpen}; with {@code hold=true}, only once a few
	 * more ticks were multicast to the URL.
	 */
	static class HelloHandler implements ChannelHandler {

		private final ChannelRegistry registry;

		private final Ticker ticker;

		private final Map<String, Channel> channels = new ConcurrentHashMap<>();

		HelloHandler(ChannelRegistry registry, Ticker ticker) {
			this.registry = registry;
			this.ticker = ticker;
		}

		@Override
		public void onOpen(Channel channel, Handshake handshake) {
			String id = handshake.queryParameter("id");
			if ("true".equals(handshake.queryParameter("hold"))) {
				this.ticker.awaitMoreTicks(3);
			}
			this.registry.send(channel, "hello " + id);
			if (id != null) {
				this.channels.put(id, channel);
			}
		}

		Channel awaitChannel(String id) {
			await().atMost(WAIT).until(() -> this.channels.containsKey(id));
			return this.channels.get(id);
		}

	}

	/**
	 * A client that collects the texts it receives, cheaply, and releases a permit for
	 * each tick if it paces the ticker.
	 */
	static final class Collector implements WebSocket.Listener {

		private final List<String> texts = new ArrayList<>();

		private final StringBuilder partial = new StringBuilder();

		private final @Nullable Semaphore ticks;

		private volatile @Nullable WebSocket webSocket;

		Collector(@Nullable Semaphore ticks) {
			this.ticks = ticks;
		}

		@Override
		public void onOpen(WebSocket webSocket) {
			this.webSocket = webSocket;
			webSocket.request(1);
		}

		@Override
		public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
			this.partial.append(data);
			if (last) {
				String text = this.partial.toString();
				this.partial.setLength(0);
				synchronized (this.texts) {
					this.texts.add(text);
				}
				if (this.ticks != null && text.startsWith("tick:")) {
					this.ticks.release();
				}
			}
			webSocket.request(1);
			return null;
		}

		List<String> texts() {
			synchronized (this.texts) {
				return List.copyOf(this.texts);
			}
		}

		void close() {
			WebSocket webSocket = this.webSocket;
			if (webSocket != null && !webSocket.isOutputClosed()) {
				webSocket.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
			}
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class TestApp {

		@Bean
		Ticker ticker() {
			return new Ticker();
		}

		@Bean
		@WebSocketApp("feed")
		FeedHandler feedHandler(ChannelRegistry registry, Ticker ticker) {
			return new FeedHandler(registry, ticker);
		}

		@Bean
		@WebSocketApp("hello")
		HelloHandler helloHandler(ChannelRegistry registry, Ticker ticker) {
			return new HelloHandler(registry, ticker);
		}

	}

}
