package dev.websocketstarter.benchmarks;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.websocketstarter.benchmarks.load.Sequences;
import dev.websocketstarter.benchmarks.load.Target;
import org.jspecify.annotations.Nullable;

/**
 * The figures of a run by target, and the Markdown table they are printed as, with the
 * starter's ratio to each baseline and to the bare NIO relay, the fan-out floor.
 */
final class ResultsTable {

	/** The servers each figure of the starter is compared with, in the table's order. */
	private static final List<Target> BASELINES = List.of(Target.STOMP, Target.DECORATOR, Target.NIO);

	private final Map<String, Row> rows = new LinkedHashMap<>();

	/**
	 * Record a figure of a target.
	 */
	void put(String figure, Target target, double value, boolean higherIsBetter, String goal) {
		this.rows.computeIfAbsent(figure, (name) -> new Row(higherIsBetter, goal)).values.put(target, value);
	}

	/**
	 * The counts of a run's sequence check, as the rows {@code prefix + "lost deliveries"
	 * + suffix}, duplicate and reordered, each with the goal 0.
	 */
	void putSequences(String prefix, String suffix, Target target, Sequences sequences) {
		put(prefix + "lost deliveries" + suffix, target, sequences.lost(), false, "0");
		put(prefix + "duplicate deliveries" + suffix, target, sequences.duplicates(), false, "0");
		put(prefix + "reordered deliveries" + suffix, target, sequences.reordered(), false, "0");
	}

	/**
	 * A figure that could not be measured in this run: its row says n/a.
	 */
	void notMeasured(String figure, String goal) {
		this.rows.computeIfAbsent(figure, (name) -> new Row(false, goal));
	}

	/**
	 * A figure of a target, if measured.
	 */
	@Nullable Double value(String figure, Target target) {
		Row row = this.rows.get(figure);
		return (row != null) ? row.values.get(target) : null;
	}

	boolean isEmpty() {
		return this.rows.isEmpty();
	}

	String render() {
		StringBuilder table = new StringBuilder();
		table.append("| figure | starter | STOMP | starter vs STOMP | decorator | starter vs decorator | bare NIO relay"
				+ " | starter vs NIO relay | target |\n");
		table.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |\n");
		this.rows.forEach((figure, row) -> {
			Double starter = row.values.get(Target.STARTER);
			table.append("| ").append(figure).append(" | ").append(format(starter));
			for (Target baseline : BASELINES) {
				Double value = row.values.get(baseline);
				table.append(" | ").append(format(value)).append(" | ").append(ratio(row, starter, value));
			}
			table.append(" | ").append(row.goal).append(" |\n");
		});
		table.append("\nRatios are \"how many times better the starter is\": starter/baseline for figures where more is"
				+ " better, baseline/starter where less is better. The bare NIO relay is not a baseline but the floor:"
				+ " below 1.00x the starter is short of it.\n");
		return table.toString();
	}

	private static String ratio(Row row, @Nullable Double starter, @Nullable Double baseline) {
		if (starter == null || baseline == null || starter.isNaN() || baseline.isNaN()) {
			return "";
		}
		if (starter == 0 && baseline == 0) {
			return "=";
		}
		double ratio = row.higherIsBetter ? starter / baseline : baseline / starter;
		return Double.isInfinite(ratio) ? "inf" : String.format(Locale.ROOT, "%.2fx", ratio);
	}

	static String format(@Nullable Double value) {
		if (value == null) {
			return "n/a";
		}
		if (value.isNaN()) {
			return "-";
		}
		double abs = Math.abs(value);
		if (abs >= 1000 || value == Math.rint(value)) {
			return String.format(Locale.ROOT, "%,.0f", value);
		}
		if (abs >= 10) {
			return String.format(Locale.ROOT, "%.1f", value);
		}
		return String.format(Locale.ROOT, "%.2f", value);
	}

	private static final class Row {

		final boolean higherIsBetter;

		final String goal;

		final Map<Target, Double> values = new EnumMap<>(Target.class);

		Row(boolean higherIsBetter, String goal) {
			this.higherIsBetter = higherIsBetter;
			this.goal = goal;
		}

	}

}
