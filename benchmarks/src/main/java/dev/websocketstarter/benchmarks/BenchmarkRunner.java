package dev.websocketstarter.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import dev.websocketstarter.benchmarks.load.LoadTool;
import dev.websocketstarter.benchmarks.load.Target;
import dev.websocketstarter.benchmarks.load.WsConnection;
import dev.websocketstarter.benchmarks.logview.LogViewLatency;
import dev.websocketstarter.benchmarks.micro.CodecBenchmark;
import dev.websocketstarter.benchmarks.micro.MulticastBenchmark;
import dev.websocketstarter.benchmarks.tail.TailerBenchmark;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs every benchmark against the starter and the baselines, each server in its own JVM,
 * and prints one table with ratios. Arguments: {@code all} (default) or any of
 * {@code fanout connections cluster tail logview jmh}. {@code cluster} is the two-node
 * run of the starter through Redis; it needs {@code redis-server} on the PATH (or
 * {@code -Dbench.redisServer}) and runs the single-node starter fan-out too, for
 * comparison, when {@code fanout} is not asked for. {@code logview} runs the log-view
 * sample from its jar and shows it in Debian's Chromium ({@code /usr/bin/chromium});
 * without either its figures are n/a. The {@code floor} target, a Servlet upgrade with no
 * WebSocket layer, takes part in {@code connections} only, and is reported in the notes.
 * The {@code container} target, the starter on Tomcat's WebSocket layer
 * ({@code websocket.transport=container}), takes part in {@code fanout} and
 * {@code connections}, and is reported in the notes too.
 */
public final class BenchmarkRunner {

	static final int SUBSCRIBERS = 1000;

	static final int WINDOW = 64;

	static final int RATE = 50;

	static final int IDLE_CONNECTIONS = 15_000;

	static final int WARM_CONNECTIONS = 100;

	/**
	 * Fewer than {@link #IDLE_CONNECTIONS}: a server that compresses holds far more per
	 * connection.
	 */
	static final int BROWSER_CONNECTIONS = 5_000;

	static final String HEAP = "2g";

	/**
	 * The log-view sample's default refresh; {@code -Dbench.logviewRefresh} (ms) for
	 * others.
	 */
	static final long LOGVIEW_REFRESH_MILLIS = 1000;

	/** About 20 s of appends at 100 to 400 ms apart. */
	static final int LOGVIEW_LINES = 80;

	/**
	 * Subscribers on each of the two nodes of the cluster run, as many in all as single
	 * node.
	 */
	static final int NODE_SUBSCRIBERS = SUBSCRIBERS / 2;

	private static final String SINGLE_CLOSED_LOOP = "Fan-out, closed loop (window " + WINDOW + "): deliveries/s";

	private static final String SINGLE_AT_RATE = "At " + RATE + " msg/s (" + RATE * SUBSCRIBERS / 1000
			+ "k deliveries/s): ";

	private static final Path OUT = Path.of("target");

	/** How the notes name the {@code container} target. */
	private static final String CONTAINER_NOTE = "Starter on Tomcat's WebSocket layer (websocket.transport=container)";

	private final Map<String, Row> rows = new LinkedHashMap<>();

	private final List<String> notes = new java.util.ArrayList<>();

	private BenchmarkRunner() {
	}

	public static void main(String[] args) throws Exception {
		Set<String> phases = new TreeSet<>();
		for (String arg : args) {
			for (String phase : arg.split("[ ,]+")) {
				if (!phase.isBlank()) {
					phases.add(phase);
				}
			}
		}
		if (phases.isEmpty() || phases.contains("all")) {
			phases.addAll(List.of("fanout", "connections", "cluster", "tail", "logview", "jmh"));
		}
		new BenchmarkRunner().run(phases);
	}

