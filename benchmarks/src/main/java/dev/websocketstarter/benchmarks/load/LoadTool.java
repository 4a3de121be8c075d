package dev.websocketstarter.benchmarks.load;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * Opens connections, publishes and counts what the subscribers receive. Every loop is
 * bounded in time.
 */
public final class LoadTool implements AutoCloseable {

	private final IoLoop[] loops;

	private final AtomicInteger closedByServer = new AtomicInteger();

	private final ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor((task) -> {
		Thread thread = new Thread(task, "load-watchdog");
		thread.setDaemon(true);
		return thread;
	});

	public LoadTool(int ioThreads) {
		this.loops = new IoLoop[ioThreads];
		for (int i = 0; i < ioThreads; i++) {
			this.loops[i] = new IoLoop("load-io-" + i);
		}
	}

	/**
	 * Open up to {@code count} connections with at most {@code concurrency} handshakes in
	 * progress, for at most {@code limit}.
	 */
	public Opened open(InetSocketAddress address, Target target, int count, int concurrency, Duration limit) {
		return open(address, target, false, count, concurrency, limit);
	}

	/**
	 * Open connections as {@link #open(InetSocketAddress, Target, int, int, Duration)}
	 * does.
	 * @param offerCompression whether the handshakes offer permessage-deflate, as
	 * browsers' do; the load tool reads no compressed frames, so such connections must
	 * stay idle
	 */
	public Opened open(InetSocketAddress address, Target target, boolean offerCompression, int count, int concurrency,
			Duration limit) {
		Semaphore permits = new Semaphore(concurrency);
		List<WsConnection> ready = new ArrayList<>(count);
		AtomicInteger failed = new AtomicInteger();
		AtomicReference<String> firstFailure = new AtomicReference<>("");
		long start = System.nanoTime();
		long deadline = start + limit.toNanos();
		long[] lastReady = { start };
		WsConnection.Events events = new WsConnection.Events() {

			@Override
			public void ready(WsConnection connection) {
				synchronized (ready) {
					ready.add(connection);
					lastReady[0] = System.nanoTime();
				}
				permits.release();
			}

			@Override
			public void failed(WsConnection connection, String reason) {
				failed.incrementAndGet();
				firstFailure.compareAndSet("", reason);
				permits.release();
			}

			@Override
			public void closedByServer(WsConnection connection) {
				LoadTool.this.closedByServer.incrementAndGet();
			}

		};
		int consecutiveErrors = 0;
		for (int i = 0; i < count && consecutiveErrors < 100; i++) {
			try {
				if (!permits.tryAcquire(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
					break;
				}
				WsConnection.open(address, target, offerCompression, this.loops[i % this.loops.length], events);
				consecutiveErrors = 0;
			}
			catch (IOException ex) {
				failed.incrementAndGet();
				firstFailure.compareAndSet("", ex.toString());
				permits.release();
				consecutiveErrors++;
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				break;
			}
		}
		try {
			// Wait for the handshakes still in progress
			permits.tryAcquire(concurrency, Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		synchronized (ready) {
			return new Opened(new ArrayList<>(ready), failed.get(), (lastReady[0] - start) / 1e9, firstFailure.get());
		}
	}

	public int closedByServer() {
		return this.closedByServer.get();
	}

	/**
	 * Publish with at most {@code window} messages (times the subscribers) undelivered.
	 */
	public Fanout closedLoop(InetSocketAddress address, Target target, List<WsConnection> subscribers, int window,
			Duration warmup, Duration measure) throws IOException {
		return closedLoopByGroup(address, target, List.of(subscribers), window, warmup, measure).get(0);
	}

	/**
	 * Publish with at most {@code window} messages (times all the subscribers)
	 * undelivered, and count the deliveries of each group of subscribers apart (for
	 * example the subscribers of each node of a cluster, the publisher being on one of
	 * them).
	 * @return one result per group, in order; {@code closedByServer} is the whole run's
	 */
	public List<Fanout> closedLoopByGroup(InetSocketAddress address, Target target, List<List<WsConnection>> groups,
			int window, Duration warmup, Duration measure) throws IOException {
		LongAdder[] delivered = new LongAdder[groups.size()];
		for (int g = 0; g < groups.size(); g++) {
			LongAdder counter = new LongAdder();
			delivered[g] = counter;
			DeliverySink sink = (sequence, sent, received) -> counter.increment();
			groups.get(g).forEach((subscriber) -> subscriber.sink(sink));
		}
		java.util.function.LongSupplier total = () -> {
			long sum = 0;
			for (LongAdder counter : delivered) {
				sum += counter.sum();
			}
			return sum;
		};
		int closedBefore = this.closedByServer.get();
		long fanout = groups.stream().mapToLong(List::size).sum();
		try (Publisher publisher = new Publisher(address, target)) {
			settle();
			long start = System.nanoTime();
			long measureStart = start + warmup.toNanos();
			long end = measureStart + measure.toNanos();
			ScheduledFuture<?> guard = this.watchdog.schedule(publisher::close, warmup.plus(measure).toSeconds() + 30,
					TimeUnit.SECONDS);
			long[] deliveredAtStart = null;
			long now;
			while ((now = System.nanoTime()) < end) {
				if (deliveredAtStart == null && now >= measureStart) {
					deliveredAtStart = sums(delivered);
				}
				if (publisher.published() * fanout - total.getAsLong() >= window * fanout) {
					LockSupport.parkNanos(20_000);
					continue;
				}
				publisher.publish();
			}
			long[] deliveredAtEnd = sums(delivered);
			double seconds = (System.nanoTime() - measureStart) / 1e9;
			guard.cancel(false);
			long published = publisher.published();
			drain(total, published * fanout);
			int closed = this.closedByServer.get() - closedBefore;
			List<Fanout> results = new ArrayList<>(groups.size());
			for (int g = 0; g < groups.size(); g++) {
				long atStart = (deliveredAtStart != null) ? deliveredAtStart[g] : 0;
				results.add(new Fanout((deliveredAtEnd[g] - atStart) / seconds, published,
						published * groups.get(g).size() - delivered[g].sum(), closed));
			}
			return results;
		}
		finally {
			groups.forEach((group) -> group.forEach((subscriber) -> subscriber.sink(DeliverySink.NONE)));
		}
	}

	private static long[] sums(LongAdder[] counters) {
		long[] sums = new long[counters.length];
		for (int i = 0; i < counters.length; i++) {
			sums[i] = counters[i].sum();
		}
		return sums;
	}

	/**
	 * Publish {@code rate} messages per second; measure from each send to each receipt.
	 */
	public Latency fixedRate(InetSocketAddress address, Target target, List<WsConnection> subscribers, int rate,
			Duration warmup, Duration measure) throws IOException {
		return fixedRateByGroup(address, target, List.of(subscribers), rate, warmup, measure).get(0);
	}

	/**
	 * Publish {@code rate} messages per second; measure from each send to each receipt,
	 * for each group of subscribers apart.
	 * @return one result per group, in order; {@code closedByServer} is the whole run's
	 */
	public List<Latency> fixedRateByGroup(InetSocketAddress address, Target target, List<List<WsConnection>> groups,
			int rate, Duration warmup, Duration measure) throws IOException {
		long measuredMessages = rate * measure.toSeconds();
		LatencySink[] sinks = new LatencySink[groups.size()];
		for (int g = 0; g < groups.size(); g++) {
			LatencySink sink = new LatencySink((int) (measuredMessages * groups.get(g).size()));
			sinks[g] = sink;
			groups.get(g).forEach((subscriber) -> subscriber.sink(sink));
		}
		int closedBefore = this.closedByServer.get();
		try (Publisher publisher = new Publisher(address, target)) {
			settle();
			long period = 1_000_000_000L / rate;
			long start = System.nanoTime();
			long measureStart = start + warmup.toNanos();
			ScheduledFuture<?> guard = this.watchdog.schedule(publisher::close, warmup.plus(measure).toSeconds() + 30,
					TimeUnit.SECONDS);
			long next = start;
			long firstMeasured = -1;
			long lastMeasured = -1;
			while (lastMeasured < 0 || lastMeasured - firstMeasured + 1 < measuredMessages) {
				long wait = next - System.nanoTime();
				if (wait > 0) {
					LockSupport.parkNanos(wait);
					continue;
				}
				next += period;
				if (firstMeasured < 0 && System.nanoTime() >= measureStart) {
					firstMeasured = publisher.published();
					for (LatencySink sink : sinks) {
						sink.from = firstMeasured;
					}
				}
				long sequence = publisher.publish();
				if (firstMeasured >= 0) {
					lastMeasured = sequence;
				}
			}
			guard.cancel(false);
			long fanout = groups.stream().mapToLong(List::size).sum();
			drain(() -> {
				long sum = 0;
				for (LatencySink sink : sinks) {
					sum += sink.count();
				}
				return sum;
			}, measuredMessages * fanout);
			int closed = this.closedByServer.get() - closedBefore;
			double seconds = (double) measuredMessages / rate;
			List<Latency> results = new ArrayList<>(groups.size());
			for (int g = 0; g < groups.size(); g++) {
				LatencySink sink = sinks[g];
				sink.to = lastMeasured + 1;
				long[] latencies = sink.latencies();
				Arrays.sort(latencies);
				long expected = measuredMessages * groups.get(g).size();
				results.add(new Latency(latencies.length / seconds, percentile(latencies, 0.50),
						percentile(latencies, 0.99), percentile(latencies, 0.999),
						(latencies.length > 0) ? latencies[latencies.length - 1] / 1e3 : 0, expected - latencies.length,
						closed));
			}
			return results;
		}
		finally {
			groups.forEach((group) -> group.forEach((subscriber) -> subscriber.sink(DeliverySink.NONE)));
		}
	}

	private static double percentile(long[] sorted, double quantile) {
		if (sorted.length == 0) {
			return Double.NaN;
		}
		int index = (int) Math.min(sorted.length - 1, Math.ceil(quantile * sorted.length) - 1);
		return sorted[Math.max(0, index)] / 1e3;
	}

	/**
	 * Let the server finish setting up the publisher (a starter channel subscribes after
	 * its handshake answer went out).
	 */
	private static void settle() {
		LockSupport.parkNanos(Duration.ofMillis(500).toNanos());
	}

	/**
	 * Wait until everything expected arrived, or nothing arrived for 2 s, at most 10 s.
	 */
	private static void drain(java.util.function.LongSupplier delivered, long expected) {
		long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
		long last = delivered.getAsLong();
		long lastProgress = System.nanoTime();
		while (last < expected && System.nanoTime() < deadline
				&& System.nanoTime() - lastProgress < Duration.ofSeconds(2).toNanos()) {
			LockSupport.parkNanos(10_000_000);
			long now = delivered.getAsLong();
			if (now != last) {
				last = now;
				lastProgress = System.nanoTime();
			}
		}
	}

	public void closeAll(List<WsConnection> connections) {
		connections.forEach(WsConnection::abort);
	}

	@Override
	public void close() {
		for (IoLoop loop : this.loops) {
			loop.stop();
		}
		this.watchdog.shutdownNow();
	}

	/**
	 * Connections opened, and how fast.
	 *
	 * @param connections the connections that became ready
	 * @param failed handshakes that failed
	 * @param seconds from the first connect to the last ready connection
	 * @param firstFailure why the first failure failed, or empty
	 */
	public record Opened(List<WsConnection> connections, int failed, double seconds, String firstFailure) {

		public int ready() {
			return this.connections.size();
		}

		public double perSecond() {
			return (this.seconds > 0) ? ready() / this.seconds : 0;
		}

	}

	/**
	 * Closed-loop fan-out result.
	 *
	 * @param deliveriesPerSecond deliveries per second in the measured interval
	 * @param published messages published, warm-up included
	 * @param lost deliveries missing after the drain, warm-up included
	 * @param closedByServer subscribers the server closed during the run
	 */
	public record Fanout(double deliveriesPerSecond, long published, long lost, int closedByServer) {
	}

	/**
	 * Fixed-rate latency result, in microseconds.
	 *
	 * @param deliveriesPerSecond deliveries per second in the measured interval
	 * @param p50 median latency
	 * @param p99 99th percentile
	 * @param p999 99.9th percentile
	 * @param max the largest latency seen
	 * @param lost deliveries of measured messages missing after the drain
	 * @param closedByServer subscribers the server closed during the run
	 */
	public record Latency(double deliveriesPerSecond, double p50, double p99, double p999, double max, long lost,
			int closedByServer) {
	}

	/**
	 * Records the latency of each delivery of a measured message.
	 */
	private static final class LatencySink implements DeliverySink {

		private final long[] latencies;

		private final AtomicInteger index = new AtomicInteger();

		volatile long from = Long.MAX_VALUE;

		volatile long to = Long.MAX_VALUE;

		LatencySink(int capacity) {
			this.latencies = new long[capacity];
		}

		@Override
		public void delivered(long sequence, long sentNanos, long receivedNanos) {
			if (sequence >= this.from && sequence < this.to) {
				int i = this.index.getAndIncrement();
				if (i < this.latencies.length) {
					this.latencies[i] = receivedNanos - sentNanos;
				}
			}
		}

		long count() {
			return this.index.get();
		}

		long[] latencies() {
			return Arrays.copyOf(this.latencies, Math.min(this.index.get(), this.latencies.length));
		}

	}

}
