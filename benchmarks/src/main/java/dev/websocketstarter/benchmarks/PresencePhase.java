package dev.websocketstarter.benchmarks;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.websocketstarter.benchmarks.load.LoadTool;
import dev.websocketstarter.benchmarks.load.Target;
import dev.websocketstarter.benchmarks.load.WsConnection;

/**
 * The presence phase: {@value #MEMBERS} members join one subscription of a clustered
 * starter node, with presence off, with its events, and with its diffs too: how long they
 * take to join, what the node sends them meanwhile, and what the node's heap and Redis
 * hold per member.
 */
final class PresencePhase {

	static final int MEMBERS = 10_000;

	private static final Duration DIFFS = Duration.ofSeconds(1);

	private final ResultsTable results;

	PresencePhase(ResultsTable results) {
		this.results = results;
	}

	void run(int port) throws IOException, InterruptedException {
		run(port, false, Duration.ZERO);
		run(port, true, Duration.ZERO);
		run(port, true, DIFFS);
	}

	private void run(int port, boolean presence, Duration diffs) throws IOException, InterruptedException {
		Target target = Target.STARTER;
		Path logs = BenchmarkRunner.OUT.resolve("logs");
		String mode = !presence ? "presence off"
				: diffs.isZero() ? "events only" : "diffs every " + diffs.toSeconds() + " s";
		BenchmarkRunner.log("starter with presence: " + MEMBERS + " members joining one subscription, " + mode);
		try (RedisProcess redis = RedisProcess.start(logs)) {
			List<String> arguments = new ArrayList<>(RedisProcess.clusterArguments(redis, "bench-presence"));
			arguments.add("--websocket.apps.bench.presence=" + presence);
			arguments.add("--websocket.apps.bench.presence-diffs=" + diffs.toMillis() + "ms");
			try (ServerProcess server = ServerProcess.start(target, port, BenchmarkRunner.HEAP, logs, List.of(),
					arguments); LoadTool load = new LoadTool(2)) {
				long memoryBefore = redis.usedMemory();
				long heapBefore = server.liveHeapBytes();
				LoadTool.Opened opened = load.open(server.address(), target, MEMBERS, 64, Duration.ofSeconds(120));
				long received = settled(opened.connections(), diffs);
				long bytes = opened.connections().stream().mapToLong(WsConnection::bytes).sum();
				long memoryAfter = settledMemory(redis);
				long heapAfter = server.liveHeapBytes();
				BenchmarkRunner.log("  " + opened.ready() + " joined in " + String.format("%.1f", opened.seconds())
						+ " s, " + opened.failed() + " failed " + opened.firstFailure() + "; " + received
						+ " messages (" + bytes + " bytes) to them; Redis used_memory " + memoryBefore + " -> "
						+ memoryAfter + "; live heap " + heapBefore + " -> " + heapAfter);
				String prefix = "Presence, " + MEMBERS + " members joining one subscription (" + mode + "): ";
				this.results.put(prefix + "seconds to join", target, opened.seconds(), false, "");
				this.results.put(prefix + "messages sent to the members", target, received, false, "");
				this.results.put(prefix + "MiB sent to the members", target, bytes / 1048576.0, false, "");
				this.results.put(prefix + "node's live heap per member (bytes)", target,
						(double) (heapAfter - heapBefore) / Math.max(1, opened.ready()), false, "");
				this.results.put(prefix + "Redis memory per member (bytes)", target,
						(double) (memoryAfter - memoryBefore) / Math.max(1, opened.ready()), false, "");
				load.closeAll(opened.connections());
			}
		}
	}

	/**
	 * Redis memory once the node's channels are all written: two equal reads a second
	 * apart, at most 30 s.
	 */
	private static long settledMemory(RedisProcess redis) throws IOException, InterruptedException {
		long deadline = System.currentTimeMillis() + 30_000;
		long last = redis.usedMemory();
		while (System.currentTimeMillis() < deadline) {
			Thread.sleep(1000);
			long now = redis.usedMemory();
			if (now == last) {
				break;
			}
			last = now;
		}
		return last;
	}

	/**
	 * The messages the members received, once no more came for two diff intervals (one
	 * second without diffs), at most 60 s.
	 */
	private static long settled(List<WsConnection> connections, Duration diffs) throws InterruptedException {
		long quiet = Math.max(1000, 2 * diffs.toMillis());
		long deadline = System.currentTimeMillis() + 60_000;
		long last = -1;
		long lastChange = System.currentTimeMillis();
		while (System.currentTimeMillis() < deadline) {
			long total = connections.stream().mapToLong(WsConnection::messages).sum();
			if (total != last) {
				last = total;
				lastChange = System.currentTimeMillis();
			}
			else if (System.currentTimeMillis() - lastChange >= quiet) {
				break;
			}
			Thread.sleep(100);
		}
		return last;
	}

}
