package dev.websocketstarter.test.client;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

import org.jspecify.annotations.Nullable;

import org.springframework.web.socket.CloseStatus;

/**
 * A real WebSocket client for tests, on the JDK's {@link WebSocket}: it joins message
 * parts, keeps every whole message it receives, and waits for what a test expects,
 * failing with what did arrive. <pre class="code">
 * try (WebSocketTestClient client = WebSocketTestClient.to(uri).query("name", "alice").open()) {
 *     client.send("{\"text\":\"hi\"}");
 *     client.awaitJson("/text", "hi");
 * }
 * </pre> Waits never sleep: they wake as messages come. Each takes the client's timeout,
 * 10 seconds unless the builder sets another.
 */
public final class WebSocketTestClient implements AutoCloseable {

	private static final int SHOWN = 20;

	private final URI uri;

	private final Duration timeout;

	private final WebSocket webSocket;

	private final Object lock = new Object();

	private final List<WebSocketMessage> received = new ArrayList<>();

	private final List<ByteBuffer> pongs = new ArrayList<>();

	private int nextIndex;

	private @Nullable CloseStatus closeStatus;

	private @Nullable Throwable error;

	private WebSocketTestClient(URI uri, Duration timeout, WebSocket.Builder builder) {
		this.uri = uri;
		this.timeout = timeout;
		try {
			this.webSocket = builder.buildAsync(uri, new Listener())
				.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
				.join();
		}
		catch (CompletionException ex) {
			throw new AssertionError("Could not open a WebSocket to " + uri + ": " + describe(ex.getCause()),
					ex.getCause());
		}
	}

	/**
	 * Start a client to a URI.
	 * @param uri the URI, {@code ws://} or {@code wss://}
	 * @return a builder
	 */
	public static Builder to(URI uri) {
		return new Builder(uri);
	}

	/**
	 * Start a client to a path on a local port, such as a test's random port.
	 * @param port the port
	 * @param pathAndQuery the path, with a query if any, such as {@code /chat?name=alice}
	 * @return a builder
	 */
	public static Builder to(int port, String pathAndQuery) {
		return new Builder(URI.create("ws://localhost:" + port + pathAndQuery));
	}

	/**
	 * The URI this client opened.
	 * @return the URI
	 */
	public URI uri() {
		return this.uri;
	}

	/**
	 * Send a text message.
	 * @param text the text
	 * @return this client
	 */
	public WebSocketTestClient send(String text) {
		join(this.webSocket.sendText(text, true), "send text " + text);
		return this;
	}

	/**
	 * Send a binary message.
	 * @param data the payload
	 * @return this client
	 */
	public WebSocketTestClient send(byte[] data) {
		join(this.webSocket.sendBinary(ByteBuffer.wrap(data.clone()), true), "send " + data.length + " bytes");
		return this;
	}

	/**
	 * Send a ping and wait for its pong.
	 * @param data the ping's payload, at most 125 bytes
	 * @return this client
	 */
	public WebSocketTestClient ping(byte[] data) {
		int before;
		synchronized (this.lock) {
			before = this.pongs.size();
		}
		join(this.webSocket.sendPing(ByteBuffer.wrap(data.clone())), "send a ping");
		await(() -> this.pongs.size() > before, "a pong");
		return this;
	}

	/**
	 * Every whole message received so far, in order.
	 * @return a snapshot
	 */
	public List<WebSocketMessage> received() {
		synchronized (this.lock) {
			return List.copyOf(this.received);
		}
	}

	/**
	 * The texts of the text messages received so far, in order.
	 * @return a snapshot
	 */
	public List<String> texts() {
		return received().stream().filter(WebSocketMessage::isText).map(WebSocketMessage::asText).toList();
	}

	/**
	 * Wait for the next message: the first not yet returned by this method.
	 * @return the message
	 * @throws AssertionError if none comes within the timeout
	 */
	public WebSocketMessage next() {
		synchronized (this.lock) {
			await(() -> this.received.size() > this.nextIndex, "message " + (this.nextIndex + 1));
			return this.received.get(this.nextIndex++);
		}
	}

