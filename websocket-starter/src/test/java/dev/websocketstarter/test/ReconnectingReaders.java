package dev.websocketstarter.test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.stream.IntStream;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The recovery load test: a publisher multicasts the numbers 1, 2, 3... at a thousand a
 * second to a subscription with history while a hundred readers each join it three times,
 * the second and third time asking to recover from where they left; then every reader
 * must have every number from its first on, once, in order.
 */
public final class ReconnectingReaders {

	private static final int READERS = 100;

	private static final int SESSIONS = 3;

	private ReconnectingReaders() {
	}

	/**
	 * Run the test.
	 * @param subscription the subscription, which keeps history
	 * @param publish multicasts a text to the subscription
	 * @param join connects one reader for one session, asking to recover from a position
	 * ({@code <epoch>:<offset>:<subscription>}) when there is one, and subscribes it
	 */
	public static void run(String subscription, Consumer<String> publish, Join join) throws InterruptedException {
		AtomicBoolean publishing = new AtomicBoolean(true);
		AtomicLong published = new AtomicLong();
		Thread publisher = new Thread(() -> {
			long start = System.nanoTime();
			while (publishing.get()) {
				long due = (System.nanoTime() - start) / 1_000_000;
				while (published.get() < due) {
					publish.accept(Long.toString(published.incrementAndGet()));
				}
				// Parked, not spinning: on a small machine a spinning publisher takes a
				// core from the
				// readers and the server, and their reconnects outlast the history
				LockSupport.parkNanos(200_000);
			}
		});
		publisher.start();
		Map<Integer, List<Long>> received = new ConcurrentHashMap<>();
		Queue<Throwable> failures = new ConcurrentLinkedQueue<>();
		try {
			List<Thread> readers = IntStream.range(0, READERS)
				.mapToObj((reader) -> new Thread(() -> read(reader, subscription, join, received, failures)))
				.toList();
			readers.forEach(Thread::start);
			for (Thread reader : readers) {
				reader.join(90_000);
			}
		}
		finally {
			publishing.set(false);
			publisher.join();
		}
		assertThat(failures).isEmpty();
		assertThat(received).hasSize(READERS);
		received.forEach((reader, sequence) -> {
			assertThat(sequence).as("reader %d", reader).isNotEmpty();
			long first = sequence.get(0);
			assertThat(sequence).as("reader %d", reader)
				.containsExactlyElementsOf(IntStream.range(0, sequence.size()).mapToObj((i) -> first + i).toList());
		});
		assertThat(published.get()).isGreaterThan(500);
	}

	private static void read(int reader, String subscription, Join join, Map<Integer, List<Long>> received,
			Queue<Throwable> failures) {
		try {
			List<Long> sequence = new ArrayList<>();
			received.put(reader, sequence);
			String position = null;
			for (int session = 0; session < SESSIONS; session++) {
				Session joined = join.join(reader, session, position);
				List<JsonNode> frames = joined.awaitFrames(1 + ThreadLocalRandom.current().nextInt(50, 200));
				joined.close();
				JsonNode subscribed = frames.get(0);
				assertThat(subscribed.get("recovery").stringValue())
					.as("reader %d, session %d, from %s, greeted with %s", reader, session, position, subscribed)
					.isEqualTo((position != null) ? "recovered" : "none");
				long last = subscribed.get("offset").longValue();
				for (JsonNode frame : frames.subList(1, frames.size())) {
					sequence.add(Long.parseLong(frame.get("data").stringValue()));
					last = frame.get("offset").longValue();
				}
				position = subscribed.get("epoch").stringValue() + ":" + last + ":" + subscription;
			}
		}
		catch (Throwable ex) {
			failures.add(ex);
		}
	}

	/**
	 * Joins a reader to the subscription for one session.
	 */
	@FunctionalInterface
	public interface Join {

		Session join(int reader, int session, @Nullable String position);

	}

	/**
	 * A reader's connection for one session.
	 */
	public interface Session extends AutoCloseable {

		/**
		 * Wait for a number of frames and return them, parsed.
		 */
		List<JsonNode> awaitFrames(int count);

		@Override
		void close();

	}

}
