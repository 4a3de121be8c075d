package dev.websocketstarter.benchmarks.lean;

import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.websocketstarter.codec.FrameEncoder;
import dev.websocketstarter.codec.Opcode;

/**
 * The connections of {@code /lean} and the writer threads that drain their outbound
 * queues. A multicast encodes the frame once: server frames are unmasked, so the same
 * bytes go to every subscriber.
 */
final class LeanRelay implements AutoCloseable {

	private final Set<LeanConnection> connections = ConcurrentHashMap.newKeySet();

	private final ExecutorService writers;

	LeanRelay(int writerThreads) {
		AtomicInteger count = new AtomicInteger();
		this.writers = Executors.newFixedThreadPool(writerThreads, (task) -> {
			Thread thread = new Thread(task, "lean-writer-" + count.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		});
	}

	void add(LeanConnection connection) {
		this.connections.add(connection);
	}

	void remove(LeanConnection connection) {
		this.connections.remove(connection);
	}

	/**
	 * Queue {@code text} to every connection but the sender, as the starter's bench
	 * handler does.
	 */
	void multicast(String text, LeanConnection sender) {
		// The decoder validated the UTF-8, so the round trip gives back the same bytes
		byte[] frame = FrameEncoder.encode(true, 0, Opcode.TEXT.code(), text.getBytes(StandardCharsets.UTF_8), null);
		for (LeanConnection connection : this.connections) {
			if (connection != sender) {
				connection.send(frame);
			}
		}
	}

	void execute(Runnable drain) {
		this.writers.execute(drain);
	}

	@Override
	public void close() throws InterruptedException {
		this.writers.shutdownNow();
		this.writers.awaitTermination(5, TimeUnit.SECONDS);
	}

}