	private void run(Set<String> phases) throws Exception {
		String loadBefore = loadAverage();
		long started = System.nanoTime();
		log("Load average before: " + loadBefore + "; " + Runtime.getRuntime().availableProcessors() + " CPUs");
		List<String> jfr = Boolean.getBoolean("bench.jfr")
				? List.of("-XX:StartFlightRecording=settings=profile,filename=" + OUT.toAbsolutePath()
						+ "/starter.jfr,dumponexit=true")
				: List.of();
		int port = 18_081;
		String only = System.getProperty("bench.targets", "");
		for (Target target : Target.values()) {
			if (!only.isEmpty() && !only.contains(target.name().toLowerCase(Locale.ROOT))) {
				continue;
			}
			List<String> jvm = new java.util.ArrayList<>((target == Target.STARTER) ? jfr : List.of());
			if (Boolean.getBoolean("bench.diagnose")) {
				jvm.add("-XX:NativeMemoryTracking=summary");
			}
			if (phases.contains("fanout") && target != Target.FLOOR) {
				fanout(target, port++, jvm);
			}
			if (phases.contains("connections")) {
				connections(target, port++, jvm);
				// A STOMP client must read the CONNECTED frame, which would come
				// compressed
				if (target != Target.FLOOR && !target.stomp()) {
					browserConnections(target, port++, jvm);
				}
			}
		}
		if (phases.contains("cluster") && (only.isEmpty() || only.contains("starter"))) {
			List<String> jvm = Boolean.getBoolean("bench.diagnose") ? List.of("-XX:NativeMemoryTracking=summary")
					: List.of();
			if (!phases.contains("fanout")) {
				log("starter, single node, for comparison with the two-node run:");
				fanout(Target.STARTER, port++, jvm);
			}
			cluster(port++, port++, jvm);
		}
		if (phases.contains("tail")) {
			tail();
		}
		if (phases.contains("logview")) {
			logview();
		}
		if (phases.contains("jmh")) {
			jmh();
		}
		String table = table();
		String footer = String.format(Locale.ROOT,
				"%nLoad average before: %s, after: %s; %d CPUs; total %.0f s. Servers: -Xmx%s, Tomcat"
						+ " max-connections %d, otherwise defaults.%n",
				loadBefore, loadAverage(), Runtime.getRuntime().availableProcessors(),
				(System.nanoTime() - started) / 1e9, HEAP, ServerProcess.MAX_CONNECTIONS);
		StringBuilder notes = new StringBuilder();
		if (!this.notes.isEmpty()) {
			notes.append("\nNotes:\n");
			this.notes.forEach((note) -> notes.append("- ").append(note).append('\n'));
		}
		System.out.println();
		System.out.println(table + footer + notes);
		Files.createDirectories(OUT);
		Files.writeString(OUT.resolve("benchmark-results.md"), table + footer + notes);
	}

