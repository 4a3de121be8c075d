package dev.websocketstarter.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

import dev.websocketstarter.benchmarks.load.Fanout;
import dev.websocketstarter.benchmarks.load.Latency;
import dev.websocketstarter.benchmarks.load.LoadTool;
import dev.websocketstarter.benchmarks.load.Target;
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
 * {@code fanout connections cluster tail logview jmh}. {@code cluster} runs starter nodes
 * through one Redis, 2, 3 and 4 of them ({@code -Dbench.nodes=2,3,4}), in two scenarios
 * ({@link ClusterPhase}), and prints a table of its own; {@code twonode}, not part of
 * {@code all}, is the earlier two-node run with latency at a fixed rate, and runs the
 * single-node starter fan-out too, for comparison, when {@code fanout} is not asked for.
 * Both need {@code redis-server} on the PATH (or {@code -Dbench.redisServer}).
 * {@code logview} runs the log-view sample from its jar and shows it in Debian's Chromium
 * ({@code /usr/bin/chromium}); without either its figures are n/a. The {@code nio}
 * target, a bare NIO relay of the benchmark's own, is the fan-out floor: it has columns
 * of its own in the table, and a note gives the starter's fan-out figures as multiples of
 * its. The {@code floor} target, a Servlet upgrade with no WebSocket layer, takes part in
 * {@code connections} only, and is reported in the notes. The {@code container} target,
 * the starter on Tomcat's WebSocket layer ({@code websocket.transport=container}), takes
 * part in {@code fanout} and {@code connections}, and is reported in the notes too.
 */
public final class BenchmarkRunner {

	static final int SUBSCRIBERS = 1000;

	static final int WINDOW = 64;

	static final int RATE = 50;

	static final String HEAP = "2g";

	/**
	 * The log-view sample's default refresh; {@code -Dbench.logviewRefresh} (ms) for
	 * others.
	 */
	static final long LOGVIEW_REFRESH_MILLIS = 1000;

	/**
	 * About 20 s of appends at 100 to 400 ms apart: enough for a median and a maximum,
	 * not for a p99 (it would be the maximum).
	 */
	static final int LOGVIEW_LINES = 80;

	/**
	 * Subscribers on each of the two nodes of the cluster run, as many in all as single
	 * node.
	 */
	static final int NODE_SUBSCRIBERS = SUBSCRIBERS / 2;

	static final String SINGLE_CLOSED_LOOP = "Fan-out, closed loop (window " + WINDOW + "): deliveries/s";

	static final String SINGLE_AT_RATE = "At " + RATE + " msg/s (" + RATE * SUBSCRIBERS / 1000 + "k deliveries/s): ";

	static final Path OUT = Path.of("target");

	/**
	 * The {@code -D} knobs the runner and its phases read, each passed by the pom, empty
	 * when not set; {@code bench.logviewJar}, which the pom always sets, is not one.
	 */
	static final List<String> KNOBS = List.of("bench.targets", "bench.jfr", "bench.diagnose", "bench.serverJvm",
			"bench.serverArgs", "bench.redisServer", "bench.logviewRefresh", "bench.chromium", "bench.nodes");

	/** How the notes name the {@code container} target. */
	static final String CONTAINER_NOTE = "Starter on Tomcat's WebSocket layer (websocket.transport=container)";

	private final ResultsTable results = new ResultsTable();

	private final List<String> notes = new ArrayList<>();

	/** Tables of phases that print their own, after the main one. */
	private final List<String> sections = new ArrayList<>();

