package dev.websocketstarter.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.IntFunction;

import dev.websocketstarter.benchmarks.load.Sequences;
import dev.websocketstarter.benchmarks.load.TopicsFanout;

/**
 * What one scenario of the cluster phase measured with one number of nodes, and the
 * figures worked out from it: the counters at rest, at the start and end of the run and
 * of its measured interval, for the working nodes and, last, the idle node.
 *
 * @param scenario the scenario's short name, as the table's first column gives it
 * @param nodes the working nodes; the idle node comes after them in the snapshots
 * @param fanout what the clients counted
 * @param rest the counters at the start and end of the rest before the run
 * @param run the counters at the start and end of the run, drain included
 * @param window the counters at the start and end of the measured interval
 * @param subscribersEach the subscribers of each subscription, all on one node; 0 when
 * every node holds subscribers of every subscription
 */
record ClusterRun(String scenario, int nodes, TopicsFanout fanout, ClusterSnapshot[] rest, ClusterSnapshot[] run,
		ClusterSnapshot[] window, int subscribersEach) {

	/** The table's header, one row per run after it. */
	static final String HEADER = "| scenario | working nodes | multicasts/s | deliveries/s, all nodes | lost / duplicate /"
			+ " reordered | Redis publishing calls per multicast | messages Redis pushed per multicast: each working"
			+ " node; idle node | Redis messages per multicast, in all (idle node included) | CPU (cores): each"
			+ " working node (JIT compiler threads' part); idle node above its rest, JIT left out | CPU per delivery,"
			+ " each working node, JIT left out (us) | idle node CPU per multicast, JIT left out (us) | CPU each working node spends on multicasts of"
			+ " subscriptions it does not hold, at the idle node's cost (cores) | redis-server CPU (cores) |\n"
			+ "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n";

	/**
	 * The index of the idle node in the snapshots.
	 */
	int idle() {
		return this.nodes;
	}

	double windowSeconds() {
		return this.window[1].secondsSince(this.window[0]);
	}

	/**
	 * Each working node's CPU over the measured interval, in cores (CPU seconds per
	 * second).
	 */
	double cores(int node) {
		return this.window[1].cpuSecondsSince(this.window[0], node) / windowSeconds();
	}

	/**
	 * A node's CPU over the measured interval less its JIT compiler threads', in cores:
	 * what it spends once its code is compiled.
	 */
	double steadyCores(int node) {
		return cores(node) - compilerCores(node);
	}

	/**
	 * A node's CPU at rest, before the run, less its JIT compiler threads', in cores.
	 */
	double restCores(int node) {
		double seconds = this.rest[1].secondsSince(this.rest[0]);
		return (this.rest[1].cpuSecondsSince(this.rest[0], node)
				- this.rest[1].compilerSecondsSince(this.rest[0], node)) / seconds;
	}

	/**
	 * The idle node's CPU over the measured interval above its rate at rest, JIT compiler
	 * threads left out of both, in cores.
	 */
	double idleAboveRestCores() {
		return steadyCores(idle()) - restCores(idle());
	}

	/**
	 * The idle node's CPU above its rest per multicast published in the measured
	 * interval, in microseconds.
	 */
	double idlePerMulticastMicros() {
		double multicasts = this.fanout.publishedPerSecond();
		return (multicasts > 0) ? idleAboveRestCores() / multicasts * 1e6 : Double.NaN;
	}

	/**
	 * A working node's CPU over the measured interval, JIT compiler threads left out, per
	 * first delivery to its subscribers in it, in microseconds.
	 */
	double perDeliveryMicros(int node) {
		double deliveries = this.fanout.nodes().get(node).deliveriesPerSecond();
		return (deliveries > 0) ? steadyCores(node) / deliveries * 1e6 : Double.NaN;
	}

	/**
	 * Messages Redis pushed to a node over the whole run, per multicast published in it.
	 */
	double pushesPerMulticast(int node) {
		return (double) this.run[1].pushesSince(this.run[0], node) / Math.max(1, this.fanout.published());
	}

	/**
	 * Calls of the publishing commands Redis served over the whole run, per multicast.
	 */
	double publishingCallsPerMulticast() {
		return (double) this.run[1].publishingCallsSince(this.run[0]) / Math.max(1, this.fanout.published());
	}

	/**
	 * Publishing calls and pushes to every node, idle node included, per multicast.
	 */
	double messagesPerMulticast() {
		double messages = publishingCallsPerMulticast();
		for (int node = 0; node <= this.nodes; node++) {
			messages += pushesPerMulticast(node);
		}
		return messages;
	}

	/**
	 * The multicasts per second, in the measured interval, of subscriptions a working
	 * node holds no subscriber of: all but those its subscribers got.
	 */
	double notHeldPerSecond(int node) {
		if (this.subscribersEach == 0) {
			return 0;
		}
		double held = this.fanout.nodes().get(node).deliveriesPerSecond() / this.subscribersEach;
		return Math.max(0, this.fanout.publishedPerSecond() - held);
	}

	/**
	 * What a working node spends on the multicasts of subscriptions it does not hold, at
	 * the idle node's cost per multicast, in cores.
	 */
	double notHeldCores(int node) {
		double each = idlePerMulticastMicros();
		return Double.isNaN(each) ? Double.NaN : notHeldPerSecond(node) * each / 1e6;
	}

	/**
	 * The CPU of a working node's JIT compiler threads over the measured interval, in
	 * cores.
	 */
	double compilerCores(int node) {
		return this.window[1].compilerSecondsSince(this.window[0], node) / windowSeconds();
	}

	double redisCores() {
		return this.window[1].redisCpuSecondsSince(this.window[0]) / windowSeconds();
	}

	String row() {
		Sequences sequences = this.fanout.sequences();
		List<String> cpu = new ArrayList<>(this.nodes);
		for (int node = 0; node < this.nodes; node++) {
			cpu.add(String.format(Locale.ROOT, "%.3f (%.3f)", cores(node), compilerCores(node)));
		}
		return String.format(Locale.ROOT,
				"| %s | %d | %s | %s | %d / %d / %d | %.2f | %s; %.2f | %.2f | %s; %.3f | %s | %s | %s | %.3f |%n",
				this.scenario, this.nodes, ResultsTable.format(this.fanout.publishedPerSecond()),
				ResultsTable.format(this.fanout.deliveriesPerSecond()), sequences.lost(), sequences.duplicates(),
				sequences.reordered(), publishingCallsPerMulticast(), each(this::pushesPerMulticast, "%.2f"),
				pushesPerMulticast(idle()), messagesPerMulticast(), String.join(" / ", cpu), idleAboveRestCores(),
				each(this::perDeliveryMicros, "%.1f"), ResultsTable.format(idlePerMulticastMicros()),
				(this.subscribersEach > 0) ? each(this::notHeldCores, "%.3f") : "-", redisCores());
	}

	/**
	 * Everything counted, for the log.
	 */
	String details() {
		StringBuilder details = new StringBuilder();
		details.append(String.format(Locale.ROOT,
				"%s, %d nodes: %,d multicasts in the run, %,.0f/s over %.2f s measured; %,.0f deliveries/s (%s); %s;"
						+ " %d closed by server%n",
				this.scenario, this.nodes, this.fanout.published(), this.fanout.publishedPerSecond(), windowSeconds(),
				this.fanout.deliveriesPerSecond(),
				each((node) -> this.fanout.nodes().get(node).deliveriesPerSecond(), "%,.0f"), this.fanout.sequences(),
				this.fanout.closedByServer()));
		details.append(String.format(Locale.ROOT,
				"    Redis over the run: %,d publishing calls, %,d calls of any command (INFO commandstats);"
						+ " redis-server CPU %.3f cores in the measured interval%n",
				this.run[1].publishingCallsSince(this.run[0]), this.run[1].callsSince(this.run[0]), redisCores()));
		double seconds = windowSeconds();
		double runSeconds = this.run[1].secondsSince(this.run[0]);
		for (int node = 0; node <= this.nodes; node++) {
			String name = (node == idle()) ? "idle node" : "node " + (node + 1);
			if (node < idle() && this.subscribersEach > 0) {
				details.append(String.format(Locale.ROOT,
						"    node %d: %,.0f multicasts/s of subscriptions it does not hold, at the idle node's %.2f us"
								+ " each %.3f cores, %.0f%% of its CPU%n",
						node + 1, notHeldPerSecond(node), idlePerMulticastMicros(), notHeldCores(node),
						100 * notHeldCores(node) / cores(node)));
			}
			details.append(String.format(Locale.ROOT,
					"    %s: CPU %.3f cores measured (JIT compiler threads %.3f), %.3f at rest (JIT left out); %d connections opened"
							+ " to Redis in the run (%.1f s); pushed to it in the run: %s; it sent: %s%n",
					name, cores(node), this.window[1].compilerSecondsSince(this.window[0], node) / seconds,
					restCores(node), this.run[1].connections()[node] - this.run[0].connections()[node], runSeconds,
					ClusterSnapshot.changes(this.run[1].pushes().get(node), this.run[0].pushes().get(node)),
					ClusterSnapshot.changes(this.run[1].commands().get(node), this.run[0].commands().get(node))));
		}
		return details.toString();
	}

	private String each(IntFunction<Double> figure, String format) {
		List<String> values = new ArrayList<>(this.nodes);
		for (int node = 0; node < this.nodes; node++) {
			double value = figure.apply(node);
			values.add(Double.isNaN(value) ? "-" : String.format(Locale.ROOT, format, value));
		}
		return String.join(" / ", values);
	}

}
