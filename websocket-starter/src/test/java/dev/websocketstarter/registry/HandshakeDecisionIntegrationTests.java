package dev.websocketstarter.registry;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

import dev.websocketstarter.test.EchoApp;
import dev.websocketstarter.test.RawClient;
import dev.websocketstarter.test.RecordingHandler;
import dev.websocketstarter.test.client.WebSocketTestClient;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.annotation.Order;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link HandshakeDecision}: what {@link ChannelHandler#onHandshake} and
 * {@link HandshakeAuthorizer} beans decide, as a client sees it over a raw socket.
 */
@ExtendWith(OutputCaptureExtension.class)
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = { "websocket.apps.echo.urls=/ws/echo",
		"websocket.apps.decide.urls=/ws/decide", "websocket.apps.guarded.urls=/ws/guarded" })
class HandshakeDecisionIntegrationTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	static final ChannelAttribute<String> USER = ChannelAttribute.shared("user");

	static final ChannelAttribute<String> CHECKED_BY = ChannelAttribute.of("checked-by", String.class);

	static final ChannelAttribute<String> GUARD = ChannelAttribute.of("guard", String.class);

	@LocalServerPort
	private int port;

	@Autowired
	private ChannelRegistry registry;

	@Autowired
	private Calls calls;

	@Autowired
	@Qualifier("decideHandler")
	private DecidingHandler decide;

	@Autowired
	@Qualifier("guardedHandler")
	private DecidingHandler guarded;

	@Autowired
	@Qualifier("echoHandler")
	private RecordingHandler echo;

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

	@ParameterizedTest(name = "user={0}")
	@CsvSource({ "none, 401", "banned, 403", "busy, 429", "down, 503", "boom, 500" })
	void refusalIsAnsweredWithItsStatusAndItsReasonIsLoggedButNotSent(String user, int status, CapturedOutput output)
			throws IOException {
		String nonce = UUID.randomUUID().toString();
		String query = "nonce=" + nonce + (user.equals("none") ? "" : "&user=" + user);
		RawResponse response = RawResponse.handshake(this.port, "/ws/decide?" + query);
		assertThat(response.status()).isEqualTo(status);
		assertThat(response.header("Upgrade")).isNull();
		assertThat(response.text()).doesNotContain(nonce).doesNotContain("reason-");
		await().atMost(WAIT)
			.untilAsserted(() -> assertThat(output.getAll()).contains("Refused handshake to /ws/decide from ")
				.contains("with " + status + ":")
				.contains("reason-" + status + "-" + nonce));
	}

	@Test
	void refusalReasonQuotingTheClientIsLoggedOnOneLine(CapturedOutput output) throws IOException {
		String nonce = UUID.randomUUID().toString();
		// The reason quotes the nonce, which the client chose: a forged log line
		String forged = nonce + "%0D%0A2026-01-01%20INFO%20forged";
		assertThat(RawResponse.handshake(this.port, "/ws/decide?user=banned&nonce=" + forged).status()).isEqualTo(403);
		await().atMost(WAIT)
			.untilAsserted(
					() -> assertThat(output.getAll()).contains("reason-403-" + nonce + "??2026-01-01 INFO forged"));
		assertThat(output.getAll()).doesNotContain(nonce + "\r\n");
	}

	@Test
	void tooManyRequestsSaysWhenToRetry() throws IOException {
		RawResponse response = RawResponse.handshake(this.port, "/ws/decide?user=busy&nonce=retry");
		assertThat(response.status()).isEqualTo(429);
		assertThat(response.header("Retry-After")).isEqualTo("30");
	}

	@Test
	void otherRefusalsSayNothingAboutRetrying() throws IOException {
		assertThat(RawResponse.handshake(this.port, "/ws/decide?user=down&nonce=no-retry").header("Retry-After"))
			.isNull();
	}

	@Test
	void refusedHandshakeNeverReachesOnOpen() throws IOException {
		int opensBefore = this.decide.opens();
		for (String user : List.of("banned", "busy", "down", "boom")) {
			assertThat(RawResponse.handshake(this.port, "/ws/decide?user=" + user + "&id=refused-" + user).status())
				.isNotEqualTo(101);
		}
		assertThat(RawResponse.handshake(this.port, "/ws/decide?id=refused-none").status()).isEqualTo(401);
		connect("/ws/decide?user=after-refusals&id=after-refusals");
		Channel channel = this.decide.awaitChannel("after-refusals");
		assertThat(this.decide.opens()).isEqualTo(opensBefore + 1);
		assertThat(this.decide.openedIds()).noneMatch((id) -> id.startsWith("refused-"));
		assertThat(this.calls.of("refused-banned")).containsExactly("global", "handler");
		assertThat(this.registry.attribute(channel, USER)).isEqualTo("after-refusals");
	}

	@Test
	void refusalInOneAppLeavesTheOtherAppsAndLaterHandshakesAlone() throws IOException {
		try (RawClient refused = RawClient.handshake(this.port, "/ws/decide?user=down&id=neighbour-refused");
				RawClient accepted = RawClient.handshake(this.port, "/ws/echo?id=neighbour")) {
			assertThat(refused.status()).isEqualTo(503);
			assertThat(accepted.status()).isEqualTo(101);
		}
		WebSocketTestClient echoClient = connect("/ws/echo?id=neighbour-echo");
		echoClient.send("echo:still accepting");
		await().atMost(WAIT).untilAsserted(() -> assertThat(echoClient.texts()).containsExactly("still accepting"));
		connect("/ws/decide?user=carol&id=neighbour-later");
		assertThat(this.registry.attribute(this.decide.awaitChannel("neighbour-later"), USER)).isEqualTo("carol");
	}

	@Test
	void acceptedHandshakeGivesItsAttributesToTheChannelBeforeOnOpen() {
		connect("/ws/decide?user=alice&id=attributes");
		Channel channel = this.decide.awaitChannel("attributes");
		assertThat(this.decide.attributesAtOpen("attributes"))
			.isEqualTo(Map.of(USER.name(), "alice", CHECKED_BY.name(), "global"));
		assertThat(this.registry.attribute(channel, USER)).isEqualTo("alice");
		assertThat(this.registry.attribute(channel, CHECKED_BY)).isEqualTo("global");
		assertThat(this.registry.attribute(channel, GUARD)).isNull();
	}

	@Test
	void unannotatedAuthorizerDecidesForEveryApp() throws IOException {
		String blocked = "X-Blocked: yes";
		assertThat(RawResponse.handshake(this.port, "/ws/decide?user=erin&id=blocked-decide", blocked).status())
			.isEqualTo(403);
		assertThat(RawResponse.handshake(this.port, "/ws/echo?id=blocked-echo", blocked).status()).isEqualTo(403);
		assertThat(
				RawResponse.handshake(this.port, "/ws/guarded?pass=yes&user=erin&id=blocked-guarded", blocked).status())
			.isEqualTo(403);
		assertThat(this.calls.of("blocked-decide")).containsExactly("global");
		assertThat(this.calls.of("blocked-echo")).containsExactly("global");
		assertThat(this.calls.of("blocked-guarded")).containsExactly("global");
		connect("/ws/echo?id=unblocked-echo");
		this.echo.awaitChannel("unblocked-echo");
		assertThat(this.echo.channel("blocked-echo")).isNull();
		assertThat(this.calls.of("unblocked-echo")).containsExactly("global");
	}

	@Test
	void annotatedAuthorizerDecidesForItsAppOnly() throws IOException {
		assertThat(RawResponse.handshake(this.port, "/ws/guarded?user=frank&id=guard-refused").status()).isEqualTo(401);
		assertThat(this.calls.of("guard-refused")).containsExactly("global", "guarded");
		assertThat(RawResponse.handshake(this.port, "/ws/decide?user=frank&id=guard-elsewhere").status())
			.isEqualTo(101);
		assertThat(this.calls.of("guard-elsewhere")).startsWith("global", "handler").doesNotContain("guarded");
		assertThat(this.guarded.openedIds()).doesNotContain("guard-refused");
	}

	@Test
	void authorizersRunInOrderBeforeTheHandlerAndEveryAcceptanceGivesItsAttributes() {
		connect("/ws/guarded?pass=yes&user=grace&id=guard-passed");
		Channel channel = this.guarded.awaitChannel("guard-passed");
		assertThat(this.calls.of("guard-passed")).containsExactly("global", "guarded", "handler", "open");
		assertThat(this.guarded.attributesAtOpen("guard-passed"))
			.isEqualTo(Map.of(USER.name(), "grace", CHECKED_BY.name(), "global", GUARD.name(), "passed"));
		assertThat(this.registry.attribute(channel, GUARD)).isEqualTo("passed");
	}

	@Test
	void authorizerThatThrowsRefusesWith500AndTheFailureIsLoggedButNotSent(CapturedOutput output) throws IOException {
		String nonce = UUID.randomUUID().toString();
		RawResponse response = RawResponse.handshake(this.port, "/ws/echo?id=explode-" + nonce, "X-Explode: " + nonce);
		assertThat(response.status()).isEqualTo(500);
		assertThat(response.text()).doesNotContain("exploded-");
		await().atMost(WAIT)
			.untilAsserted(
					() -> assertThat(output.getAll()).contains("with 500: deciding about it failed in app 'echo'")
						.contains("exploded-" + nonce));
		assertThat(this.echo.channel("explode-" + nonce)).isNull();
	}

	@Test
	void handshakeTellsTheOriginOfTheClientsPage() throws IOException {
		String origin = "http://localhost:" + this.port;
		assertThat(
				RawResponse.handshake(this.port, "/ws/decide?user=hank&id=with-origin", "Origin: " + origin).status())
			.isEqualTo(101);
		assertThat(RawResponse.handshake(this.port, "/ws/decide?user=hank&id=without-origin").status()).isEqualTo(101);
		assertThat(this.decide.origins()).containsEntry("with-origin", origin)
			.containsEntry("without-origin", "(none)");
	}

	/**
	 * The whole HTTP response to a WebSocket handshake made over a plain socket: status
	 * line, headers and body, as text.
	 */
	record RawResponse(int status, Map<String, String> headers, String text) {

		/**
		 * Source addresses: each handshake from one of its own, so refusals are each
		 * logged.
		 */
		private static final AtomicInteger sources = new AtomicInteger();

		static RawResponse handshake(int port, String pathAndQuery, String... extraHeaders) throws IOException {
			StringBuilder request = new StringBuilder();
			request.append("GET ").append(pathAndQuery).append(" HTTP/1.1\r\n");
			request.append("Host: localhost:").append(port).append("\r\n");
			request.append("Upgrade: websocket\r\nConnection: Upgrade\r\n");
			request.append("Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n");
			request.append("Sec-WebSocket-Version: 13\r\n");
			for (String header : extraHeaders) {
				request.append(header).append("\r\n");
			}
			request.append("\r\n");
			try (Socket socket = new Socket()) {
				socket.setSoTimeout(10_000);
				byte last = (byte) (2 + Math.floorMod(sources.getAndIncrement(), 250));
				socket.bind(new InetSocketAddress(InetAddress.getByAddress(new byte[] { 127, 0, 0, last }), 0));
				socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5_000);
				OutputStream output = socket.getOutputStream();
				output.write(request.toString().getBytes(StandardCharsets.US_ASCII));
				output.flush();
				InputStream input = socket.getInputStream();
				String head = readHead(input);
				String[] lines = head.split("\r\n");
				Map<String, String> headers = new ConcurrentHashMap<>();
				for (int i = 1; i < lines.length; i++) {
					int colon = lines[i].indexOf(':');
					headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
							lines[i].substring(colon + 1).trim());
				}
				int status = Integer.parseInt(lines[0].split(" ")[1]);
				String body = (status != 101) ? readBody(input, headers) : "";
				return new RawResponse(status, headers, head + "\r\n\r\n" + body);
			}
		}

		private static String readHead(InputStream input) throws IOException {
			ByteArrayOutputStream head = new ByteArrayOutputStream();
			while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
				int next = input.read();
				if (next == -1) {
					throw new IOException("Connection closed during the response head after: " + head);
				}
				head.write(next);
			}
			String text = head.toString(StandardCharsets.ISO_8859_1);
			return text.substring(0, text.length() - 4);
		}

		private static String readBody(InputStream input, Map<String, String> headers) throws IOException {
			String length = headers.get("content-length");
			if (length != null) {
				return new String(input.readNBytes(Integer.parseInt(length)), StandardCharsets.UTF_8);
			}
			if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
				ByteArrayOutputStream body = new ByteArrayOutputStream();
				for (int size = chunkSize(input); size > 0; size = chunkSize(input)) {
					body.write(input.readNBytes(size));
					input.readNBytes(2);
				}
				return body.toString(StandardCharsets.UTF_8);
			}
			// Neither: the body ends with the connection
			return new String(input.readAllBytes(), StandardCharsets.UTF_8);
		}

		private static int chunkSize(InputStream input) throws IOException {
			StringBuilder line = new StringBuilder();
			for (int next = input.read(); next != '\n'; next = input.read()) {
				if (next == -1) {
					throw new IOException("Connection closed in a chunked body");
				}
				line.append((char) next);
			}
			return Integer.parseInt(line.toString().trim().split(";")[0], 16);
		}

		@Nullable String header(String name) {
			return this.headers.get(name.toLowerCase(Locale.ROOT));
		}

	}

	/**
	 * Who decided about each handshake, in order, by the client's query parameter
	 * {@code id}.
	 */
	static class Calls {

		private final Map<String, Queue<String>> calls = new ConcurrentHashMap<>();

		void add(Handshake handshake, String call) {
			String id = handshake.queryParameter("id");
			if (id != null) {
				this.calls.computeIfAbsent(id, (key) -> new ConcurrentLinkedQueue<>()).add(call);
			}
		}

		List<String> of(String id) {
			Queue<String> calls = this.calls.get(id);
			return (calls != null) ? List.copyOf(calls) : List.of();
		}

	}

	/**
	 * Refuses a handshake with the header {@code X-Blocked}, fails for one with
	 * {@code X-Explode}, and marks the channels it lets in.
	 */
	@Order(1)
	static class EveryAppAuthorizer implements HandshakeAuthorizer {

		private final Calls calls;

		EveryAppAuthorizer(Calls calls) {
			this.calls = calls;
		}

		@Override
		public HandshakeDecision authorize(Handshake handshake) {
			this.calls.add(handshake, "global");
			String explode = handshake.headers().getFirst("X-Explode");
			if (explode != null) {
				throw new IllegalStateException("exploded-" + explode);
			}
			if (handshake.headers().containsHeader("X-Blocked")) {
				return HandshakeDecision.forbidden("reason-403-blocked");
			}
			return HandshakeDecision.accept().with(CHECKED_BY, "global");
		}

	}

	/**
	 * Lets in handshakes with {@code pass=yes} only.
	 */
	@Order(2)
	static class GuardAuthorizer implements HandshakeAuthorizer {

		private final Calls calls;

		GuardAuthorizer(Calls calls) {
			this.calls = calls;
		}

		@Override
		public HandshakeDecision authorize(Handshake handshake) {
			this.calls.add(handshake, "guarded");
			if (!"yes".equals(handshake.queryParameter("pass"))) {
				return HandshakeDecision.unauthorized("reason-401-no-pass");
			}
			return HandshakeDecision.accept().with(GUARD, "passed");
		}

	}

	/**
	 * Decides by the query parameter {@code user}, with reasons that quote the query
	 * parameter {@code nonce}; records what it sees at {@code onOpen}.
	 */
	static class DecidingHandler implements ChannelHandler {

		private final ChannelRegistry registry;

		private final Calls calls;

		private final AtomicInteger opens = new AtomicInteger();

		private final Map<String, Channel> channels = new ConcurrentHashMap<>();

		private final Map<String, Map<String, String>> attributesAtOpen = new ConcurrentHashMap<>();

		private final Map<String, String> origins = new ConcurrentHashMap<>();

		DecidingHandler(ChannelRegistry registry, Calls calls) {
			this.registry = registry;
			this.calls = calls;
		}

		@Override
		public HandshakeDecision onHandshake(Handshake handshake) {
			this.calls.add(handshake, "handler");
			String id = handshake.queryParameter("id");
			if (id != null) {
				String origin = handshake.origin();
				this.origins.put(id, (origin != null) ? origin : "(none)");
			}
			String user = handshake.queryParameter("user");
			String nonce = handshake.queryParameter("nonce");
			if (user == null) {
				return HandshakeDecision.unauthorized("reason-401-" + nonce);
			}
			return switch (user) {
				case "banned" -> HandshakeDecision.forbidden("reason-403-" + nonce);
				case "busy" -> HandshakeDecision.tooManyRequests("reason-429-" + nonce, Duration.ofSeconds(30));
				case "down" -> HandshakeDecision.unavailable("reason-503-" + nonce);
				case "boom" -> throw new IllegalStateException("reason-500-" + nonce);
				default -> HandshakeDecision.accept().with(USER, user);
			};
		}

		@Override
		public void onOpen(Channel channel, Handshake handshake) {
			this.opens.incrementAndGet();
			this.calls.add(handshake, "open");
			String id = handshake.queryParameter("id");
			if (id != null) {
				Map<String, String> attributes = new ConcurrentHashMap<>();
				for (ChannelAttribute<String> attribute : List.of(USER, CHECKED_BY, GUARD)) {
					String value = this.registry.attribute(channel, attribute);
					if (value != null) {
						attributes.put(attribute.name(), value);
					}
				}
				this.attributesAtOpen.put(id, attributes);
				this.channels.put(id, channel);
			}
		}

		int opens() {
			return this.opens.get();
		}

		List<String> openedIds() {
			return List.copyOf(this.channels.keySet());
		}

		Channel awaitChannel(String id) {
			await().atMost(WAIT).until(() -> this.channels.containsKey(id));
			return this.channels.get(id);
		}

		@Nullable Map<String, String> attributesAtOpen(String id) {
			return this.attributesAtOpen.get(id);
		}

		Map<String, String> origins() {
			return this.origins;
		}

	}

	@Configuration(proxyBeanMethods = false)
	@Import(EchoApp.class)
	static class TestApp {

		@Bean
		Calls calls() {
			return new Calls();
		}

		@Bean
		EveryAppAuthorizer everyAppAuthorizer(Calls calls) {
			return new EveryAppAuthorizer(calls);
		}

		@Bean
		@WebSocketApp("guarded")
		GuardAuthorizer guardAuthorizer(Calls calls) {
			return new GuardAuthorizer(calls);
		}

		@Bean
		@WebSocketApp("decide")
		DecidingHandler decideHandler(ChannelRegistry registry, Calls calls) {
			return new DecidingHandler(registry, calls);
		}

		@Bean
		@WebSocketApp("guarded")
		DecidingHandler guardedHandler(ChannelRegistry registry, Calls calls) {
			return new DecidingHandler(registry, calls);
		}

	}

}
