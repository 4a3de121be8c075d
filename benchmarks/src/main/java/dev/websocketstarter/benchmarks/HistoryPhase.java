package dev.websocketstarter.benchmarks;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.websocketstarter.benchmarks.load.Fanout;
import dev.websocketstarter.benchmarks.load.Latency;
import dev.websocketstarter.benchmarks.load.LoadTool;
import dev.websocketstarter.benchmarks.load.Target;
import dev.websocketstarter.benchmarks.load.WsConnection;

/**
 * The history phase: the fan-out of the {@code fanout} and {@code cluster} phases with
 * the relay's subscription keeping no history and then keeping it (each message kept with
 * an offset and delivered wrapped in a {@code pub} frame), on one node and on two nodes
 * through Redis, where each multicast is one script that keeps and publishes it.
 */
final class HistoryPhase {

	private static final String KEEPS = "--websocket.apps.bench.history.subscriptions=/bench";

	private final ResultsTable results;

	HistoryPhase(ResultsTable results) {
		this.results = results;
	}

	void run(int port) throws IOException, InterruptedException {
		for (boolean history : new boolean[] { false, true }) {
			single(port++, history);
		}
		for (boolean history : new boolean[] { false, true }) {
			twoNodes(port++, port++, history);
		}
	}

	private void single(int port, boolean history) throws IOException, InterruptedException {
		Target target = Target.STARTER;
		String mode = mode(history);
		BenchmarkRunner.log("starter, one node, fan-out to " + BenchmarkRunner.SUBSCRIBERS + " subscribers, " + mode);
		Path logs = BenchmarkRunner.OUT.resolve("logs");
		try (ServerProcess server = ServerProcess.start(target, port, BenchmarkRunner.HEAP, logs, List.of(),
				history ? List.of(KEEPS) : List.of()); LoadTool load = new LoadTool(2)) {
			LoadTool.Opened opened = load.open(server.address(), target, BenchmarkRunner.SUBSCRIBERS, 64,
					Duration.ofSeconds(60));
			BenchmarkRunner.log("  " + opened.ready() + " subscribers ready, " + opened.failed() + " failed");
			Fanout fanout = load.closedLoop(server.address(), target, opened.connections(), BenchmarkRunner.WINDOW,
					Duration.ofSeconds(5), Duration.ofSeconds(15));
			Latency latency = load.fixedRate(server.address(), target, opened.connections(), BenchmarkRunner.RATE,
					Duration.ofSeconds(3), Duration.ofSeconds(15));
			BenchmarkRunner.log("  closed loop: " + fanout + "; fixed rate: " + latency);
			String prefix = "History " + mode + ", one node, " + BenchmarkRunner.SUBSCRIBERS + " subscribers: ";
			this.results.put(prefix + "closed loop deliveries/s", target, fanout.deliveriesPerSecond(), true, "");
			this.results.put(prefix + "closed loop lost deliveries", target, fanout.lost(), false, "0");
			this.results.put(prefix + "latency p99 (ms) at " + BenchmarkRunner.RATE + " msg/s", target,
					latency.p99() / 1e3, false, "");
		}
	}

	private void twoNodes(int portA, int portB, boolean history) throws IOException, InterruptedException {
		Target target = Target.STARTER;
		String mode = mode(history);
		BenchmarkRunner.log("starter, two nodes through Redis, fan-out to " + BenchmarkRunner.NODE_SUBSCRIBERS + " + "
				+ BenchmarkRunner.NODE_SUBSCRIBERS + " subscribers, " + mode);
		Path logs = BenchmarkRunner.OUT.resolve("logs");
		try (RedisProcess redis = RedisProcess.start(logs);
				ServerProcess a = ServerProcess.start(target, portA, BenchmarkRunner.HEAP, logs, List.of(),
						arguments(redis, "bench-history-a", history));
				ServerProcess b = ServerProcess.start(target, portB, BenchmarkRunner.HEAP, logs, List.of(),
						arguments(redis, "bench-history-b", history));
				LoadTool load = new LoadTool(2)) {
			LoadTool.Opened onA = load.open(a.address(), target, BenchmarkRunner.NODE_SUBSCRIBERS, 64,
					Duration.ofSeconds(60));
			LoadTool.Opened onB = load.open(b.address(), target, BenchmarkRunner.NODE_SUBSCRIBERS, 64,
					Duration.ofSeconds(60));
			List<List<WsConnection>> groups = List.of(onA.connections(), onB.connections());
			TwoNodePhase.awaitRelay(load, a, groups);
			List<Fanout> fanout = load.closedLoopByGroup(a.address(), target, groups, BenchmarkRunner.WINDOW,
					Duration.ofSeconds(5), Duration.ofSeconds(15), LoadTool.Window.NONE);
			BenchmarkRunner.log("  closed loop: node A " + fanout.get(0) + ", node B " + fanout.get(1));
			String prefix = "History " + mode + ", two nodes, " + BenchmarkRunner.NODE_SUBSCRIBERS + " + "
					+ BenchmarkRunner.NODE_SUBSCRIBERS + " subscribers: ";
			this.results.put(prefix + "closed loop deliveries/s, both nodes", target,
					fanout.get(0).deliveriesPerSecond() + fanout.get(1).deliveriesPerSecond(), true, "");
			this.results.put(prefix + "closed loop lost deliveries", target,
					fanout.get(0).lost() + fanout.get(1).lost(), false, "0");
		}
	}

	private static List<String> arguments(RedisProcess redis, String node, boolean history) {
		List<String> arguments = new ArrayList<>(RedisProcess.clusterArguments(redis, node));
		if (history) {
			arguments.add(KEEPS);
		}
		return arguments;
	}

	private static String mode(boolean history) {
		return history ? "on" : "off";
	}

}
