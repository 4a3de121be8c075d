package dev.websocketstarter.test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A real WebSocket client, the JDK's {@link WebSocket}, that collects what it receives.
 */
public final class JdkClient implements WebSocket.Listener, AutoCloseable {

	private final List<String> texts = new CopyOnWriteArrayList<>();

	private final List<byte[]> binaries = new CopyOnWriteArrayList<>();

	private final CompletableFuture<Integer> closeCode = new CompletableFuture<>();

	private final StringBuilder partialText = new StringBuilder();

	private volatile String closeReason = "";

	private final WebSocket webSocket;

	private JdkClient(HttpClient httpClient, URI uri) {
		this.webSocket = httpClient.newWebSocketBuilder()
			.connectTimeout(Duration.ofSeconds(5))
			.buildAsync(uri, this)
			.orTimeout(10, TimeUnit.SECONDS)
			.join();
	}

	public static JdkClient connect(int port, String pathAndQuery) {
		return connect(HttpClient.newHttpClient(), URI.create("ws://localhost:" + port + pathAndQuery));
	}

	public static JdkClient connect(HttpClient httpClient, URI uri) {
		return new JdkClient(httpClient, uri);
	}

	public void send(String text) {
		this.webSocket.sendText(text, true).orTimeout(10, TimeUnit.SECONDS).join();
	}

	public void send(byte[] data) {
		this.webSocket.sendBinary(ByteBuffer.wrap(data), true).orTimeout(10, TimeUnit.SECONDS).join();
	}

	public List<String> texts() {
		return this.texts;
	}

	public List<byte[]> binaries() {
		return this.binaries;
	}

	/**
	 * The close code the server sent, once it closed the connection.
	 */
	public CompletableFuture<Integer> closeCode() {
		return this.closeCode;
	}

	public String closeReason() {
		return this.closeReason;
	}

	@Override
	public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
		this.partialText.append(data);
		if (last) {
			this.texts.add(this.partialText.toString());
			this.partialText.setLength(0);
		}
		webSocket.request(1);
		return null;
	}

	@Override
	public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
		byte[] bytes = new byte[data.remaining()];
		data.get(bytes);
		this.binaries.add(bytes);
		webSocket.request(1);
		return null;
	}

	@Override
	public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
		this.closeReason = reason;
		this.closeCode.complete(statusCode);
		return null;
	}

	@Override
	public void onError(WebSocket webSocket, Throwable error) {
		this.closeCode.completeExceptionally(error);
	}

	@Override
	public void close() {
		if (!this.webSocket.isOutputClosed()) {
			this.webSocket.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
		}
	}

}
