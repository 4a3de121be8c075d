package dev.websocketstarter.benchmarks.load;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;

/**
 * Records the first deliveries of a group of subscribers at a fixed rate: counts them
 * all, and for the measured messages keeps the latency from the intended send time (the
 * schedule) and from the actual send, and the last receipt.
 */
final class LatencyRecorder implements DeliverySink {

	private final long[] fromSchedule;

	private final long[] fromSend;

	private final AtomicInteger index = new AtomicInteger();

	private final LongAdder delivered = new LongAdder();

	private final LongAccumulator lastReceived = new LongAccumulator(Math::max, Long.MIN_VALUE);

	/** The first measured message; the publisher stops after the last. */
	volatile long from = Long.MAX_VALUE;

	LatencyRecorder(int capacity) {
		this.fromSchedule = new long[capacity];
		this.fromSend = new long[capacity];
	}

	@Override
	public void delivered(long run, long sequence, long intendedNanos, long sentNanos, long receivedNanos) {
		if (sequence >= this.from) {
			int i = this.index.getAndIncrement();
			if (i < this.fromSchedule.length) {
				this.fromSchedule[i] = receivedNanos - intendedNanos;
				this.fromSend[i] = receivedNanos - sentNanos;
			}
			this.lastReceived.accumulate(receivedNanos);
		}
		this.delivered.increment();
	}

	/**
	 * First deliveries of any message of the run, warm-up included.
	 */
	long delivered() {
		return this.delivered.sum();
	}

	/**
	 * The receipt of the last delivery of a measured message, in
	 * {@link System#nanoTime()}.
	 */
	long lastReceived() {
		return this.lastReceived.get();
	}

	long[] fromSchedule() {
		return sorted(this.fromSchedule);
	}

	long[] fromSend() {
		return sorted(this.fromSend);
	}

	private long[] sorted(long[] latencies) {
		long[] copy = Arrays.copyOf(latencies, Math.min(this.index.get(), latencies.length));
		Arrays.sort(copy);
		return copy;
	}

}
