package dev.websocketstarter.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.websocketstarter.benchmarks.load.Fanout;
import dev.websocketstarter.benchmarks.load.Latency;
import dev.websocketstarter.benchmarks.load.LoadTool;
import dev.websocketstarter.benchmarks.load.Target;
import dev.websocketstarter.benchmarks.load.WsConnection;

/**
 * The two-node phase: two starter nodes through one Redis, half the subscribers on each,
 * the publisher on node A, each figure next to the single node's of the same run.
 */
final class TwoNodePhase {

	private final ResultsTable results;

	private final List<String> notes;

	TwoNodePhase(ResultsTable results, List<String> notes) {
		this.results = results;
		this.notes = notes;
	}

	/**
	 * Two starter nodes sharing one Redis of their own: half the subscribers on each, the
	 * publisher on node A; deliveries to node A's subscribers are local, to node B's
	 * cross-node (node A publishes each message to Redis once, node B multicasts it).
	 */
	void run(int portA, int portB, List<String> jvm) throws IOException, InterruptedException {
		Target target = Target.STARTER;
		Path logs = BenchmarkRunner.OUT.resolve("logs");
		BenchmarkRunner.log("starter, two nodes through Redis: fan-out to " + BenchmarkRunner.NODE_SUBSCRIBERS + " + "
				+ BenchmarkRunner.NODE_SUBSCRIBERS + " subscribers, publisher on node A");
		try (RedisProcess redis = RedisProcess.start(logs);
				ServerProcess a = ServerProcess.start(target, portA, BenchmarkRunner.HEAP, logs, jvm,
						RedisProcess.clusterArguments(redis, "bench-node-a"));
				ServerProcess b = ServerProcess.start(target, portB, BenchmarkRunner.HEAP, logs, jvm,
						RedisProcess.clusterArguments(redis, "bench-node-b"));
				LoadTool load = new LoadTool(2)) {
			BenchmarkRunner.log("  redis-server pid " + redis.pid() + " on 127.0.0.1:" + redis.port() + "; node A :"
					+ portA + ", node B :" + portB);
			LoadTool.Opened onA = load.open(a.address(), target, BenchmarkRunner.NODE_SUBSCRIBERS, 64,
					Duration.ofSeconds(60));
			LoadTool.Opened onB = load.open(b.address(), target, BenchmarkRunner.NODE_SUBSCRIBERS, 64,
					Duration.ofSeconds(60));
			BenchmarkRunner.log(
					"  node A: " + onA.ready() + " subscribers ready, " + onA.failed() + " failed " + onA.firstFailure()
							+ "; node B: " + onB.ready() + " ready, " + onB.failed() + " failed " + onB.firstFailure());
			List<List<WsConnection>> groups = List.of(onA.connections(), onB.connections());
			try {
				awaitRelay(load, a, groups);
				String prefix = "Two nodes, " + BenchmarkRunner.NODE_SUBSCRIBERS + " + "
						+ BenchmarkRunner.NODE_SUBSCRIBERS + " subscribers, ";
				RedisWindow atRedis = new RedisWindow(redis);
				Map<String, Long> runBefore = redis.stats();
				long[] cpuBefore = cpu(a, b);
				long wallBefore = System.nanoTime();
				List<Fanout> fanout = load.closedLoopByGroup(a.address(), target, groups, BenchmarkRunner.WINDOW,
						Duration.ofSeconds(5), Duration.ofSeconds(15), atRedis);
				double wall = (System.nanoTime() - wallBefore) / 1e9;
				long[] cpuAfter = cpu(a, b);
				Map<String, Long> runAfter = redis.stats();
				Fanout local = fanout.get(0);
				Fanout remote = fanout.get(1);
				BenchmarkRunner.log("  closed loop: local " + local + "; cross-node " + remote);
				double both = local.deliveriesPerSecond() + remote.deliveriesPerSecond();
				this.results.put(
						prefix + "closed loop (window " + BenchmarkRunner.WINDOW + "): deliveries/s, both nodes",
						target, both, true, versus(BenchmarkRunner.SINGLE_CLOSED_LOOP, both, true));
				this.results.put(prefix + "closed loop: deliveries/s to node A (local)", target,
						local.deliveriesPerSecond(), true, "");
				this.results.put(prefix + "closed loop: deliveries/s to node B (cross-node)", target,
						remote.deliveriesPerSecond(), true, "");
				this.results.put(
						prefix + "closed loop: PUBLISH and SPUBLISH calls/s served by Redis (INFO commandstats)",
						target, atRedis.publishesPerSecond(), true, "");
				String[] where = { "local", "cross-node" };
				for (int i = 0; i < 2; i++) {
					this.results.putSequences(prefix + "closed loop: ", ", " + where[i], target,
							fanout.get(i).sequences());
				}
				this.results.put(prefix + "closed loop: subscribers closed by server", target, local.closedByServer(),
						false, "0");
				Map<String, Long> redisBefore = atRedis.before;
				Map<String, Long> redisAfter = atRedis.after;
				long publishes = publishes(redisAfter, "") - publishes(redisBefore, "");
				long publishUsec = publishes(redisAfter, ".usec") - publishes(redisBefore, ".usec");
				long runPublishes = publishes(runAfter, "") - publishes(runBefore, "");
				String evidence = String.format(Locale.ROOT,
						"Closed loop, %.1f s wall, %.2f s measured: %,d messages published and %,d PUBLISH and SPUBLISH"
								+ " served by Redis in all (%.2f per message); in the measured interval Redis served %,d"
								+ " (%,.0f/s, %.1f us each inside Redis); CPU in %%"
								+ " of one core over the wall time: node A %.0f%% (relay thread ws-cluster-relay %.0f%%,"
								+ " Lettuce threads %.0f%%), node B %.0f%% (Lettuce threads, which deliver the relayed"
								+ " messages, %.0f%%), redis-server %.0f%% (measured interval), %d CPUs",
						wall, atRedis.seconds(), local.published(), runPublishes,
						(double) runPublishes / Math.max(1, local.published()), publishes, atRedis.publishesPerSecond(),
						(double) publishUsec / Math.max(1, publishes), percent(cpuAfter[0] - cpuBefore[0], wall),
						percent(cpuAfter[1] - cpuBefore[1], wall), percent(cpuAfter[2] - cpuBefore[2], wall),
						percent(cpuAfter[3] - cpuBefore[3], wall), percent(cpuAfter[4] - cpuBefore[4], wall),
						(redisAfter.get("cpu") - redisBefore.get("cpu")) / 1e4 / atRedis.seconds(),
						Runtime.getRuntime().availableProcessors());
				BenchmarkRunner.log("  " + evidence);
				this.notes.add("Two-node run: " + evidence);
				List<Latency> latency = load.fixedRateByGroup(a.address(), target, groups, BenchmarkRunner.RATE,
						Duration.ofSeconds(3), Duration.ofSeconds(15));
				BenchmarkRunner.log("  fixed rate: local " + latency.get(0) + ", cross-node " + latency.get(1));
				String at = prefix + "at " + BenchmarkRunner.RATE + " msg/s ("
						+ BenchmarkRunner.RATE * BenchmarkRunner.SUBSCRIBERS / 1000 + "k deliveries/s): ";
				for (int i = 0; i < 2; i++) {
					this.results.put(at + "deliveries/s, " + where[i], target, latency.get(i).deliveriesPerSecond(),
							true, "");
				}
				for (int i = 0; i < 2; i++) {
					double value = latency.get(i).p50() / 1e3;
					this.results.put(at + "latency p50 (ms), " + where[i], target, value, false,
							versus(BenchmarkRunner.SINGLE_AT_RATE + "latency p50 (ms)", value, false));
				}
				for (int i = 0; i < 2; i++) {
					double value = latency.get(i).p99() / 1e3;
					this.results.put(at + "latency p99 (ms), " + where[i], target, value, false,
							versus(BenchmarkRunner.SINGLE_AT_RATE + "latency p99 (ms)", value, false));
				}
				for (int i = 0; i < 2; i++) {
					double value = latency.get(i).p999() / 1e3;
					this.results.put(at + "latency p99.9 (ms), " + where[i], target, value, false,
							versus(BenchmarkRunner.SINGLE_AT_RATE + "latency p99.9 (ms)", value, false));
				}
				for (int i = 0; i < 2; i++) {
					double value = latency.get(i).max() / 1e3;
					this.results.put(at + "latency max (ms), " + where[i], target, value, false,
							versus(BenchmarkRunner.SINGLE_AT_RATE + "latency max (ms)", value, false));
				}
				for (int i = 0; i < 2; i++) {
					this.results.put(at + "publisher behind schedule, max (ms), " + where[i], target,
							latency.get(i).behindMax() / 1e3, false, "");
				}
				for (int i = 0; i < 2; i++) {
					this.results.putSequences(at, ", " + where[i], target, latency.get(i).sequences());
				}
			}
			finally {
				load.closeAll(onA.connections());
				load.closeAll(onB.connections());
			}
		}
	}