	private final ConnectionsPhase connections = new ConnectionsPhase(this.results, this.notes);

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
		log("Phases: " + String.join(" ", phases) + "; knobs set: " + knobsSet());
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
			List<String> jvm = new ArrayList<>((target == Target.STARTER) ? jfr : List.of());
			if (Boolean.getBoolean("bench.diagnose")) {
				jvm.add("-XX:NativeMemoryTracking=summary");
			}
			if (phases.contains("fanout") && target != Target.FLOOR) {
				fanout(target, port++, jvm);
			}
			if (phases.contains("connections")) {
				this.connections.idle(target, port++, port++, jvm);
				// A STOMP client must read the CONNECTED frame, which would come
				// compressed; the NIO relay never agrees to compression, so its figure
				// would be the one without
				if (target != Target.FLOOR && target != Target.NIO && !target.stomp()) {
					this.connections.browser(target, port++, jvm);
				}
			}
		}
		if (phases.contains("fanout")) {
			floorNote();
		}
		List<String> clusterJvm = Boolean.getBoolean("bench.diagnose") ? List.of("-XX:NativeMemoryTracking=summary")
				: List.of();
		if (phases.contains("cluster") && (only.isEmpty() || only.contains("starter"))) {
			this.sections.add("Cluster through one Redis:\n\n" + new ClusterPhase().run(nodeCounts(), clusterJvm));
		}
		if (phases.contains("twonode") && (only.isEmpty() || only.contains("starter"))) {
			List<String> jvm = clusterJvm;
			if (!phases.contains("fanout")) {
				log("starter, single node, for comparison with the two-node run:");
				fanout(Target.STARTER, port++, jvm);
			}
			new TwoNodePhase(this.results, this.notes).run(port++, port++, jvm);
		}
		if (phases.contains("presence") && (only.isEmpty() || only.contains("starter"))) {
			new PresencePhase(this.results).run(port++);
		}
		if (phases.contains("history") && (only.isEmpty() || only.contains("starter"))) {
			new HistoryPhase(this.results).run(port);
			port += 6;
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
		String table = this.results.isEmpty() ? "" : this.results.render();
		for (String section : this.sections) {
			table += (table.isEmpty() ? "" : "\n") + section;
		}
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
				Fanout fanout = load.closedLoop(server.address(), target, opened.connections(), WINDOW,
						Duration.ofSeconds(5), Duration.ofSeconds(15));
				log("  closed loop: " + fanout);
				Latency latency = load.fixedRate(server.address(), target, opened.connections(), RATE,
						Duration.ofSeconds(3), Duration.ofSeconds(15));
				log("  fixed rate: " + latency);
				if (target == Target.CONTAINER) {
					this.notes.add(String.format(Locale.ROOT,
							"%s: %d of %d subscribers; closed loop (window %d): %s; at %d msg/s: %s.", CONTAINER_NOTE,
							opened.ready(), SUBSCRIBERS, WINDOW, fanout, RATE, latency));
					return;
				}
				this.results.put(SINGLE_CLOSED_LOOP, target, fanout.deliveriesPerSecond(), true,
						">= 10x STOMP, >= 5x decorator");
				this.results.putSequences("Fan-out, closed loop: ", "", target, fanout.sequences());
				this.results.put("Fan-out, closed loop: subscribers closed by server", target, fanout.closedByServer(),
						false, "0");
				this.results.put(SINGLE_AT_RATE + "deliveries/s", target, latency.deliveriesPerSecond(), true, "");
				this.results.put(SINGLE_AT_RATE + "latency p50 (ms)", target, latency.p50() / 1e3, false, "");
				this.results.put(SINGLE_AT_RATE + "latency p99 (ms)", target, latency.p99() / 1e3, false, "<= 10");
				this.results.put(SINGLE_AT_RATE + "latency p99.9 (ms)", target, latency.p999() / 1e3, false, "");
				this.results.put(SINGLE_AT_RATE + "latency max (ms)", target, latency.max() / 1e3, false, "");
				this.results.put(SINGLE_AT_RATE + "publisher behind schedule, max (ms)", target,
						latency.behindMax() / 1e3, false, "");
				this.results.putSequences(SINGLE_AT_RATE, "", target, latency.sequences());
			}
			finally {
				load.closeAll(opened.connections());
			}
		}
	}

	/**
	 * The starter's fan-out figures as multiples of the bare NIO relay's, the floor: the
	 * way round a goal such as "p99 at most the floor's" reads, where the table puts each
	 * ratio the way round that makes above 1 better.
	 */
	private void floorNote() {
		List<String> figures = List.of(SINGLE_CLOSED_LOOP, SINGLE_AT_RATE + "latency p50 (ms)",
				SINGLE_AT_RATE + "latency p99 (ms)", SINGLE_AT_RATE + "latency p99.9 (ms)");
		double[] ratios = new double[figures.size()];
		for (int i = 0; i < ratios.length; i++) {
			Double starter = this.results.value(figures.get(i), Target.STARTER);
			Double floor = this.results.value(figures.get(i), Target.NIO);
			if (starter == null || floor == null) {
				return;
			}
			ratios[i] = starter / floor;
		}
		this.notes.add(String.format(Locale.ROOT,
				"Starter as a multiple of the bare NIO relay (the fan-out floor), starter/relay in this run: closed-loop"
						+ " deliveries/s %.2fx; at %d msg/s latency p50 %.2fx, p99 %.2fx, p99.9 %.2fx (goal: p99 <="
						+ " 1.00x).",
				ratios[0], RATE, ratios[1], ratios[2], ratios[3]));
	}

	private void tail() throws IOException, InterruptedException {
		Path directory = Files.createDirectories(OUT.resolve("tail"));
		log("Tailer: live writer, 5 s");
		TailerBenchmark.Live live = TailerBenchmark.live(directory, Duration.ofSeconds(5));
		log("  " + live);
		// What it reads rather than skips depends on scheduling: no rate of it is shown
		String writer = "Tailer, writer as fast as possible (5 s, at most 4 GiB): ";
		this.results.put(writer + "lines/s written", Target.STARTER, live.writtenPerSecond(), true, "");
		this.results.put(writer + "lines written", Target.STARTER, live.linesWritten(), true, "");
		this.results.put(writer + "lines read", Target.STARTER, live.linesRead(), true, "");
		this.results.put(writer + "lines reported skipped", Target.STARTER, live.linesSkipped(), false, "");
		this.results.put(writer + "lines neither read nor reported skipped", Target.STARTER, live.unaccounted(), false,
				"0");
		log("Tailer: catch up on 2,000,000 lines");
		TailerBenchmark.Result catchUp = TailerBenchmark.catchUp(directory, 2_000_000);
		log("  " + catchUp);
		this.results.put("Tailer, catching up on 2M lines: lines/s read and batched", Target.STARTER,
				catchUp.linesPerSecond(), true, ">= 1000000");
	}

	/**
	 * The log viewer end to end: a line appended to a followed file until it shows in the
	 * sample's page. Goal: within one refresh plus 50 ms. A missing browser or jar, or a
	 * failure on the way, leaves the figures n/a rather than losing the other phases.
	 */
	private void logview() {
		long refresh = Long.getLong("bench.logviewRefresh", LOGVIEW_REFRESH_MILLIS);
		String latency = "Log viewer append-to-page latency %s (ms), " + LOGVIEW_LINES + " lines, refresh " + refresh
				+ " ms";
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
			for (String percentile : List.of("p50", "max")) {
				this.results.notMeasured(latency.formatted(percentile), goal);
			}
			this.results.notMeasured(missing, "0");
			return;
		}
		this.results.put(latency.formatted("p50"), Target.STARTER, result.page().percentile(50), false, goal);
		this.results.put(latency.formatted("max"), Target.STARTER, result.page().max(), false, goal);
		this.results.put(missing, Target.STARTER, result.missing(), false, "0");
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
				this.results.put(what + ", " + size + " B payload (MB/s)", Target.STARTER, opsPerSecond * size / 1e6,
						true, "");
			}
			else {
				this.results.put("In-process multicast to 1,000 channels, no network: deliveries/s", Target.STARTER,
						opsPerSecond * MulticastBenchmark.SUBSCRIBERS, true, "");
			}
		}
	}

	/**
	 * The knobs given a value, and any other {@code bench.} property, which nothing
	 * reads.
	 */
	private static String knobsSet() {
		List<String> set = new ArrayList<>();
		for (String knob : KNOBS) {
			String value = System.getProperty(knob, "");
			if (!value.isBlank()) {
				set.add(knob + "=" + value);
			}
		}
		for (String name : new TreeSet<>(System.getProperties().stringPropertyNames())) {
			if (name.startsWith("bench.") && !KNOBS.contains(name) && !name.equals("bench.logviewJar")) {
				set.add(name + " (unknown, ignored)");
			}
		}
		return set.isEmpty() ? "none" : String.join(", ", set);

	}

	/**
	 * The numbers of nodes of the cluster phase, {@code -Dbench.nodes} (default
	 * {@code 2,3,4}), in increasing order, each from 1 to 8.
	 */
	private static List<Integer> nodeCounts() {
		String property = System.getProperty("bench.nodes", "");
		Set<Integer> counts = new TreeSet<>();
		for (String count : (property.isBlank() ? "2,3,4" : property).split("[ ,]+")) {
			if (!count.isBlank()) {
				int nodes = Integer.parseInt(count.strip());
				if (nodes < 1 || nodes > 8) {
					throw new IllegalArgumentException("bench.nodes: " + nodes + " is not from 1 to 8");
				}
				counts.add(nodes);
			}
		}
		return new ArrayList<>(counts);
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

	static void log(String message) {
		System.out.println("[bench] " + message);
		System.out.flush();
	}

}
