package dev.websocketstarter.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The counters of a cluster run at one moment: each node's CPU time, what each node's
 * {@link RedisTap} counted, and Redis's own {@code INFO commandstats} and CPU.
 *
 * @param nanos when it was taken ({@link System#nanoTime()})
 * @param cpuTicks each node's CPU time in clock ticks, in the order of the nodes
 * @param compilerTicks the CPU time of each node's JIT compiler threads, in clock ticks
 * @param connections the connections each node opened to Redis
 * @param commands the commands each node sent, by name, in the same order
 * @param pushes the pub/sub messages Redis pushed to each node, by channel
 * @param redis Redis's command calls by name, and its CPU in microseconds as "cpu"
 */
record ClusterSnapshot(long nanos, long[] cpuTicks, long[] compilerTicks, long[] connections,
		List<Map<String, Long>> commands, List<Map<String, Long>> pushes, Map<String, Long> redis) {

	/** The commands that publish: what a node sends Redis to reach other nodes. */
	static final Set<String> PUBLISHING = Set.of("publish", "spublish", "eval", "evalsha", "eval_ro", "evalsha_ro",
			"fcall", "fcall_ro");

	static ClusterSnapshot take(List<ServerProcess> nodes, List<RedisTap> taps, RedisProcess redis) {
		long[] ticks = new long[nodes.size()];
		long[] compiler = new long[nodes.size()];
		for (int i = 0; i < ticks.length; i++) {
			ticks[i] = nodes.get(i).cpuTicks();
			compiler[i] = nodes.get(i).threadCpuTicks("C1 Compiler") + nodes.get(i).threadCpuTicks("C2 Compiler");
		}
		long[] connections = new long[taps.size()];
		List<Map<String, Long>> commands = new ArrayList<>(taps.size());
		List<Map<String, Long>> pushes = new ArrayList<>(taps.size());
		for (int i = 0; i < connections.length; i++) {
			connections[i] = taps.get(i).connections();
			commands.add(taps.get(i).commands());
			pushes.add(taps.get(i).pushes());
		}
		try {
			return new ClusterSnapshot(System.nanoTime(), ticks, compiler, connections, commands, pushes,
					redis.stats());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Seconds from {@code earlier} to this one.
	 */
	double secondsSince(ClusterSnapshot earlier) {
		return (this.nanos - earlier.nanos) / 1e9;
	}

	/**
	 * CPU seconds node {@code node} used since {@code earlier}.
	 */
	double cpuSecondsSince(ClusterSnapshot earlier, int node) {
		// Clock ticks are 10 ms on Linux (USER_HZ 100)
		return (this.cpuTicks[node] - earlier.cpuTicks[node]) / 100.0;
	}

	/**
	 * CPU seconds the JIT compiler threads of node {@code node} used since
	 * {@code earlier}.
	 */
	double compilerSecondsSince(ClusterSnapshot earlier, int node) {
		return (this.compilerTicks[node] - earlier.compilerTicks[node]) / 100.0;
	}

	/**
	 * Pub/sub messages Redis pushed to node {@code node} since {@code earlier}, on any
	 * channel.
	 */
	long pushesSince(ClusterSnapshot earlier, int node) {
		return total(this.pushes.get(node)) - total(earlier.pushes.get(node));
	}

	/**
	 * Calls of the publishing commands Redis served since {@code earlier}, from its own
	 * counts.
	 */
	long publishingCallsSince(ClusterSnapshot earlier) {
		long calls = 0;
		for (String command : PUBLISHING) {
			calls += this.redis.getOrDefault(command, 0L) - earlier.redis.getOrDefault(command, 0L);
		}
		return calls;
	}

	/**
	 * Calls of any command Redis served since {@code earlier}.
	 */
	long callsSince(ClusterSnapshot earlier) {
		long calls = 0;
		for (Map.Entry<String, Long> entry : this.redis.entrySet()) {
			if (!entry.getKey().contains(".") && !entry.getKey().equals("cpu") && !entry.getKey().equals("info")) {
				calls += entry.getValue() - earlier.redis.getOrDefault(entry.getKey(), 0L);
			}
		}
		return calls;
	}

	/**
	 * redis-server's CPU seconds since {@code earlier}.
	 */
	double redisCpuSecondsSince(ClusterSnapshot earlier) {
		return (this.redis.getOrDefault("cpu", 0L) - earlier.redis.getOrDefault("cpu", 0L)) / 1e6;
	}

	/**
	 * What changed in each counter of {@code now} since {@code earlier}, the counters
	 * that did not change left out.
	 */
	static String changes(Map<String, Long> now, Map<String, Long> earlier) {
		StringBuilder changes = new StringBuilder();
		now.forEach((name, count) -> {
			long change = count - earlier.getOrDefault(name, 0L);
			if (change != 0) {
				changes.append((changes.length() > 0) ? ", " : "").append(name).append(' ').append(change);
			}
		});
		return (changes.length() > 0) ? changes.toString() : "none";
	}

	private static long total(Map<String, Long> counts) {
		long total = 0;
		for (long count : counts.values()) {
			total += count;
		}
		return total;
	}

}
