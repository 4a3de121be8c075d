package dev.websocketstarter.benchmarks.micro;

import java.net.InetSocketAddress;
import java.net.URI;
import java.security.Principal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import dev.websocketstarter.internal.channel.AppSettings;
import dev.websocketstarter.internal.channel.LocalNode;
import dev.websocketstarter.internal.container.ContainerWebSocketHandler;
import dev.websocketstarter.internal.history.HistorySettings;
import dev.websocketstarter.registry.ChannelHandler;
import dev.websocketstarter.registry.ChannelRegistry;
import dev.websocketstarter.registry.OverflowPolicy;
import org.jspecify.annotations.Nullable;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import org.springframework.http.HttpHeaders;
import org.springframework.util.unit.DataSize;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.WebSocketExtension;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.WebSocketMessage;
import org.springframework.web.socket.WebSocketSession;

/**
 * One multicast of a 100-byte text to 1,000 channels, until every channel's writer has
 * handed it to its session: the registry, queues and writer pool without a network.
 * Deliveries/s is ops/s times {@link #SUBSCRIBERS}. The sessions are not Tomcat's, so the
 * container connection takes the plain {@code sendMessage} path, not batching mode.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class MulticastBenchmark {

	/**
	 * The channels each multicast goes to.
	 */
	public static final int SUBSCRIBERS = 1000;

	private static final String URL = "/bench";

	private static final String TEXT = "x".repeat(100);

	private final AtomicLong written = new AtomicLong();

	private LocalNode node;

	private ChannelRegistry registry;

	private long expected;

	@Setup
	public void setUp() throws Exception {
		this.node = new LocalNode("bench", Math.max(4, 2 * Runtime.getRuntime().availableProcessors()), Duration.ZERO,
				Duration.ofSeconds(1));
		this.node.start();
		this.registry = this.node.registry();
		AppSettings app = new AppSettings("bench", List.of(URL), List.of(), DataSize.ofKilobytes(64), Duration.ZERO,
				Duration.ZERO, DataSize.ofKilobytes(512), Duration.ofSeconds(10), OverflowPolicy.CLOSE, true, 0, false,
				"bench", false, false, Duration.ZERO, HistorySettings.NONE, Duration.ZERO);
		WebSocketHandler handler = new ContainerWebSocketHandler(this.node.acceptor(app, URL, new ChannelHandler() {
		}), app.maxMessageSize().toBytes(), app.sendTimeLimit());
		for (int i = 0; i < SUBSCRIBERS; i++) {
			handler.afterConnectionEstablished(new CountingSession(i, this.written));
		}
	}

	@Benchmark
	public long multicast() {
		this.expected += this.registry.multicast(URL, TEXT);
		long deadline = System.nanoTime() + 1_000_000_000L;
		while (this.written.get() < this.expected && System.nanoTime() < deadline) {
			Thread.onSpinWait();
		}
		return this.written.get();
	}

	@TearDown
	public void tearDown() {
		this.node.stop();
	}

	/**
	 * A session that only counts what is sent to it.
	 */
	static final class CountingSession implements WebSocketSession {

		private final String id;

		private final AtomicLong written;

		private final Map<String, Object> attributes = new ConcurrentHashMap<>();

		CountingSession(int id, AtomicLong written) {
			this.id = Integer.toString(id);
			this.written = written;
		}

		@Override
		public String getId() {
			return this.id;
		}

		@Override
		public @Nullable URI getUri() {
			return URI.create("ws://127.0.0.1/bench");
		}

		@Override
		public HttpHeaders getHandshakeHeaders() {
			return new HttpHeaders();
		}

		@Override
		public Map<String, Object> getAttributes() {
			return this.attributes;
		}

		@Override
		public @Nullable Principal getPrincipal() {
			return null;
		}

		@Override
		public @Nullable InetSocketAddress getLocalAddress() {
			return null;
		}

		@Override
		public @Nullable InetSocketAddress getRemoteAddress() {
			return null;
		}

		@Override
		public @Nullable String getAcceptedProtocol() {
			return null;
		}

		@Override
		public void setTextMessageSizeLimit(int messageSizeLimit) {
		}

		@Override
		public int getTextMessageSizeLimit() {
			return 65536;
		}

		@Override
		public void setBinaryMessageSizeLimit(int messageSizeLimit) {
		}

		@Override
		public int getBinaryMessageSizeLimit() {
			return 65536;
		}

		@Override
		public List<WebSocketExtension> getExtensions() {
			return new ArrayList<>();
		}

		@Override
		public void sendMessage(WebSocketMessage<?> message) {
			this.written.incrementAndGet();
		}

		@Override
		public boolean isOpen() {
			return true;
		}

		@Override
		public void close() {
		}

		@Override
		public void close(CloseStatus status) {
		}

	}

}
