package dev.websocketstarter.benchmarks.load;

import java.util.Locale;

/**
 * Fixed-rate latency result, latencies in microseconds.
 *
 * @param deliveriesPerSecond first deliveries of the measured messages per second, from
 * the first one's intended send time to the last one's receipt
 * @param seconds that interval, as measured
 * @param fromSchedule latency from each message's intended send time: what counts
 * @param fromSend latency from each message's actual send, for comparison: it leaves out
 * the publisher's own delays
 * @param behindMax how far behind its schedule the publisher sent a measured message, at
 * most
 * @param sequences what the subscribers got of every message of the run, each checked
 * apart, after the drain, warm-up included
 * @param closedByServer subscribers the server closed during the run
 */
public record Latency(double deliveriesPerSecond, double seconds, Percentiles fromSchedule, Percentiles fromSend,
		double behindMax, Sequences sequences, int closedByServer) {

	public double p50() {
		return this.fromSchedule.p50();
	}

	public double p99() {
		return this.fromSchedule.p99();
	}

	public double p999() {
		return this.fromSchedule.p999();
	}

	public double max() {
		return this.fromSchedule.max();
	}

	public long lost() {
		return this.sequences.lost();
	}

	@Override
	public String toString() {
		return String.format(Locale.ROOT,
				"%,.0f deliveries/s over %.2f s measured; latency from the intended send time %s; from the"
						+ " actual send %s; publisher behind schedule at most %.2f ms; %s; %d closed by server",
				this.deliveriesPerSecond, this.seconds, this.fromSchedule, this.fromSend, this.behindMax / 1e3,
				this.sequences, this.closedByServer);
	}

}