	/**
	 * Publish a few messages on node A until node B's subscribers get them all: node B
	 * listens to Redis and node A has seen Redis up, at most 20 s.
	 */
	static void awaitRelay(LoadTool load, ServerProcess a, List<List<WsConnection>> groups)
			throws IOException, InterruptedException {
		long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
		int attempt = 0;
		while (true) {
			attempt++;
			List<Latency> probe = load.fixedRateByGroup(a.address(), Target.STARTER, groups, 10, Duration.ZERO,
					Duration.ofSeconds(1));
			if (probe.get(0).lost() == 0 && probe.get(1).lost() == 0) {
				BenchmarkRunner.log("  relay up: probe " + attempt + " reached both nodes");
				return;
			}
			if (System.nanoTime() > deadline) {
				throw new IOException("The relay did not reach node B within 20 s: " + probe);
			}
			Thread.sleep(500);
		}
	}

	/**
	 * CPU ticks: node A, its relay thread, its Lettuce threads, node B, its Lettuce
	 * threads.
	 */
	private static long[] cpu(ServerProcess a, ServerProcess b) {
		return new long[] { a.threadCpuTicks(""), a.threadCpuTicks("ws-cluster-rel"), a.threadCpuTicks("lettuce"),
				b.threadCpuTicks(""), b.threadCpuTicks("lettuce") };
	}

