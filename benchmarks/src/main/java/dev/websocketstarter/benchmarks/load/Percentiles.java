package dev.websocketstarter.benchmarks.load;

import java.util.Locale;

/**
 * Latency percentiles (nearest rank) in microseconds.
 *
 * @param count the samples
 * @param p50 median latency
 * @param p99 99th percentile
 * @param p999 99.9th percentile
 * @param max the largest latency seen
 */
public record Percentiles(int count, double p50, double p99, double p999, double max) {

	static Percentiles of(long[] sorted) {
		return new Percentiles(sorted.length, percentile(sorted, 0.50), percentile(sorted, 0.99),
				percentile(sorted, 0.999), percentile(sorted, 1));
	}

	private static double percentile(long[] sorted, double quantile) {
		if (sorted.length == 0) {
			return Double.NaN;
		}
		int index = (int) Math.min(sorted.length - 1, Math.ceil(quantile * sorted.length) - 1);
		return sorted[Math.max(0, index)] / 1e3;
	}

	@Override
	public String toString() {
		return String.format(Locale.ROOT, "p50/p99/p99.9/max %.2f/%.2f/%.2f/%.2f ms (n=%,d)", this.p50 / 1e3,
				this.p99 / 1e3, this.p999 / 1e3, this.max / 1e3, this.count);
	}

}