	/**
	 * Wait for the first message, received so far or to come, that matches.
	 * @param matching what the message must be
	 * @param description what is expected, for the failure message
	 * @return the message
	 * @throws AssertionError if none matches within the timeout
	 */
	public WebSocketMessage awaitMessage(Predicate<WebSocketMessage> matching, String description) {
		WebSocketMessage[] found = new WebSocketMessage[1];
		await(() -> {
			for (WebSocketMessage message : this.received) {
				if (matching.test(message)) {
					found[0] = message;
					return true;
				}
			}
			return false;
		}, description);
		return Objects.requireNonNull(found[0]);
	}

	/**
	 * Wait for a text message with exactly this text.
	 * @param text the text
	 * @return the message
	 */
	public WebSocketMessage awaitText(String text) {
		return awaitMessage((message) -> text.equals(message.text()), "text \"" + text + "\"");
	}

	/**
	 * Wait for a JSON text message with a value at a JSON Pointer, compared as text.
	 * @param pointer the JSON Pointer, such as {@code /data/text}
	 * @param value the value expected there, such as {@code "hi"} or {@code 3}
	 * @return the message
	 */
	public WebSocketMessage awaitJson(String pointer, Object value) {
		String expected = String.valueOf(value);
		return awaitMessage((message) -> message.isText() && isJsonWith(message, pointer, expected),
				"JSON with " + pointer + " = " + expected);
	}

	private static boolean isJsonWith(WebSocketMessage message, String pointer, String expected) {
		try {
			var node = message.asJson().at(pointer);
			return !node.isMissingNode() && expected.equals(node.isString() ? node.stringValue() : node.toString());
		}
		catch (AssertionError ex) {
			return false;
		}
	}

	/**
	 * Wait for the server to close the connection.
	 * @return the close code and reason the server sent
	 * @throws AssertionError if it stays open for the timeout
	 */
	public CloseStatus awaitClose() {
		await(() -> this.closeStatus != null, "the close");
		synchronized (this.lock) {
			return Objects.requireNonNull(this.closeStatus);
		}
	}

	/**
	 * Whether the server closed the connection, or it failed.
	 * @return {@code true} once closed
	 */
	public boolean isClosed() {
		synchronized (this.lock) {
			return this.closeStatus != null || this.error != null;
		}
	}

	/**
	 * Close with 1000, if still open, and wait for the server's answer.
	 */
	@Override
	public void close() {
		close(CloseStatus.NORMAL);
	}

	/**
	 * Close with a code and reason, if still open, and wait for the server's answer.
	 * @param status the code and reason
	 */
	public void close(CloseStatus status) {
		if (!this.webSocket.isOutputClosed()) {
			String reason = (status.getReason() != null) ? status.getReason() : "";
			this.webSocket.sendClose(status.getCode(), reason).exceptionally((ex) -> null);
			try {
				await(this::isClosedLocked, "the server's answer to the close");
			}
			catch (AssertionError ex) {
				this.webSocket.abort();
			}
		}
	}

	private boolean isClosedLocked() {
		return this.closeStatus != null || this.error != null;
	}

