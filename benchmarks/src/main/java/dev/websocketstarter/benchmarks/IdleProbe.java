package dev.websocketstarter.benchmarks;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.websocketstarter.benchmarks.load.LoadTool;
import dev.websocketstarter.benchmarks.load.Target;

/**
 * A diagnostic, not part of the table: RSS, committed heap and live heap of one server at
 * several connection counts, to tell what grows with the connections from what grows with
 * the handshakes. Opens 100 connections, then 14,900 more in equal steps; at each count
 * it prints the RSS and G1's heap, runs a full GC through a class histogram (written to
 * {@code target/idle-probe/<pid>-<count>.histo}), and prints the RSS and heap again, with
 * the native memory summary when the server runs with
 * {@code -XX:NativeMemoryTracking=summary}. Arguments: the target (e.g. {@code STARTER}),
 * a port, the number of steps, then JVM options for the server.
 */
public final class IdleProbe {

	private static final Path OUT = Path.of("target", "idle-probe");

	private IdleProbe() {
	}

	/**
	 * Run the probe.
	 * @param args the target, a port, the number of steps, then the server's JVM options
	 * @throws Exception if the server or a {@code jcmd} fails
	 */
	public static void main(String[] args) throws Exception {
		Target target = Target.valueOf(args[0]);
		int port = Integer.parseInt(args[1]);
		int steps = Integer.parseInt(args[2]);
		int total = 15_000;
		List<String> jvm = new ArrayList<>(Arrays.asList(args).subList(3, args.length));
		Files.createDirectories(OUT);
		try (ServerProcess server = ServerProcess.start(target, port, BenchmarkRunner.HEAP, OUT, jvm);
				LoadTool load = new LoadTool(2)) {
			List<LoadTool.Opened> all = new ArrayList<>();
			all.add(load.open(server.address(), target, 100, 64, Duration.ofSeconds(30)));
			report(server, 100, "warm");
			int per = (total - 100) / steps;
			for (int i = 1; i <= steps; i++) {
				LoadTool.Opened opened = load.open(server.address(), target, per, 64, Duration.ofSeconds(60));
				all.add(opened);
				Thread.sleep(3000);
				report(server, 100 + i * per, "open " + opened.ready() + " in " + opened.seconds());
			}
			for (LoadTool.Opened opened : all) {
				load.closeAll(opened.connections());
			}
		}
	}

	private static void report(ServerProcess server, int count, String what) throws Exception {
		long rss = server.rssKib();
		String heap = jcmd(server, "GC.heap_info");
		String histogram = jcmd(server, "GC.class_histogram");
		Files.writeString(OUT.resolve(server.pid() + "-" + count + ".histo"), histogram);
		long live = 0;
		for (String line : histogram.split("\n")) {
			if (line.startsWith("Total")) {
				String[] columns = line.trim().split("\\s+");
				live = Long.parseLong(columns[columns.length - 1]);
			}
		}
		Thread.sleep(2000);
		long rssGc = server.rssKib();
		String heapGc = jcmd(server, "GC.heap_info");
		String nmt = jcmd(server, "VM.native_memory summary");
		System.out.printf("%6d %s: rss %d KiB, %s | after GC: rss %d KiB, live %d KiB, %s%n%s%n", count, what, rss,
				first(heap), rssGc, live / 1024, first(heapGc), nmtLines(nmt));
	}

	private static String first(String heapInfo) {
		for (String line : heapInfo.split("\n")) {
			if (line.contains("garbage-first heap")) {
				return line.trim().replaceAll("\\[.*", "");
			}
		}
		return heapInfo;
	}

	private static String nmtLines(String nmt) {
		StringBuilder out = new StringBuilder();
		for (String line : nmt.split("\n")) {
			if (line.startsWith("Total") || line.startsWith("-")) {
				out.append("    ").append(line.trim()).append('\n');
			}
			else if (line.contains("(reserved=") && out.length() > 0 && !line.contains("mmap")
					&& !line.contains("malloc")) {
				out.append("    ").append(line.trim()).append('\n');
			}
		}
		return out.toString();
	}

	private static String jcmd(ServerProcess server, String command) throws Exception {
		String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
		List<String> args = new ArrayList<>(List.of(jcmd, Long.toString(server.pid())));
		args.addAll(List.of(command.split(" ")));
		Process process = new ProcessBuilder(args).redirectErrorStream(true).start();
		String text;
		try (var output = new BufferedReader(new InputStreamReader(process.getInputStream()))) {
			text = String.join("\n", output.lines().toList());
		}
		process.waitFor(60, TimeUnit.SECONDS);
		return text;
	}

}
