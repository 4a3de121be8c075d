package dev.websocketstarter.test.channel;

import java.net.InetSocketAddress;
import java.net.URI;
import java.security.Principal;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Function;

import dev.websocketstarter.internal.channel.AppSettings;
import dev.websocketstarter.internal.channel.LocalNode;
import dev.websocketstarter.internal.history.HistorySettings;
import dev.websocketstarter.internal.transport.ConnectionAcceptor;
import dev.websocketstarter.internal.transport.ConnectionHandler;
import dev.websocketstarter.internal.transport.UpgradeRequest;
import dev.websocketstarter.registry.Channel;
import dev.websocketstarter.registry.ChannelHandler;
import dev.websocketstarter.registry.ChannelRegistry;
import dev.websocketstarter.registry.OverflowPolicy;
import dev.websocketstarter.registry.PresenceEvent;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpHeaders;
import org.springframework.util.unit.DataSize;

/**
 * Tests a handler without a network or a Spring context: a real node and registry in the
 * test's process, and channels opened to the handler in memory, as Phoenix's
 * {@code ChannelTest} does. A test takes milliseconds. <pre class="code">
 * try (ChannelTester tester = ChannelTester.of("chat", "/chat", (registry) -&gt; new ChatHandler(registry))) {
 *     TestChannel alice = tester.open("?name=alice");
 *     alice.sendText("{\"text\":\"hi\"}");
 *     assertThat(tester.multicasts()).extracting(Multicast::subscription).containsExactly("/chat");
 *     alice.awaitText((text) -&gt; text.contains("hi"), "the echo");
 * }
 * </pre> The app has the starter's default options, and each channel is subscribed to the
 * URL after {@code onOpen}, as {@code auto-subscribe} does.
 */
public final class ChannelTester implements AutoCloseable {

	private final LocalNode node;

	private final String url;

	private final ConnectionAcceptor acceptor;

	private final RecordingRegistry registry;

	private final Queue<Multicast> multicasts = new ConcurrentLinkedQueue<>();

	private final Queue<PresenceEvent> presenceEvents = new ConcurrentLinkedQueue<>();

	private volatile Duration timeout = Duration.ofSeconds(5);

	private ChannelTester(String app, String url, boolean autoSubscribe, List<String> history,
			@Nullable Duration presenceDiffs, Function<ChannelRegistry, ChannelHandler> handler) {
		this.node = new LocalNode("test", 1, Duration.ZERO, Duration.ofSeconds(1));
		this.url = url;
		this.registry = new RecordingRegistry(this.node.registry(), this.multicasts);
		HistorySettings kept = history.isEmpty() ? HistorySettings.NONE : new HistorySettings(history,
				HistorySettings.NONE.size(), HistorySettings.NONE.maxBytes(), HistorySettings.NONE.maxAge());
		AppSettings settings = new AppSettings(app, List.of(url), List.of(), DataSize.ofKilobytes(64), Duration.ZERO,
				Duration.ZERO, DataSize.ofKilobytes(512), Duration.ofSeconds(10), OverflowPolicy.CLOSE, autoSubscribe,
				0, false, app, false, presenceDiffs != null, (presenceDiffs != null) ? presenceDiffs : Duration.ZERO,
				kept, Duration.ZERO);
		this.node.presence().setListener(this.presenceEvents::add);
		this.acceptor = this.node.acceptor(settings, url, handler.apply(this.registry));
		this.node.start();
	}

	/**
	 * Start a node with one app served by a handler.
	 * @param app the app's name
	 * @param url its URL, also the subscription each channel joins
	 * @param handler makes the handler, given the registry to use
	 * @return the tester
	 */
	public static ChannelTester of(String app, String url, Function<ChannelRegistry, ChannelHandler> handler) {
		return app(app, url).handler(handler);
	}

	/**
	 * Start describing an app whose options differ from the defaults.
	 * @param app the app's name
	 * @param url its URL
	 * @return a builder
	 */
	public static Builder app(String app, String url) {
		return new Builder(app, url);
	}

