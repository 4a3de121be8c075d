package dev.websocketstarter.benchmarks.load;

import java.util.Collection;
import java.util.Locale;

/**
 * What subscribers received, checked against the publisher's sequence numbers, each
 * subscriber apart, summed over subscribers.
 *
 * @param lost deliveries never received: a number missing at a subscriber
 * @param duplicates deliveries of a number the subscriber had already received
 * @param reordered deliveries of a number lower than one the subscriber had already
 * received
 * @param otherRuns deliveries of messages from another run (a previous run's stragglers),
 * left out of the other counts
 */
public record Sequences(long lost, long duplicates, long reordered, long otherRuns) {

	static Sequences sum(Collection<SequenceCheck> checks, long published) {
		long lost = 0;
		long duplicates = 0;
		long reordered = 0;
		long otherRuns = 0;
		for (SequenceCheck check : checks) {
			Sequences one = check.count(published);
			lost += one.lost;
			duplicates += one.duplicates;
			reordered += one.reordered;
			otherRuns += one.otherRuns;
		}
		return new Sequences(lost, duplicates, reordered, otherRuns);
	}

	@Override
	public String toString() {
		return String.format(Locale.ROOT, "%d lost, %d duplicates, %d reordered%s", this.lost, this.duplicates,
				this.reordered, (this.otherRuns > 0) ? ", " + this.otherRuns + " from another run" : "");
	}

}
