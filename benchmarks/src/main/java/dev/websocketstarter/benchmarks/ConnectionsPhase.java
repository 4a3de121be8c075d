package dev.websocketstarter.benchmarks;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import dev.websocketstarter.benchmarks.load.LoadTool;
import dev.websocketstarter.benchmarks.load.Target;

/**
 * The connections phase: idle connections held by a freshly started server, how fast they
 * were opened and what the server holds for each.
 */
final class ConnectionsPhase {

	static final int IDLE_CONNECTIONS = 15_000;

	static final int WARM_CONNECTIONS = 100;

	/**
	 * Fewer than {@link #IDLE_CONNECTIONS}: a server that compresses holds far more per
	 * connection.
	 */
	static final int BROWSER_CONNECTIONS = 5_000;

	private final ResultsTable results;

	private final List<String> notes;

	ConnectionsPhase(ResultsTable results, List<String> notes) {
		this.results = results;
		this.notes = notes;
	}

	/**
	 * Hold {@link #IDLE_CONNECTIONS} idle connections on a freshly started server; for
	 * the targets in the table, first measure the handshake rate of a cold server on
	 * another.
	 * @param coldPort the port of the cold server
	 * @param port the port of the server that holds the connections
	 */
	void idle(Target target, int coldPort, int port, List<String> jvm) throws IOException, InterruptedException {
		boolean inTable = target != Target.FLOOR && target != Target.CONTAINER;
		LoadTool.Opened cold = inTable ? cold(target, coldPort, jvm) : null;
		BenchmarkRunner.log(target.label() + ": " + IDLE_CONNECTIONS + " idle connections");
		try (ServerProcess server = ServerProcess.start(target, port, BenchmarkRunner.HEAP,
				BenchmarkRunner.OUT.resolve("logs"), jvm)) {
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
						BenchmarkRunner.CONTAINER_NOTE, run.held(), IDLE_CONNECTIONS, run.handshakesPerSecond(),
						run.rssPerConnection(), run.heapPerConnection(), run.rssAfter() / 1024.0));
			}
			else {
				this.results.put("Idle connections held (of " + IDLE_CONNECTIONS + ", 60 s limit)", target, run.held(),
						true, "15000");
				this.results.put("Handshakes/s while opening them", target, run.handshakesPerSecond(), true, ">= 1000");
				this.results.put(
						"Handshakes/s, the first " + IDLE_CONNECTIONS
								+ " to a freshly started server (cold JVM, 60 s limit)",
						target, cold.perSecond(), true, ">= 1000");
				this.results.put("Server RSS growth per idle connection (KiB)", target, run.rssPerConnection(), false,
						"<= 16");
				this.results.put("Server RSS with all connections open (MiB)", target, run.rssAfter() / 1024.0, false,
						"");
				this.results.put("Live heap per idle connection, after a full GC (KiB)", target,
						run.heapPerConnection(), false, "");
			}
		}
	}

	/**
	 * Open {@link #IDLE_CONNECTIONS} connections to a freshly started server at once,
	 * with nothing before them, as clients reconnecting after a deploy or a restart do:
	 * the server's JVM interprets and compiles its handshake path while they come in.
	 * Only the server is fresh: the load tool's JVM is as warm as the phases run before
	 * in it left it (after {@code fanout}, warm).
	 */
	private LoadTool.Opened cold(Target target, int port, List<String> jvm) throws IOException, InterruptedException {
		BenchmarkRunner
			.log(target.label() + ": the first " + IDLE_CONNECTIONS + " connections to a freshly started server");
		try (ServerProcess server = ServerProcess.start(target, port, BenchmarkRunner.HEAP,
				BenchmarkRunner.OUT.resolve("logs"), jvm); LoadTool load = new LoadTool(2)) {
			LoadTool.Opened opened = load.open(server.address(), target, IDLE_CONNECTIONS, 64, Duration.ofSeconds(60));
			BenchmarkRunner.log(String.format(Locale.ROOT, "  %d opened in %.1f s, %,.0f/s; %d failed %s",
					opened.ready(), opened.seconds(), opened.perSecond(), opened.failed(), opened.firstFailure()));
			load.closeAll(opened.connections());
			return opened;
		}
	}

	/**
	 * Idle connections whose handshake offers permessage-deflate, as every browser's
	 * does: a server that accepts it keeps compression state per connection.
	 */
	void browser(Target target, int port, List<String> jvm) throws IOException, InterruptedException {
		BenchmarkRunner
			.log(target.label() + ": " + BROWSER_CONNECTIONS + " idle connections offering permessage-deflate");
		try (ServerProcess server = ServerProcess.start(target, port, BenchmarkRunner.HEAP,
				BenchmarkRunner.OUT.resolve("logs"), jvm)) {
			IdleRun run = holdIdle(server, target, BROWSER_CONNECTIONS, true, false);
			if (target == Target.CONTAINER) {
				this.notes.add(String.format(Locale.ROOT,
						"%s, %d idle connections offering permessage-deflate: RSS growth %.1f KiB per connection.",
						BenchmarkRunner.CONTAINER_NOTE, BROWSER_CONNECTIONS, run.rssPerConnection()));
			}
			else {
				this.results.put(
						"Server RSS growth per idle connection offering permessage-deflate, as browsers do ("
								+ BROWSER_CONNECTIONS + " connections, KiB)",
						target, run.rssPerConnection(), false, "");
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
			BenchmarkRunner.log("  " + opened.ready() + " opened in "
					+ String.format(Locale.ROOT, "%.1f", opened.seconds()) + " s, " + opened.failed() + " failed "
					+ opened.firstFailure() + "; RSS " + rssBefore + " -> " + rssAfter + " KiB");
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
			Path out = BenchmarkRunner.OUT.resolve("logs")
				.resolve(target.name().toLowerCase(Locale.ROOT) + "-" + command.replaceAll("[ .]", "-") + ".txt");
			List<String> args = new ArrayList<>(List.of(jcmd, Long.toString(server.pid())));
			args.addAll(List.of(command.split(" ")));
			new ProcessBuilder(args).redirectErrorStream(true)
				.redirectOutput(out.toFile())
				.start()
				.waitFor(60, TimeUnit.SECONDS);
			BenchmarkRunner.log("  wrote " + out);
		}
	}

}
