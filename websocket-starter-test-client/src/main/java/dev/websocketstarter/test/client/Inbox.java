package dev.websocketstarter.test.client;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import org.jspecify.annotations.Nullable;

import org.springframework.web.socket.CloseStatus;

/**
 * What a {@link WebSocketTestClient} received, and the waits on it: the client's listener
 * joins message parts into whole messages, and each wait wakes as one comes, failing with
 * what arrived.
 */
final class Inbox implements WebSocket.Listener {

	private static final int SHOWN = 20;

	private final Object lock = new Object();

	private final List<WebSocketMessage> received = new ArrayList<>();

	private final StringBuilder text = new StringBuilder();

	private final ByteArrayOutputStream binary = new ByteArrayOutputStream();

	private final URI uri;

	private final Duration timeout;

	private int pongs;

	private int nextIndex;

	private @Nullable CloseStatus closeStatus;

	private @Nullable Throwable error;

	Inbox(URI uri, Duration timeout) {
		this.uri = uri;
		this.timeout = timeout;
	}

	List<WebSocketMessage> received() {
		synchronized (this.lock) {
			return List.copyOf(this.received);
		}
	}

	int pongs() {
		synchronized (this.lock) {
			return this.pongs;
		}
	}

	void awaitPongs(int count) {
		await(() -> this.pongs >= count, "a pong");
	}

	WebSocketMessage next() {
		synchronized (this.lock) {
			await(() -> this.received.size() > this.nextIndex, "message " + (this.nextIndex + 1));
			return this.received.get(this.nextIndex++);
		}
	}

	WebSocketMessage await(Predicate<WebSocketMessage> matching, String description) {
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

	CloseStatus awaitClose() {
		await(() -> this.closeStatus != null, "the close");
		synchronized (this.lock) {
			return Objects.requireNonNull(this.closeStatus);
		}
	}

	void awaitEnd(String expected) {
		await(this::isEnded, expected);
	}

	boolean isClosed() {
		synchronized (this.lock) {
			return isEnded();
		}
	}

	private boolean isEnded() {
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

	static String describe(@Nullable Throwable failure) {
		if (failure instanceof WebSocketHandshakeException handshake) {
			return "the server answered the handshake with HTTP " + handshake.getResponse().statusCode();
		}
		return String.valueOf(failure);
	}

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
		synchronized (this.lock) {
			this.pongs++;
			this.lock.notifyAll();
		}
		webSocket.request(1);
		return null;
	}

	@Override
	public @Nullable CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
		synchronized (this.lock) {
			this.closeStatus = new CloseStatus(statusCode, reason);
			this.lock.notifyAll();
		}
		return null;
	}

	@Override
	public void onError(WebSocket webSocket, Throwable error) {
		synchronized (this.lock) {
			this.error = error;
			this.lock.notifyAll();
		}
	}

	private void add(WebSocketMessage message) {
		synchronized (this.lock) {
			this.received.add(message);
			this.lock.notifyAll();
		}
	}

	@FunctionalInterface
	private interface Condition {

		boolean holds();

	}

}
