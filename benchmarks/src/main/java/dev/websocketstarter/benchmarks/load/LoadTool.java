package dev.websocketstarter.benchmarks.load;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
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

	/** Numbers the runs, so that a subscriber tells a previous run's stragglers apart. */
	private final AtomicLong runs = new AtomicLong();

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
		return open(address, target, target.path(), offerCompression, count, concurrency, limit);
	}

	/**
	 * Open connections to a path of their own, such as a path whose query names what they
	 * subscribe to, as
	 * {@link #open(InetSocketAddress, Target, boolean, int, int, Duration)} does.
	 */
	public Opened open(InetSocketAddress address, Target target, String path, boolean offerCompression, int count,
			int concurrency, Duration limit) {
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
				WsConnection.open(address, target, path, offerCompression, this.loops[i % this.loops.length], events);
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
	 * A number for a new run, so that a subscriber tells a previous run's stragglers
	 * apart.
	 */
	long nextRun() {
		return this.runs.incrementAndGet();
	}

	/**
	 * Where a loop schedules what unblocks it when it overruns.
	 */
	ScheduledExecutorService watchdog() {
		return this.watchdog;
	}

	/**
	 * Publish to several subscriptions at once, each from a publisher of its own, each
	 * with at most {@code window} messages (times its subscribers) undelivered; count the
	 * deliveries to each node's subscribers apart.
	 * @param nodes how many nodes the subscribers are on
	 * @return one result per node, in order, and the counts of all
	 */
	public TopicsFanout closedLoopTopics(Target target, List<Topic> topics, int nodes, int window, Duration warmup,
			Duration measure, Window measured) throws IOException {
		return new TopicsLoop(this, target, topics, nodes).run(window, warmup, measure, measured);
	}

	/**
	 * Publish with at most {@code window} messages (times the subscribers) undelivered.
	 */
	public Fanout closedLoop(InetSocketAddress address, Target target, List<WsConnection> subscribers, int window,
			Duration warmup, Duration measure) throws IOException {
		return closedLoopByGroup(address, target, List.of(subscribers), window, warmup, measure, Window.NONE).get(0);
	}

	/**
	 * Publish with at most {@code window} messages (times all the subscribers)
	 * undelivered, and count the deliveries of each group of subscribers apart (for
	 * example the subscribers of each node of a cluster, the publisher being on one of
	 * them).
	 * @param measured told when the measured interval starts and ends, to measure
	 * something else over the same interval
	 * @return one result per group, in order; {@code closedByServer} is the whole run's
	 */
	public List<Fanout> closedLoopByGroup(InetSocketAddress address, Target target, List<List<WsConnection>> groups,
			int window, Duration warmup, Duration measure, Window measured) throws IOException {
		long run = this.runs.incrementAndGet();
		LongAdder[] delivered = new LongAdder[groups.size()];
		List<List<SequenceCheck>> checks = new ArrayList<>();
		for (int g = 0; g < groups.size(); g++) {
			LongAdder counter = new LongAdder();
			delivered[g] = counter;
			checks.add(check(groups.get(g), run, (r, sequence, intended, sent, received) -> counter.increment()));
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
		try (Publisher publisher = new Publisher(address, target, run)) {
			settle();
			long start = System.nanoTime();
			long end = start + warmup.toNanos() + measure.toNanos();
			ScheduledFuture<?> guard = this.watchdog.schedule(publisher::close, warmup.plus(measure).toSeconds() + 30,
					TimeUnit.SECONDS);
			long[] deliveredAtStart = null;
			long measureStart = 0;
			long now;
			while ((now = System.nanoTime()) < end) {
				if (deliveredAtStart == null && now >= start + warmup.toNanos()) {
					measured.started();
					measureStart = System.nanoTime();
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
			measured.ended();
			guard.cancel(false);
			long published = publisher.published();
			drain(total, published * fanout);
			int closed = this.closedByServer.get() - closedBefore;
			List<Fanout> results = new ArrayList<>(groups.size());
			for (int g = 0; g < groups.size(); g++) {
				long atStart = (deliveredAtStart != null) ? deliveredAtStart[g] : 0;
				results.add(new Fanout((deliveredAtEnd[g] - atStart) / seconds, seconds, published,
						Sequences.sum(checks.get(g), published), closed));
			}
			return results;
		}
		finally {
			groups.forEach((group) -> group.forEach((subscriber) -> subscriber.sink(DeliverySink.NONE)));
		}
	}

	/**
	 * Give each subscriber of a group a check of its own for this run, passing its first
	 * deliveries to {@code firstDeliveries}.
	 */
	static List<SequenceCheck> check(List<WsConnection> group, long run, DeliverySink firstDeliveries) {
		List<SequenceCheck> checks = new ArrayList<>(group.size());
		for (WsConnection subscriber : group) {
			SequenceCheck check = new SequenceCheck(run, firstDeliveries);
			checks.add(check);
			subscriber.sink(check);
		}
		return checks;
	}

	static long[] sums(LongAdder[] counters) {
		long[] sums = new long[counters.length];
		for (int i = 0; i < counters.length; i++) {
			sums[i] = counters[i].sum();
		}
		return sums;
	}

	/**
	 * Publish {@code rate} messages per second; measure from each message's intended send
	 * time to each receipt.
	 */
	public Latency fixedRate(InetSocketAddress address, Target target, List<WsConnection> subscribers, int rate,
			Duration warmup, Duration measure) throws IOException {
		return fixedRateByGroup(address, target, List.of(subscribers), rate, warmup, measure).get(0);
	}

	/**
	 * Publish {@code rate} messages per second on a fixed schedule; measure from the time
	 * the schedule gave each message to each receipt, so a publisher that falls behind
	 * shows in the latency rather than hiding it (coordinated omission); for each group
	 * of subscribers apart.
	 * @return one result per group, in order; {@code closedByServer} is the whole run's
	 */
	public List<Latency> fixedRateByGroup(InetSocketAddress address, Target target, List<List<WsConnection>> groups,
			int rate, Duration warmup, Duration measure) throws IOException {
		long run = this.runs.incrementAndGet();
		long measuredMessages = rate * measure.toSeconds();
		LatencyRecorder[] recorders = new LatencyRecorder[groups.size()];
		List<List<SequenceCheck>> checks = new ArrayList<>();
		for (int g = 0; g < groups.size(); g++) {
			recorders[g] = new LatencyRecorder((int) (measuredMessages * groups.get(g).size()));
			checks.add(check(groups.get(g), run, recorders[g]));
		}
		int closedBefore = this.closedByServer.get();
		try (Publisher publisher = new Publisher(address, target, run)) {
			settle();
			long period = 1_000_000_000L / rate;
			long start = System.nanoTime();
			long measureStart = start + warmup.toNanos();
			ScheduledFuture<?> guard = this.watchdog.schedule(publisher::close, warmup.plus(measure).toSeconds() + 30,
					TimeUnit.SECONDS);
			long next = start;
			long firstMeasured = -1;
			long firstIntended = 0;
			long lastMeasured = -1;
			long behind = 0;
			while (lastMeasured < 0 || lastMeasured - firstMeasured + 1 < measuredMessages) {
				long wait = next - System.nanoTime();
				if (wait > 0) {
					LockSupport.parkNanos(wait);
					continue;
				}
				long intended = next;
				next += period;
				if (firstMeasured < 0 && intended >= measureStart) {
					firstMeasured = publisher.published();
					firstIntended = intended;
					for (LatencyRecorder recorder : recorders) {
						recorder.from = firstMeasured;
					}
				}
				if (firstMeasured >= 0) {
					behind = Math.max(behind, System.nanoTime() - intended);
				}
				long sequence = publisher.publish(intended);
				if (firstMeasured >= 0) {
					lastMeasured = sequence;
				}
			}
			guard.cancel(false);
			long published = publisher.published();
			long fanout = groups.stream().mapToLong(List::size).sum();
			drain(() -> {
				long sum = 0;
				for (LatencyRecorder recorder : recorders) {
					sum += recorder.delivered();
				}
				return sum;
			}, published * fanout);
			int closed = this.closedByServer.get() - closedBefore;
			List<Latency> results = new ArrayList<>(groups.size());
			for (int g = 0; g < groups.size(); g++) {
				// Counting first stops the checks, so the recorder holds still
				Sequences sequences = Sequences.sum(checks.get(g), published);
				LatencyRecorder recorder = recorders[g];
				long[] fromSchedule = recorder.fromSchedule();
				double seconds = (recorder.lastReceived() - firstIntended) / 1e9;
				results.add(new Latency((fromSchedule.length > 0) ? fromSchedule.length / seconds : 0,
						(fromSchedule.length > 0) ? seconds : 0, Percentiles.of(fromSchedule),
						Percentiles.of(recorder.fromSend()), behind / 1e3, sequences, closed));
			}
			return results;
		}
		finally {
			groups.forEach((group) -> group.forEach((subscriber) -> subscriber.sink(DeliverySink.NONE)));
		}
	}

	/**
	 * Let the server finish setting up the publisher (a starter channel subscribes after
	 * its handshake answer went out).
	 */
	static void settle() {
		LockSupport.parkNanos(Duration.ofMillis(500).toNanos());
	}

	/**
	 * Wait until everything expected arrived, or nothing arrived for 2 s, at most 10 s.
	 */
	static void drain(java.util.function.LongSupplier delivered, long expected) {
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
	 * Told when the measured interval of a closed loop starts and ends, on the publishing
	 * thread, right before and after the deliveries are counted.
	 */
	public interface Window {

		/**
		 * A window that does nothing.
		 */
		Window NONE = new Window() {

			@Override
			public void started() {
			}

			@Override
			public void ended() {
			}

		};

		/**
		 * The measured interval starts.
		 */
		void started();

		/**
		 * The measured interval ended.
		 */
		void ended();

	}

}
