package dev.websocketstarter.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A {@code redis-server} of its own for the two-node run: on a free loopback port,
 * without persistence, stopped at the end. Never the system's service.
 */
final class RedisProcess implements AutoCloseable {

	private final Process process;

	private final int port;

	private RedisProcess(Process process, int port) {
		this.process = process;
		this.port = port;
	}

	static RedisProcess start(Path logs) throws IOException, InterruptedException {
		Files.createDirectories(logs);
		int port = Processes.freeLoopbackPort();
		String configured = System.getProperty("bench.redisServer", "");
		String binary = configured.isBlank() ? "redis-server" : configured;
		Process process;
		try {
			process = new ProcessBuilder(binary, "--port", Integer.toString(port), "--bind", "127.0.0.1", "--save", "",
					"--appendonly", "no", "--daemonize", "no")
				.redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.appendTo(logs.resolve("redis-" + port + ".log").toFile()))
				.start();
		}
		catch (IOException ex) {
			throw new IOException("redis-server is not on the PATH (or set -Dbench.redisServer=/path): " + ex, ex);
		}
		RedisProcess redis = new RedisProcess(process, port);
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
		while (System.nanoTime() < deadline) {
			if (!process.isAlive()) {
				throw new IOException("redis-server exited with " + process.exitValue() + "; see " + logs);
			}
			try {
				if (redis.command("PING").startsWith("+PONG")) {
					return redis;
				}
			}
			catch (IOException ex) {
				// Not listening yet
			}
			Thread.sleep(100);
		}
		redis.close();
		throw new IOException("redis-server did not answer within 10 s");
	}

	int port() {
		return this.port;
	}

	long pid() {
		return this.process.pid();
	}

	/**
	 * The bytes Redis holds for its data, {@code used_memory} of {@code INFO memory}.
	 */
	long usedMemory() throws IOException {
		for (String line : command("INFO memory").split("\r\n")) {
			if (line.startsWith("used_memory:")) {
				return Long.parseLong(line.substring("used_memory:".length()).trim());
			}
		}
		return -1;
	}

	/**
	 * The calls of each command so far, from {@code INFO commandstats}, and the server's
	 * {@code used_cpu_sys}/{@code used_cpu_user} (in microseconds, as "cpu").
	 */
	Map<String, Long> stats() throws IOException {
		Map<String, Long> stats = new HashMap<>();
		for (String line : command("INFO commandstats").split("\r\n")) {
			// cmdstat_publish:calls=123,usec=456,usec_per_call=3.71,...
			if (line.startsWith("cmdstat_")) {
				String name = line.substring(8, line.indexOf(':'));
				for (String field : line.substring(line.indexOf(':') + 1).split(",")) {
					if (field.startsWith("calls=")) {
						stats.put(name, Long.parseLong(field.substring(6)));
					}
					else if (field.startsWith("usec=")) {
						stats.put(name + ".usec", Long.parseLong(field.substring(5)));
					}
				}
			}
		}
		double cpu = 0;
		for (String line : command("INFO cpu").split("\r\n")) {
			if (line.startsWith("used_cpu_sys:") || line.startsWith("used_cpu_user:")) {
				cpu += Double.parseDouble(line.substring(line.indexOf(':') + 1));
			}
		}
		stats.put("cpu", (long) (cpu * 1e6));
		return stats;
	}

	/**
	 * One inline command, and its whole answer (a bulk string is read to its length).
	 */
	private String command(String command) throws IOException {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), this.port), 1000);
			socket.setSoTimeout(2000);
			OutputStream output = socket.getOutputStream();
			output.write((command + "\r\n").getBytes(StandardCharsets.US_ASCII));
			output.flush();
			InputStream input = socket.getInputStream();
			StringBuilder first = new StringBuilder();
			int c;
			while ((c = input.read()) >= 0 && c != '\n') {
				first.append((char) c);
			}
			String header = first.toString().strip();
			if (!header.startsWith("$")) {
				return header;
			}
			int length = Integer.parseInt(header.substring(1));
			return new String(input.readNBytes(Math.max(0, length)), StandardCharsets.UTF_8);
		}
	}

	@Override
	public void close() throws InterruptedException {
		Processes.stop(this.process);
	}

	/**
	 * A node of the benchmark's cluster, its relay sealed as production's should be.
	 */
	static List<String> clusterArguments(RedisProcess redis, String node) {
		return clusterArguments(redis.port(), node);
	}

	/**
	 * A node of the benchmark's cluster that reaches Redis on {@code port}, such as a
	 * {@link RedisTap}'s.
	 */
	static List<String> clusterArguments(int port, String node) {
		return List.of("--websocket.cluster.enabled=true", "--spring.data.redis.host=127.0.0.1",
				"--spring.data.redis.port=" + port, "--websocket.node-id=" + node,
				"--websocket.cluster.secret=the benchmark cluster's shared secret, 32+ characters");
	}

}
