package dev.websocketstarter.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.websocketstarter.benchmarks.load.Target;

/**
 * A server under test in its own JVM, so that its RSS is its own.
 */
final class ServerProcess implements AutoCloseable {

	/** The one non-default setting, the same for every server: Tomcat's 8,192 cap. */
	static final int MAX_CONNECTIONS = 19_000;

	private final Process process;

	private final InetSocketAddress address;

	private ServerProcess(Process process, InetSocketAddress address) {
		this.process = process;
		this.address = address;
	}

	static ServerProcess start(Target target, int port, String heap, Path logs, List<String> extraJvmOptions)
			throws IOException, InterruptedException {
		return start(target, port, heap, logs, extraJvmOptions, List.of());
	}

	/**
	 * Start a server with application arguments of its own, such as the cluster settings
	 * of the two-node run.
	 */
	static ServerProcess start(Target target, int port, String heap, Path logs, List<String> extraJvmOptions,
			List<String> serverArguments) throws IOException, InterruptedException {
		Files.createDirectories(logs);
		List<String> command = new ArrayList<>();
		command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
		command.add("-Xmx" + heap);
		command.addAll(extraJvmOptions);
		for (String extra : System.getProperty("bench.serverJvm", "").split(" ")) {
			if (!extra.isBlank()) {
				command.add(extra);
			}
		}
		command.add("-cp");
		command.add(System.getProperty("java.class.path"));
		command.add(target.mainClass());
		command.add("--server.port=" + port);
		command.add("--server.address=127.0.0.1");
		command.add("--server.tomcat.max-connections=" + MAX_CONNECTIONS);
		// The starter's per-app limit, 4096 by default, would refuse the connections
		// phase
		command.add("--websocket.defaults.max-connections=0");
		command.add("--spring.main.banner-mode=off");
		command.add("--logging.level.root=WARN");
		command.addAll(target.arguments());
		command.addAll(serverArguments);
		// For experiments only (-Dbench.serverArgs="--a=b --c=d"); the table uses none
		for (String extra : System.getProperty("bench.serverArgs", "").split(" ")) {
			if (!extra.isBlank()) {
				command.add(extra);
			}
		}
		Path log = logs.resolve(target.name().toLowerCase() + "-" + port + ".log");
		Process process = new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
			.start();
		ServerProcess server = new ServerProcess(process, new InetSocketAddress("127.0.0.1", port));
		server.awaitListening(log);
		return server;
	}

	private void awaitListening(Path log) throws IOException, InterruptedException {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
		while (System.nanoTime() < deadline) {
			if (!this.process.isAlive()) {
				throw new IOException("Server exited with " + this.process.exitValue() + "; see " + log);
			}
			try (Socket socket = new Socket()) {
				socket.connect(this.address, 200);
				// Tomcat listens before the context is fully refreshed
				Thread.sleep(1000);
				return;
			}
			catch (IOException ex) {
				Thread.sleep(200);
			}
		}
		close();
		throw new IOException("Server did not listen within 90 s; see " + log);
	}

	InetSocketAddress address() {
		return this.address;
	}

	long pid() {
		return this.process.pid();
	}

	/**
	 * CPU time (user + system, in clock ticks of 10 ms) of each of the server's threads
	 * whose name starts with {@code prefix}, summed; from {@code /proc/<pid>/task}.
	 */
	long threadCpuTicks(String prefix) {
		long ticks = 0;
		Path tasks = Path.of("/proc", Long.toString(this.process.pid()), "task");
		try (var stream = Files.list(tasks)) {
			for (Path task : (Iterable<Path>) stream::iterator) {
				try {
					if (!Files.readString(task.resolve("comm")).strip().startsWith(prefix)) {
						continue;
					}
					String stat = Files.readString(task.resolve("stat"));
					// Fields after the ")" that ends the name: state is 3, utime 14,
					// stime 15
					String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
					ticks += Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
				}
				catch (IOException | RuntimeException ex) {
					// The thread ended meanwhile
				}
			}
		}
		catch (IOException ex) {
			return -1;
		}
		return ticks;
	}

	/**
	 * CPU time (user + system, in clock ticks of 10 ms) of the whole process, threads
	 * that ended included; from {@code /proc/<pid>/stat}, -1 when it cannot be read.
	 */
	long cpuTicks() {
		try {
			String stat = Files.readString(Path.of("/proc", Long.toString(this.process.pid()), "stat"));
			String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
			return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
		}
		catch (IOException | RuntimeException ex) {
			return -1;
		}
	}

	/**
	 * The resident set size, from {@code /proc/<pid>/status}.
	 */
	long rssKib() throws IOException {
		for (String line : Files.readAllLines(Path.of("/proc", Long.toString(this.process.pid()), "status"))) {
			if (line.startsWith("VmRSS:")) {
				return Long.parseLong(line.replaceAll("[^0-9]", ""));
			}
		}
		throw new IOException("No VmRSS for " + this.process.pid());
	}

	/**
	 * Bytes of live objects on the server's heap, after the full collection that
	 * {@code jcmd GC.class_histogram} runs first.
	 */
	long liveHeapBytes() throws IOException, InterruptedException {
		String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
		Process histogram = new ProcessBuilder(jcmd, Long.toString(pid()), "GC.class_histogram")
			.redirectErrorStream(true)
			.start();
		List<String> lines;
		try (var output = new BufferedReader(new InputStreamReader(histogram.getInputStream()))) {
			lines = output.lines().toList();
		}
		histogram.waitFor(60, TimeUnit.SECONDS);
		for (String line : lines) {
			// "Total 4533064 290529728": instances, then bytes
			if (line.startsWith("Total")) {
				String[] columns = line.trim().split("\\s+");
				return Long.parseLong(columns[columns.length - 1]);
			}
		}
		throw new IOException("No class histogram from " + pid() + ": " + lines);
	}

	@Override
	public void close() throws InterruptedException {
		Processes.stop(this.process);
	}

}