	/**
	 * How long the waits of the channels opened from now on take; 5 seconds by default.
	 * @param timeout the timeout
	 * @return this tester
	 */
	public ChannelTester timeout(Duration timeout) {
		this.timeout = timeout;
		return this;
	}

	/**
	 * The registry the handler got: the node's, noting multicasts.
	 * @return the registry
	 */
	public ChannelRegistry registry() {
		return this.registry;
	}

	/**
	 * Open a channel with a query, as if a client connected to the URL.
	 * @param query the query, such as {@code ?name=alice}, or empty
	 * @return the channel, open, its handler's {@code onOpen} returned
	 */
	public TestChannel open(String query) {
		return open(query, null, new HttpHeaders());
	}

	/**
	 * Open a channel of an authenticated user, with a query and handshake headers.
	 * @param query the query, such as {@code ?room=1}, or empty
	 * @param user the principal's name, {@code null} for none
	 * @param headers the handshake's headers
	 * @return the channel, open
	 */
	public synchronized TestChannel open(String query, @Nullable String user, HttpHeaders headers) {
		TestChannel channel = new TestChannel(this.timeout, this.registry);
		Set<Channel> before = this.node.channels();
		ConnectionHandler events = this.acceptor.accept(channel.connection());
		Set<Channel> added = new HashSet<>(this.node.channels());
		added.removeAll(before);
		channel.opened(events, added.iterator().next());
		Principal principal = (user != null) ? () -> user : null;
		Map<String, Object> attributes = new HashMap<>();
		events.onOpen(new UpgradeRequest(URI.create("ws://localhost" + this.url + query), principal, headers,
				new InetSocketAddress("127.0.0.1", 50000), attributes));
		return channel;
	}

	/**
	 * The multicasts the handler made so far, in order.
	 * @return a snapshot
	 */
	public List<Multicast> multicasts() {
		return List.copyOf(this.multicasts);
	}

	/**
	 * The joins and leaves seen so far, in order, when the app has presence on: what an
	 * {@code @EventListener} of {@link PresenceEvent} would hear.
	 * @return a snapshot
	 */
	public List<PresenceEvent> presenceEvents() {
		return List.copyOf(this.presenceEvents);
	}

	/**
	 * Close every channel and stop the node.
	 */
	@Override
	public void close() {
		this.node.stop();
	}

	/**
	 * The options of the app under test that differ from the starter's defaults.
	 */
	public static final class Builder {

		private final String app;

		private final String url;

		private boolean autoSubscribe = true;

		private List<String> history = List.of();

		private @Nullable Duration presenceDiffs;

		private Builder(String app, String url) {
			this.app = app;
			this.url = url;
		}

		/**
		 * Whether each channel joins the URL's subscription after {@code onOpen}; by
		 * default it does.
		 * @param autoSubscribe whether to subscribe
		 * @return this builder
		 */
		public Builder autoSubscribe(boolean autoSubscribe) {
			this.autoSubscribe = autoSubscribe;
			return this;
		}

		/**
		 * Keep the history of these subscriptions, as {@code history.subscriptions} does,
		 * with the default bounds.
		 * @param subscriptions patterns, {@code *} for any characters
		 * @return this builder
		 */
		public Builder history(String... subscriptions) {
			this.history = List.of(subscriptions);
			return this;
		}

		/**
		 * Publish joins and leaves, as {@code presence: true} does: to
		 * {@link ChannelTester#presenceEvents()}, and to subscribers of a subscription as
		 * {@code presence_diff} messages gathered over an interval.
		 * @param diffs the interval of the diffs, as {@code presence-diffs}; zero for
		 * none
		 * @return this builder
		 */
		public Builder presence(Duration diffs) {
			this.presenceDiffs = diffs;
			return this;
		}

		/**
		 * Start the node with the app served by a handler.
		 * @param handler makes the handler, given the registry to use
		 * @return the tester
		 */
		public ChannelTester handler(Function<ChannelRegistry, ChannelHandler> handler) {
			return new ChannelTester(this.app, this.url, this.autoSubscribe, this.history, this.presenceDiffs, handler);
		}

	}

}
