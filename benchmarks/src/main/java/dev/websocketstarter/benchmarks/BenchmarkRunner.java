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
 * {@code fanout connections tail jmh}.
 */
public final class BenchmarkRunner {

	static final int SUBSCRIBERS = 1000;

	static final int WINDOW = 64;

	static final int RATE = 50;

	static final int IDLE_CONNECTIONS = 15_000;

	static final int WARM_CONNECTIONS = 100;

	static final String HEAP = "2g";

	private static final Path OUT = Path.of("target");

	private final Map<String, Row> rows = new LinkedHashMap<>();

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
			phases.addAll(List.of("fanout", "connections", "tail", "jmh"));
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
			if (phases.contains("fanout")) {
				fanout(target, port++, jvm);
			}
			if (phases.contains("connections")) {
				connections(target, port++, jvm);
			}
		}
		if (phases.contains("tail")) {
			tail();
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
		System.out.println();
		System.out.println(table + footer);
		Files.createDirectories(OUT);
		Files.writeString(OUT.resolve("benchmark-results.md"), table + footer);
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

	private void connections(Target target, int port, List<String> jvm) throws IOException, InterruptedException {
		log(target.label() + ": " + IDLE_CONNECTIONS + " idle connections");
		try (ServerProcess server = ServerProcess.start(target, port, HEAP, OUT.resolve("logs"), jvm);
				LoadTool load = new LoadTool(2)) {
			LoadTool.Opened warm = load.open(server.address(), target, WARM_CONNECTIONS, 64, Duration.ofSeconds(30));
			Thread.sleep(2000);
			long rssBefore = server.rssKib();
			LoadTool.Opened opened = load.open(server.address(), target, IDLE_CONNECTIONS - WARM_CONNECTIONS, 64,
					Duration.ofSeconds(60));
			Thread.sleep(3000);
			long rssAfter = server.rssKib();
			int held = opened.ready() + warm.ready() - load.closedByServer();
			log("  " + opened.ready() + " opened in " + String.format(Locale.ROOT, "%.1f", opened.seconds()) + " s, "
					+ opened.failed() + " failed " + opened.firstFailure() + "; RSS " + rssBefore + " -> " + rssAfter
					+ " KiB");
			put("Idle connections held (of " + IDLE_CONNECTIONS + ", 60 s limit)", target, held, true, "15000");
			put("Handshakes/s while opening them", target, opened.perSecond(), true, ">= 1000");
			put("Server RSS growth per idle connection (KiB)", target,
					(opened.ready() > 0) ? (double) (rssAfter - rssBefore) / opened.ready() : Double.NaN, false,
					"<= 16");
			put("Server RSS with all connections open (MiB)", target, rssAfter / 1024.0, false, "");
			if (Boolean.getBoolean("bench.diagnose")) {
				diagnose(server, target);
			}
			load.closeAll(warm.connections());
			load.closeAll(opened.connections());
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

}
