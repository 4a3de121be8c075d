package dev.websocketstarter.benchmarks.load;

import java.util.List;

/**
 * What a closed loop over several subscriptions measured.
 *
 * @param nodes the deliveries to each node's subscribers, in order of the nodes
 * @param published messages published to all subscriptions, warm-up included
 * @param publishedMeasured messages published in the measured interval
 * @param seconds the measured interval, as measured
 */
public record TopicsFanout(List<Fanout> nodes, long published, long publishedMeasured, double seconds) {

	/**
	 * First deliveries per second in the measured interval, to all nodes' subscribers.
	 */
	public double deliveriesPerSecond() {
		return this.nodes.stream().mapToDouble(Fanout::deliveriesPerSecond).sum();
	}

	/**
	 * Messages published per second in the measured interval.
	 */
	public double publishedPerSecond() {
		return (this.seconds > 0) ? this.publishedMeasured / this.seconds : 0;
	}

	/**
	 * What the subscribers of all nodes got, each checked apart, summed.
	 */
	public Sequences sequences() {
		long lost = 0;
		long duplicates = 0;
		long reordered = 0;
		long otherRuns = 0;
		for (Fanout node : this.nodes) {
			lost += node.sequences().lost();
			duplicates += node.sequences().duplicates();
			reordered += node.sequences().reordered();
			otherRuns += node.sequences().otherRuns();
		}
		return new Sequences(lost, duplicates, reordered, otherRuns);
	}

	/**
	 * Subscribers the servers closed during the run.
	 */
	public int closedByServer() {
		return this.nodes.isEmpty() ? 0 : this.nodes.get(0).closedByServer();
	}

}