	private void fanout(Target target, int port, List<String> jvm) throws IOException, InterruptedException {
		log(target.label() + ": fan-out to " + SUBSCRIBERS + " subscribers");
		try (ServerProcess server = ServerProcess.start(target, port, HEAP, OUT.resolve("logs"), jvm);
				LoadTool load = new LoadTool(2)) {
			LoadTool.Opened opened = load.open(server.address(), target, SUBSCRIBERS, 64, Duration.ofSeconds(60));
			log("  " + opened.ready() + " subscribers ready, " + opened.failed() + " failed " + opened.firstFailure());
			// STOMP subscriptions are processed after the CONNECTED frame, asynchronously
			Thread.sleep(1000);
			try {
				LoadTool.Fanout fanout = load.closedLoop(server.address(), target, opened.connections(), WINDOW,
						Duration.ofSeconds(5), Duration.ofSeconds(15));
				log("  closed loop: " + fanout);
				if (target == Target.CONTAINER) {
					LoadTool.Latency latency = load.fixedRate(server.address(), target, opened.connections(), RATE,
							Duration.ofSeconds(3), Duration.ofSeconds(15));
					log("  fixed rate: " + latency);
					this.notes.add(String.format(Locale.ROOT,
							"%s: %d of %d subscribers; closed loop (window %d) %,.0f deliveries/s, %d lost, %d closed"
									+ " by server; at %d msg/s p50/p99/p99.9/max %.2f/%.2f/%.2f/%.2f ms, %d lost.",
							CONTAINER_NOTE, opened.ready(), SUBSCRIBERS, WINDOW, fanout.deliveriesPerSecond(),
							fanout.lost(), fanout.closedByServer(), RATE, latency.p50() / 1e3, latency.p99() / 1e3,
							latency.p999() / 1e3, latency.max() / 1e3, latency.lost()));
					return;
				}
				put("Fan-out, closed loop (window " + WINDOW + "): deliveries/s", target, fanout.deliveriesPerSecond(),
						true, ">= 10x STOMP, >= 5x decorator");
				put("Fan-out, closed loop: lost deliveries", target, fanout.lost(), false, "0");
				put("Fan-out, closed loop: subscribers closed by server", target, fanout.closedByServer(), false, "0");
				LoadTool.Latency latency = load.fixedRate(server.address(), target, opened.connections(), RATE,
						Duration.ofSeconds(3), Duration.ofSeconds(15));
				log("  fixed rate: " + latency);
				String at = "At " + RATE + " msg/s (" + RATE * SUBSCRIBERS / 1000 + "k deliveries/s): ";
				put(at + "deliveries/s", target, latency.deliveriesPerSecond(), true, "");
				put(at + "latency p50 (ms)", target, latency.p50() / 1e3, false, "");
				put(at + "latency p99 (ms)", target, latency.p99() / 1e3, false, "<= 10");
				put(at + "latency p99.9 (ms)", target, latency.p999() / 1e3, false, "");
				put(at + "latency max (ms)", target, latency.max() / 1e3, false, "");
				put(at + "lost deliveries", target, latency.lost(), false, "0");
			}
			finally {
				load.closeAll(opened.connections());
			}
		}
	}