	private static double percent(long ticks, double seconds) {
		// Clock ticks are 10 ms on Linux (USER_HZ 100): ticks / seconds is a percentage
		return ticks / seconds;
	}

	/**
	 * The single-node figure of this run next to a two-node one, for the target column.
	 */
	private String versus(String singleFigure, double value, boolean higherIsBetter) {
		Double single = this.results.value(singleFigure, Target.STARTER);
		if (single == null || single.isNaN() || single == 0 || value == 0) {
			return "";
		}
		double ratio = higherIsBetter ? value / single : single / value;
		return "single node: " + ResultsTable.format(single) + " (two nodes "
				+ String.format(Locale.ROOT, "%.2fx", ratio) + ")";
	}

	/**
	 * The PUBLISH and SPUBLISH calls (multicasts go to shard channels) in a snapshot of
	 * {@code INFO commandstats}, or their microseconds with {@code .usec}.
	 */
	static long publishes(Map<String, Long> stats, String suffix) {
		return stats.getOrDefault("publish" + suffix, 0L) + stats.getOrDefault("spublish" + suffix, 0L);
	}

	/**
	 * Redis's own counts at the start and end of the closed loop's measured interval.
	 */
	private static final class RedisWindow implements LoadTool.Window {

		private final RedisProcess redis;

		private Map<String, Long> before = Map.of();

		private Map<String, Long> after = Map.of();

		private long started;

		private long ended;

		RedisWindow(RedisProcess redis) {
			this.redis = redis;
		}

		@Override
		public void started() {
			this.before = stats();
			this.started = System.nanoTime();
		}

		@Override
		public void ended() {
			this.ended = System.nanoTime();
			this.after = stats();
		}

		double seconds() {
			return (this.ended - this.started) / 1e9;
		}

		/**
		 * PUBLISH and SPUBLISH calls Redis served per second in the interval: node A
		 * publishes each multicast to its subscription's shard channel once, and the
		 * nodes' other publications count too.
		 */
		double publishesPerSecond() {
			return (publishes(this.after, "") - publishes(this.before, "")) / seconds();
		}

		private Map<String, Long> stats() {
			try {
				return this.redis.stats();
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}

	}

}
