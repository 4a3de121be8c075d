package dev.websocketstarter.test.client;

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

	private final URI uri;

	private final Duration timeout;

	private final WebSocket webSocket;

	private final Inbox inbox;

	private WebSocketTestClient(URI uri, Duration timeout, WebSocket.Builder builder) {
		this.uri = uri;
		this.timeout = timeout;
		try {
			this.inbox = new Inbox(uri, timeout);
			this.webSocket = builder.buildAsync(uri, this.inbox)
				.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
				.join();
		}
		catch (CompletionException ex) {
			throw new AssertionError("Could not open a WebSocket to " + uri + ": " + Inbox.describe(ex.getCause()),
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
		int before = this.inbox.pongs();
		join(this.webSocket.sendPing(ByteBuffer.wrap(data.clone())), "send a ping");
		this.inbox.awaitPongs(before + 1);
		return this;
	}

	/**
	 * Every whole message received so far, in order.
	 * @return a snapshot
	 */
	public List<WebSocketMessage> received() {
		return this.inbox.received();
	}

	/**
	 * The texts of the text messages received so far, in order.
	 * @return a snapshot
	 */
	public List<String> texts() {
		return received().stream().filter(WebSocketMessage::isText).map(WebSocketMessage::asText).toList();
	}

	/**
	 * The payloads of the binary messages received so far, in order.
	 * @return a snapshot
	 */
	public List<byte[]> binaries() {
		return received().stream().filter((message) -> !message.isText()).map(WebSocketMessage::asBytes).toList();
	}

	/**
	 * Wait for the next message: the first not yet returned by this method.
	 * @return the message
	 * @throws AssertionError if none comes within the timeout
	 */
	public WebSocketMessage next() {
		return this.inbox.next();
	}

	/**
	 * Wait for the first message, received so far or to come, that matches.
	 * @param matching what the message must be
	 * @param description what is expected, for the failure message
	 * @return the message
	 * @throws AssertionError if none matches within the timeout
	 */
	public WebSocketMessage awaitMessage(Predicate<WebSocketMessage> matching, String description) {
		return this.inbox.await(matching, description);
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
		return this.inbox.awaitClose();
	}

	/**
	 * Whether the server closed the connection, or it failed.
	 * @return {@code true} once closed
	 */
	public boolean isClosed() {
		return this.inbox.isClosed();
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
				this.inbox.awaitEnd("the server's answer to the close");
			}
			catch (AssertionError ex) {
				this.webSocket.abort();
			}
		}
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
			throw new AssertionError("Could not " + what + ": " + Inbox.describe(ex.getCause()), ex.getCause());
		}
	}

	@Override
	public String toString() {
		return "WebSocketTestClient[" + this.uri + "]";
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
