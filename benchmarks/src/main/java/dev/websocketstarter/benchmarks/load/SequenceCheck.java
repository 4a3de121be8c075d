package dev.websocketstarter.benchmarks.load;

import java.util.BitSet;

/**
 * Checks what one subscriber received in one run against the sequence numbers its
 * publisher gave, and passes each first delivery on. A number never received is a lost
 * delivery, one received again a duplicate, one received after a later one reordered. One
 * per subscriber, so that a duplicate at one subscriber cannot hide a loss at another, as
 * a count of deliveries over all of them would.
 */
final class SequenceCheck implements DeliverySink {

	private final long run;

	private final DeliverySink firstDeliveries;

	private final BitSet seen = new BitSet();

	private long highest = -1;

	private long duplicates;

	private long reordered;

	private long otherRuns;

	private boolean counted;

	SequenceCheck(long run, DeliverySink firstDeliveries) {
		this.run = run;
		this.firstDeliveries = firstDeliveries;
	}

	@Override
	public synchronized void delivered(long run, long sequence, long intendedNanos, long sentNanos,
			long receivedNanos) {
		if (this.counted) {
			return;
		}
		if (run != this.run || sequence < 0 || sequence > Integer.MAX_VALUE) {
			this.otherRuns++;
			return;
		}
		int index = (int) sequence;
		if (this.seen.get(index)) {
			this.duplicates++;
			return;
		}
		this.seen.set(index);
		if (sequence < this.highest) {
			this.reordered++;
		}
		else {
			this.highest = sequence;
		}
		this.firstDeliveries.delivered(run, sequence, intendedNanos, sentNanos, receivedNanos);
	}

	/**
	 * What this subscriber got of the first {@code published} messages of its run. What
	 * arrives later is left out, and not passed on, so the counts and what the first
	 * deliveries' sink holds stay in step.
	 */
	synchronized Sequences count(long published) {
		this.counted = true;
		long received = this.seen.get(0, (int) Math.min(published, Integer.MAX_VALUE)).cardinality();
		return new Sequences(published - received, this.duplicates, this.reordered, this.otherRuns);
	}

}