	/**
	 * Wait under the lock until a condition holds, failing with what arrived.
	 */
	private void await(Condition condition, String expected) {
		long deadline = System.nanoTime() + this.timeout.toNanos();
		synchronized (this.lock) {
			try {
				while (!condition.holds()) {
					long left = deadline - System.nanoTime();
					if (left <= 0) {
						throw new AssertionError(failure(expected));
					}
					TimeUnit.NANOSECONDS.timedWait(this.lock, left);
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new AssertionError("Interrupted while waiting for " + expected, ex);
			}
		}
	}

	private String failure(String expected) {
		StringBuilder failure = new StringBuilder("Expected within ").append(this.timeout.toMillis())
			.append(" ms from ")
			.append(this.uri)
			.append(": ")
			.append(expected)
			.append("; received ")
			.append(this.received.size())
			.append((this.received.size() == 1) ? " message" : " messages");
		int from = Math.max(0, this.received.size() - SHOWN);
		if (from > 0) {
			failure.append(", the last ").append(SHOWN);
		}
		failure.append(this.received.isEmpty() ? "" : ":");
		for (int i = from; i < this.received.size(); i++) {
			failure.append("\n  ").append(i + 1).append(". ").append(this.received.get(i));
		}
		if (this.closeStatus != null) {
			failure.append("\nthen the server closed with ").append(this.closeStatus.getCode());
			if (this.closeStatus.getReason() != null && !this.closeStatus.getReason().isEmpty()) {
				failure.append(" \"").append(this.closeStatus.getReason()).append('"');
			}
		}
		if (this.error != null) {
			failure.append("\nthen the connection failed: ").append(describe(this.error));
		}
		return failure.toString();
	}

	private void join(CompletionStage<?> stage, String what) {
		try {
			stage.toCompletableFuture().get(this.timeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (TimeoutException ex) {
			throw new AssertionError("Could not " + what + " within " + this.timeout.toMillis() + " ms", ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new AssertionError("Interrupted while trying to " + what, ex);
		}
		catch (java.util.concurrent.ExecutionException ex) {
			throw new AssertionError("Could not " + what + ": " + describe(ex.getCause()), ex.getCause());
		}
	}

	private static String describe(@Nullable Throwable failure) {
		if (failure instanceof WebSocketHandshakeException handshake) {
			return "the server answered the handshake with HTTP " + handshake.getResponse().statusCode();
		}
		return String.valueOf(failure);
	}

	@Override
	public String toString() {
		return "WebSocketTestClient[" + this.uri + "]";
	}

	@FunctionalInterface
	private interface Condition {

		boolean holds();

	}

	private final class Listener implements WebSocket.Listener {

		private final StringBuilder text = new StringBuilder();

		private final ByteArrayOutputStream binary = new ByteArrayOutputStream();

		@Override
		public @Nullable CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
			this.text.append(data);
			if (last) {
				add(new WebSocketMessage(this.text.toString(), null));
				this.text.setLength(0);
			}
			webSocket.request(1);
			return null;
		}

		@Override
		public @Nullable CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
			byte[] bytes = new byte[data.remaining()];
			data.get(bytes);
			this.binary.writeBytes(bytes);
			if (last) {
				add(new WebSocketMessage(null, this.binary.toByteArray()));
				this.binary.reset();
			}
			webSocket.request(1);
			return null;
		}

		@Override
		public @Nullable CompletionStage<?> onPong(WebSocket webSocket, ByteBuffer message) {
			synchronized (WebSocketTestClient.this.lock) {
				WebSocketTestClient.this.pongs.add(message);
				WebSocketTestClient.this.lock.notifyAll();
			}
			webSocket.request(1);
			return null;
		}

		@Override
		public @Nullable CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
			synchronized (WebSocketTestClient.this.lock) {
				WebSocketTestClient.this.closeStatus = new CloseStatus(statusCode, reason);
				WebSocketTestClient.this.lock.notifyAll();
			}
			return null;
		}

		@Override
		public void onError(WebSocket webSocket, Throwable error) {
			synchronized (WebSocketTestClient.this.lock) {
				WebSocketTestClient.this.error = error;
				WebSocketTestClient.this.lock.notifyAll();
			}
		}

		private void add(WebSocketMessage message) {
			synchronized (WebSocketTestClient.this.lock) {
				WebSocketTestClient.this.received.add(message);
				WebSocketTestClient.this.lock.notifyAll();
			}
		}

	}

	/**
	 * Options of a client to open.
	 */
	public static final class Builder {

		private final URI uri;

		private final Map<String, List<String>> query = new LinkedHashMap<>();

		private final Map<String, String> headers = new LinkedHashMap<>();

		private final List<String> cookies = new ArrayList<>();

		private Duration timeout = Duration.ofSeconds(10);

		private @Nullable HttpClient httpClient;

		private Builder(URI uri) {
			this.uri = uri;
		}

		/**
		 * Add a query parameter, URL-encoded.
		 * @param name the name
		 * @param value the value
		 * @return this builder
		 */
		public Builder query(String name, String value) {
			this.query.computeIfAbsent(name, (key) -> new ArrayList<>()).add(value);
			return this;
		}

		/**
		 * Add a handshake header.
		 * @param name the name
		 * @param value the value
		 * @return this builder
		 */
		public Builder header(String name, String value) {
			this.headers.put(name, value);
			return this;
		}

		/**
		 * Send an {@code Origin} header, as a browser does.
		 * @param origin the origin, such as {@code https://example.com}
		 * @return this builder
		 */
		public Builder origin(String origin) {
			return header("Origin", origin);
		}

		/**
		 * Authenticate with HTTP Basic.
		 * @param user the user
		 * @param password the password
		 * @return this builder
		 */
		public Builder basicAuth(String user, String password) {
			return header("Authorization", "Basic "
					+ Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
		}

		/**
		 * Send a cookie, such as a login session's {@code JSESSIONID}.
		 * @param name the name
		 * @param value the value
		 * @return this builder
		 */
		public Builder cookie(String name, String value) {
			this.cookies.add(name + "=" + value);
			return this;
		}

		/**
		 * How long each wait, send and the handshake may take.
		 * @param timeout the timeout
		 * @return this builder
		 */
		public Builder timeout(Duration timeout) {
			this.timeout = timeout;
			return this;
		}

		/**
		 * The HTTP client to open with, such as one that keeps a login's cookies; a new
		 * one by default.
		 * @param httpClient the client
		 * @return this builder
		 */
		public Builder httpClient(HttpClient httpClient) {
			this.httpClient = httpClient;
			return this;
		}

		/**
		 * Open the connection.
		 * @return the client, open
		 * @throws AssertionError if the handshake fails, naming the HTTP status
		 */
		public WebSocketTestClient open() {
			return new WebSocketTestClient(target(), this.timeout, webSocketBuilder());
		}

		/**
		 * Try the handshake, expecting the server to refuse it.
		 * @return the HTTP status the server answered with
		 * @throws AssertionError if the server accepted it
		 */
		public int openRefused() {
			URI target = target();
			try {
				WebSocket accepted = webSocketBuilder().buildAsync(target, new WebSocket.Listener() {
				}).orTimeout(this.timeout.toMillis(), TimeUnit.MILLISECONDS).join();
				accepted.abort();
			}
			catch (CompletionException ex) {
				if (ex.getCause() instanceof WebSocketHandshakeException handshake) {
					return handshake.getResponse().statusCode();
				}
				throw new AssertionError("Expected the server to refuse the handshake to " + target
						+ " with an HTTP status, but the connection failed: " + ex.getCause(), ex.getCause());
			}
			throw new AssertionError(
					"Expected the server to refuse the handshake to " + target + ", but it accepted it");
		}

		/**
		 * Percent-encode, with spaces as {@code %20}: servers decode a {@code +} in a
		 * query as a plus sign.
		 */
		private static String encode(String text) {
			return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
		}

		private WebSocket.Builder webSocketBuilder() {
			HttpClient client = (this.httpClient != null) ? this.httpClient
					: HttpClient.newBuilder().connectTimeout(this.timeout).build();
			WebSocket.Builder builder = client.newWebSocketBuilder().connectTimeout(this.timeout);
			this.headers.forEach(builder::header);
			if (!this.cookies.isEmpty()) {
				builder.header("Cookie", String.join("; ", this.cookies));
			}
			return builder;
		}

		private URI target() {
			if (this.query.isEmpty()) {
				return this.uri;
			}
			StringBuilder query = new StringBuilder();
			this.query.forEach((name, values) -> {
				for (String value : values) {
					query.append(query.isEmpty() ? "" : "&").append(encode(name)).append('=').append(encode(value));
				}
			});
			String base = this.uri.toString();
			return URI.create(base + ((this.uri.getRawQuery() != null) ? "&" : "?") + query);
		}

	}

}
