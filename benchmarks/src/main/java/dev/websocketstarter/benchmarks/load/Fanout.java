package dev.websocketstarter.benchmarks.load;

import java.util.Locale;

/**
 * Closed-loop fan-out result.
 *
 * @param deliveriesPerSecond first deliveries per second in the measured interval
 * @param seconds the measured interval, as measured
 * @param published messages published, warm-up included
 * @param sequences what the subscribers got of them, each checked apart, after the drain,
 * warm-up included
 * @param closedByServer subscribers the server closed during the run
 */
public record Fanout(double deliveriesPerSecond, double seconds, long published, Sequences sequences,
		int closedByServer) {

	public long lost() {
		return this.sequences.lost();
	}

	@Override
	public String toString() {
		return String.format(Locale.ROOT,
				"%,.0f deliveries/s over %.2f s measured; %,d published; %s; %d closed" + " by server",
				this.deliveriesPerSecond, this.seconds, this.published, this.sequences, this.closedByServer);
	}

}