	/**
	 * Two starter nodes sharing one Redis of their own: half the subscribers on each, the
	 * publisher on node A; deliveries to node A's subscribers are local, to node B's
	 * cross-node (node A publishes each message to Redis once, node B multicasts it).
	 */
	private void cluster(int portA, int portB, List<String> jvm) throws IOException, InterruptedException {
		Target target = Target.STARTER;
		Path logs = OUT.resolve("logs");
		log("starter, two nodes through Redis: fan-out to " + NODE_SUBSCRIBERS + " + " + NODE_SUBSCRIBERS
				+ " subscribers, publisher on node A");
		try (RedisProcess redis = RedisProcess.start(logs);
				ServerProcess a = ServerProcess.start(target, portA, HEAP, logs, jvm,
						RedisProcess.clusterArguments(redis, "bench-node-a"));
				ServerProcess b = ServerProcess.start(target, portB, HEAP, logs, jvm,
						RedisProcess.clusterArguments(redis, "bench-node-b"));
				LoadTool load = new LoadTool(2)) {
			log("  redis-server pid " + redis.pid() + " on 127.0.0.1:" + redis.port() + "; node A :" + portA
					+ ", node B :" + portB);
			LoadTool.Opened onA = load.open(a.address(), target, NODE_SUBSCRIBERS, 64, Duration.ofSeconds(60));
			LoadTool.Opened onB = load.open(b.address(), target, NODE_SUBSCRIBERS, 64, Duration.ofSeconds(60));
			log("  node A: " + onA.ready() + " subscribers ready, " + onA.failed() + " failed " + onA.firstFailure()
					+ "; node B: " + onB.ready() + " ready, " + onB.failed() + " failed " + onB.firstFailure());
			List<List<WsConnection>> groups = List.of(onA.connections(), onB.connections());
			try {
				awaitRelay(load, a, groups);
				String prefix = "Two nodes, " + NODE_SUBSCRIBERS + " + " + NODE_SUBSCRIBERS + " subscribers, ";
				Map<String, Long> redisBefore = redis.stats();
				long[] cpuBefore = cpu(a, b);
				long wallBefore = System.nanoTime();
				List<LoadTool.Fanout> fanout = load.closedLoopByGroup(a.address(), target, groups, WINDOW,
						Duration.ofSeconds(5), Duration.ofSeconds(15));
				double wall = (System.nanoTime() - wallBefore) / 1e9;
				long[] cpuAfter = cpu(a, b);
				Map<String, Long> redisAfter = redis.stats();
				LoadTool.Fanout local = fanout.get(0);
				LoadTool.Fanout remote = fanout.get(1);
				log("  closed loop: local " + local + ", cross-node " + remote);
				double both = local.deliveriesPerSecond() + remote.deliveriesPerSecond();
				put(prefix + "closed loop (window " + WINDOW + "): deliveries/s, both nodes", target, both, true,
						versus(SINGLE_CLOSED_LOOP, both, true));
				put(prefix + "closed loop: deliveries/s to node A (local)", target, local.deliveriesPerSecond(), true,
						"");
				put(prefix + "closed loop: deliveries/s to node B (cross-node)", target, remote.deliveriesPerSecond(),
						true, "");
				put(prefix + "closed loop: messages/s through Redis", target,
						remote.deliveriesPerSecond() / NODE_SUBSCRIBERS, true, "");
				put(prefix + "closed loop: lost deliveries, local", target, local.lost(), false, "0");
				put(prefix + "closed loop: lost deliveries, cross-node", target, remote.lost(), false, "0");
				put(prefix + "closed loop: subscribers closed by server", target, local.closedByServer(), false, "0");
				long publishes = redisAfter.getOrDefault("publish", 0L) - redisBefore.getOrDefault("publish", 0L);
				long publishUsec = redisAfter.getOrDefault("publish.usec", 0L)
						- redisBefore.getOrDefault("publish.usec", 0L);
				String evidence = String.format(Locale.ROOT,
						"Closed loop, %.1f s wall: %,d messages published, Redis served %,d PUBLISH (%.2f per message,"
								+ " %.1f us each inside Redis); CPU in %% of one core: node A %.0f%% (relay thread"
								+ " ws-cluster-relay %.0f%%, Lettuce threads %.0f%%), node B %.0f%% (Lettuce threads,"
								+ " which deliver the relayed messages, %.0f%%), redis-server %.0f%%, %d CPUs",
						wall, local.published(), publishes, (double) publishes / Math.max(1, local.published()),
						(double) publishUsec / Math.max(1, publishes), percent(cpuAfter[0] - cpuBefore[0], wall),
						percent(cpuAfter[1] - cpuBefore[1], wall), percent(cpuAfter[2] - cpuBefore[2], wall),
						percent(cpuAfter[3] - cpuBefore[3], wall), percent(cpuAfter[4] - cpuBefore[4], wall),
						(redisAfter.get("cpu") - redisBefore.get("cpu")) / 1e4 / wall,
						Runtime.getRuntime().availableProcessors());
				log("  " + evidence);
				this.notes.add("Two-node run: " + evidence);
				List<LoadTool.Latency> latency = load.fixedRateByGroup(a.address(), target, groups, RATE,
						Duration.ofSeconds(3), Duration.ofSeconds(15));
				log("  fixed rate: local " + latency.get(0) + ", cross-node " + latency.get(1));
				String at = prefix + "at " + RATE + " msg/s (" + RATE * SUBSCRIBERS / 1000 + "k deliveries/s): ";
				String[] where = { "local", "cross-node" };
				for (int i = 0; i < 2; i++) {
					put(at + "deliveries/s, " + where[i], target, latency.get(i).deliveriesPerSecond(), true, "");
				}
				for (int i = 0; i < 2; i++) {
					double value = latency.get(i).p50() / 1e3;
					put(at + "latency p50 (ms), " + where[i], target, value, false,
							versus(SINGLE_AT_RATE + "latency p50 (ms)", value, false));
				}
				for (int i = 0; i < 2; i++) {
					double value = latency.get(i).p99() / 1e3;
					put(at + "latency p99 (ms), " + where[i], target, value, false,
							versus(SINGLE_AT_RATE + "latency p99 (ms)", value, false));
				}
				for (int i = 0; i < 2; i++) {
					double value = latency.get(i).p999() / 1e3;
					put(at + "latency p99.9 (ms), " + where[i], target, value, false,
							versus(SINGLE_AT_RATE + "latency p99.9 (ms)", value, false));
				}
				for (int i = 0; i < 2; i++) {
					double value = latency.get(i).max() / 1e3;
					put(at + "latency max (ms), " + where[i], target, value, false,
							versus(SINGLE_AT_RATE + "latency max (ms)", value, false));
				}
				for (int i = 0; i < 2; i++) {
					put(at + "lost deliveries, " + where[i], target, latency.get(i).lost(), false, "0");
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
	private static void awaitRelay(LoadTool load, ServerProcess a, List<List<WsConnection>> groups)
			throws IOException, InterruptedException {
		long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
		int attempt = 0;
		while (true) {
			attempt++;
			List<LoadTool.Latency> probe = load.fixedRateByGroup(a.address(), Target.STARTER, groups, 10, Duration.ZERO,
					Duration.ofSeconds(1));
			if (probe.get(0).lost() == 0 && probe.get(1).lost() == 0) {
				log("  relay up: probe " + attempt + " reached both nodes");
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
		Row row = this.rows.get(singleFigure);
		Double single = (row != null) ? row.values.get(Target.STARTER) : null;
		if (single == null || single.isNaN() || single == 0 || value == 0) {
			return "";
		}
		double ratio = higherIsBetter ? value / single : single / value;
		return "single node: " + format(single) + " (two nodes " + String.format(Locale.ROOT, "%.2fx", ratio) + ")";
	}

	private void connections(Target target, int port, List<String> jvm) throws IOException, InterruptedException {
		log(target.label() + ": " + IDLE_CONNECTIONS + " idle connections");
		try (ServerProcess server = ServerProcess.start(target, port, HEAP, OUT.resolve("logs"), jvm)) {
			IdleRun run = holdIdle(server, target, IDLE_CONNECTIONS, false, true);
			if (target == Target.FLOOR) {
				this.notes.add(String.format(Locale.ROOT,
						"Floor, a Servlet upgrade with no WebSocket layer on the same Tomcat and the starter's"
								+ " socket buffers: %d of %d idle connections held, RSS growth %.1f KiB and live heap"
								+ " %.1f KiB per connection.",
						run.held(), IDLE_CONNECTIONS, run.rssPerConnection(), run.heapPerConnection()));
			}
			else if (target == Target.CONTAINER) {
				this.notes.add(String.format(Locale.ROOT,
						"%s: idle connections: %d of %d held, %,.0f handshakes/s, RSS growth %.1f KiB and live heap"
								+ " %.1f KiB per connection, RSS with all open %.0f MiB.",
						CONTAINER_NOTE, run.held(), IDLE_CONNECTIONS, run.handshakesPerSecond(), run.rssPerConnection(),
						run.heapPerConnection(), run.rssAfter() / 1024.0));
			}
			else {
				put("Idle connections held (of " + IDLE_CONNECTIONS + ", 60 s limit)", target, run.held(), true,
						"15000");
				put("Handshakes/s while opening them", target, run.handshakesPerSecond(), true, ">= 1000");
				put("Server RSS growth per idle connection (KiB)", target, run.rssPerConnection(), false, "<= 16");
				put("Server RSS with all connections open (MiB)", target, run.rssAfter() / 1024.0, false, "");
				put("Live heap per idle connection, after a full GC (KiB)", target, run.heapPerConnection(), false, "");
			}
		}
	}

	/**
	 * Idle connections whose handshake offers permessage-deflate, as every browser's
	 * does: a server that accepts it keeps compression state per connection.
	 */
	private void browserConnections(Target target, int port, List<String> jvm)
			throws IOException, InterruptedException {
		log(target.label() + ": " + BROWSER_CONNECTIONS + " idle connections offering permessage-deflate");
		try (ServerProcess server = ServerProcess.start(target, port, HEAP, OUT.resolve("logs"), jvm)) {
			IdleRun run = holdIdle(server, target, BROWSER_CONNECTIONS, true, false);
			if (target == Target.CONTAINER) {
				this.notes.add(String.format(Locale.ROOT,
						"%s, %d idle connections offering permessage-deflate: RSS growth %.1f KiB per connection.",
						CONTAINER_NOTE, BROWSER_CONNECTIONS, run.rssPerConnection()));
			}
			else {
				put("Server RSS growth per idle connection offering permessage-deflate, as browsers do ("
						+ BROWSER_CONNECTIONS + " connections, KiB)", target, run.rssPerConnection(), false, "");
			}
		}
	}

	/**
	 * Open {@code count} idle connections to a fresh server, the first
	 * {@link #WARM_CONNECTIONS} before the baseline, and measure what the server holds
	 * for the others; then close them all.
	 * @param offerCompression whether the handshakes offer permessage-deflate
	 * @param liveHeap whether to measure the live heap too (each time a full GC), and
	 * diagnose when {@code -Dbench.diagnose=true}
	 */
	private IdleRun holdIdle(ServerProcess server, Target target, int count, boolean offerCompression, boolean liveHeap)
			throws IOException, InterruptedException {
		try (LoadTool load = new LoadTool(2)) {
			LoadTool.Opened warm = load.open(server.address(), target, offerCompression, WARM_CONNECTIONS, 64,
					Duration.ofSeconds(30));
			// Collected before the RSS is read, in case the collection gives memory back
			long heapBefore = liveHeap ? server.liveHeapBytes() : 0;
			Thread.sleep(2000);
			long rssBefore = server.rssKib();
			LoadTool.Opened opened = load.open(server.address(), target, offerCompression, count - WARM_CONNECTIONS, 64,
					Duration.ofSeconds(60));
			Thread.sleep(3000);
			long rssAfter = server.rssKib();
			long heapAfter = liveHeap ? server.liveHeapBytes() : 0;
			log("  " + opened.ready() + " opened in " + String.format(Locale.ROOT, "%.1f", opened.seconds()) + " s, "
					+ opened.failed() + " failed " + opened.firstFailure() + "; RSS " + rssBefore + " -> " + rssAfter
					+ " KiB");
			if (liveHeap && Boolean.getBoolean("bench.diagnose")) {
				diagnose(server, target);
			}
			int held = opened.ready() + warm.ready() - load.closedByServer();
			load.closeAll(warm.connections());
			load.closeAll(opened.connections());
			return new IdleRun(opened.ready(), held, opened.perSecond(), rssBefore, rssAfter, heapBefore, heapAfter);
		}
	}

	/**
	 * Write the live heap (after a full GC) and the JVM's native memory of a server
	 * holding its idle connections, to see where the RSS per connection goes.
	 */
	private static void diagnose(ServerProcess server, Target target) throws IOException, InterruptedException {
		String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
		for (String command : List.of("GC.class_histogram", "VM.native_memory summary")) {
			Path out = OUT.resolve("logs")
				.resolve(target.name().toLowerCase(Locale.ROOT) + "-" + command.replaceAll("[ .]", "-") + ".txt");
			List<String> args = new java.util.ArrayList<>(List.of(jcmd, Long.toString(server.pid())));
			args.addAll(List.of(command.split(" ")));
			new ProcessBuilder(args).redirectErrorStream(true)
				.redirectOutput(out.toFile())
				.start()
				.waitFor(60, java.util.concurrent.TimeUnit.SECONDS);
			log("  wrote " + out);
		}
	}

	private void tail() throws IOException, InterruptedException {
		Path directory = Files.createDirectories(OUT.resolve("tail"));
		log("Tailer: live writer, 5 s");
		TailerBenchmark.Result live = TailerBenchmark.live(directory, Duration.ofSeconds(5));
		log("  " + live);
		put("Tailer, writer as fast as possible: lines/s read and batched", Target.STARTER, live.linesPerSecond(), true,
				">= 1000000");
		put("Tailer, writer as fast as possible: writer lines/s", Target.STARTER, live.writtenPerSecond(), true, "");
		put("Tailer, writer as fast as possible: lines skipped ahead", Target.STARTER, live.linesSkipped(), false, "");
		log("Tailer: catch up on 2,000,000 lines");
		TailerBenchmark.Result catchUp = TailerBenchmark.catchUp(directory, 2_000_000);
		log("  " + catchUp);
		put("Tailer, catching up on 2M lines: lines/s read and batched", Target.STARTER, catchUp.linesPerSecond(), true,
				">= 1000000");
	}

	/**
	 * The log viewer end to end: a line appended to a followed file until it shows in the
	 * sample's page. Goal: within one refresh plus 50 ms. A missing browser or jar, or a
	 * failure on the way, leaves the figures n/a rather than losing the other phases.
	 */
	private void logview() {
		long refresh = Long.getLong("bench.logviewRefresh", LOGVIEW_REFRESH_MILLIS);
		String latency = "Log viewer append-to-page latency %s (ms), refresh " + refresh + " ms";
		String goal = "<= " + (refresh + 50);
		String missing = "Log viewer: appended lines never shown in the page, refresh " + refresh + " ms";
		Path jar = Path
			.of(System.getProperty("bench.logviewJar", OUT.resolve("logview/sample-logview.jar").toString()));
		log("Log viewer: " + LOGVIEW_LINES + " lines appended 100-400 ms apart, shown in Chromium, refresh " + refresh
				+ " ms");
		String unavailable = LogViewLatency.unavailable(jar);
		LogViewLatency.Result result = null;
		if (unavailable != null) {
			log("  NOT MEASURED: " + unavailable);
		}
		else {
			try {
				Path directory = Files.createTempDirectory(Files.createDirectories(OUT.resolve("logview")), "run-");
				result = LogViewLatency.measure(jar, directory, OUT.resolve("logs"), Duration.ofMillis(refresh),
						LOGVIEW_LINES);
				log("  " + result);
			}
			catch (Exception ex) {
				log("  NOT MEASURED, failed: " + ex);
				ex.printStackTrace(System.out);
			}
		}
		if (result == null) {
			for (String percentile : List.of("p50", "p99", "max")) {
				notMeasured(latency.formatted(percentile), goal);
			}
			notMeasured(missing, "0");
			return;
		}
		put(latency.formatted("p50"), Target.STARTER, result.page().percentile(50), false, goal);
		put(latency.formatted("p99"), Target.STARTER, result.page().percentile(99), false, goal);
		put(latency.formatted("max"), Target.STARTER, result.page().max(), false, goal);
		put(missing, Target.STARTER, result.missing(), false, "0");
	}

	private void jmh() throws RunnerException {
		log("JMH: codec and in-process multicast");
		Options options = new OptionsBuilder()
			.include(CodecBenchmark.class.getName() + "|" + MulticastBenchmark.class.getName())
			.forks(1)
			.warmupIterations(2)
			.warmupTime(TimeValue.seconds(1))
			.measurementIterations(3)
			.measurementTime(TimeValue.seconds(1))
			.jvmArgs("-Xmx1g")
			.build();
		Collection<RunResult> results = new Runner(options).run();
		for (RunResult result : results) {
			String name = result.getParams().getBenchmark();
			String method = name.substring(name.lastIndexOf('.') + 1);
			double opsPerSecond = result.getPrimaryResult().getScore();
			if (name.startsWith(CodecBenchmark.class.getName())) {
				int size = Integer.parseInt(result.getParams().getParam("size"));
				String what = switch (method) {
					case "encode" -> "Codec: encode server frame";
					case "encodeMasked" -> "Codec: encode masked client frame";
					default -> "Codec: decode masked client frame";
				};
				put(what + ", " + size + " B payload (MB/s)", Target.STARTER, opsPerSecond * size / 1e6, true, "");
			}
			else {
				put("In-process multicast to 1,000 channels, no network: deliveries/s", Target.STARTER,
						opsPerSecond * MulticastBenchmark.SUBSCRIBERS, true, "");
			}
		}
	}

	private void put(String figure, Target target, double value, boolean higherIsBetter, String goal) {
		this.rows.computeIfAbsent(figure, (name) -> new Row(higherIsBetter, goal)).values.put(target, value);
	}

	/**
	 * A figure that could not be measured in this run: its row says n/a.
	 */
	private void notMeasured(String figure, String goal) {
		this.rows.computeIfAbsent(figure, (name) -> new Row(false, goal));
	}

	private String table() {
		StringBuilder table = new StringBuilder();
		table.append("| figure | starter | STOMP | starter vs STOMP | decorator | starter vs decorator | target |\n");
		table.append("| --- | ---: | ---: | ---: | ---: | ---: | --- |\n");
		this.rows.forEach((figure, row) -> {
			Double starter = row.values.get(Target.STARTER);
			table.append("| ").append(figure).append(" | ").append(format(starter));
			for (Target baseline : List.of(Target.STOMP, Target.DECORATOR)) {
				Double value = row.values.get(baseline);
				table.append(" | ").append(format(value)).append(" | ").append(ratio(row, starter, value));
			}
			table.append(" | ").append(row.goal).append(" |\n");
		});
		table.append("\nRatios are \"how many times better the starter is\": starter/baseline for figures where more is"
				+ " better, baseline/starter where less is better.\n");
		return table.toString();
	}

	private static String ratio(Row row, Double starter, Double baseline) {
		if (starter == null || baseline == null || starter.isNaN() || baseline.isNaN()) {
			return "";
		}
		if (starter == 0 && baseline == 0) {
			return "=";
		}
		double ratio = row.higherIsBetter ? starter / baseline : baseline / starter;
		return Double.isInfinite(ratio) ? "inf" : String.format(Locale.ROOT, "%.2fx", ratio);
	}

	private static String format(Double value) {
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

	private static String loadAverage() {
		try {
			String[] fields = Files.readString(Path.of("/proc/loadavg")).split(" ");
			return fields[0] + " " + fields[1] + " " + fields[2];
		}
		catch (IOException ex) {
			return "unknown";
		}
	}

	private static void log(String message) {
		System.out.println("[bench] " + message);
		System.out.flush();
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

	/**
	 * What {@link #holdIdle} measured.
	 *
	 * @param opened connections opened after the baseline
	 * @param held connections open at the end, the warm ones included
	 */
	private record IdleRun(int opened, int held, double handshakesPerSecond, long rssBefore, long rssAfter,
			long heapBefore, long heapAfter) {

		double rssPerConnection() {
			return (this.opened > 0) ? (double) (this.rssAfter - this.rssBefore) / this.opened : Double.NaN;
		}

		double heapPerConnection() {
			return (this.opened > 0) ? (this.heapAfter - this.heapBefore) / 1024.0 / this.opened : Double.NaN;
		}

	}

}
