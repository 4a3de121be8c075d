package dev.websocketstarter.cluster;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.springframework.util.FileSystemUtils;

import static org.awaitility.Awaitility.await;

/**
 * A real Redis Cluster of three shards, one {@code redis-server --cluster-enabled yes}
 * each from the PATH on free loopback ports, joined with
 * {@code redis-cli --cluster create}, without persistence or replicas.
 */
final class RedisCluster implements AutoCloseable {

	private final Path directory;

	private final List<RedisServer> shards;

	private RedisCluster(Path directory, List<RedisServer> shards) {
		this.directory = directory;
		this.shards = shards;
	}

	/**
	 * Start three shards and join them; returns once every shard says
	 * {@code cluster_state:ok}.
	 * @return the cluster
	 */
	static RedisCluster start() {
		Path directory;
		try {
			directory = Files.createTempDirectory("redis-cluster");
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		List<RedisServer> shards = new ArrayList<>();
		RedisCluster cluster = new RedisCluster(directory, shards);
		try {
			for (int i = 0; i < 3; i++) {
				shards.add(RedisServer.start(List.of("--cluster-enabled", "yes", "--cluster-config-file",
						directory.resolve("nodes-" + i + ".conf").toString(), "--cluster-port",
						String.valueOf(RedisServer.freeLoopbackPort()), "--cluster-node-timeout", "5000")));
			}
			List<String> create = new ArrayList<>(List.of("redis-cli", "--cluster", "create"));
			shards.forEach((shard) -> create.add("127.0.0.1:" + shard.port()));
			create.addAll(List.of("--cluster-replicas", "0", "--cluster-yes"));
			String output = run(create);
			if (!output.contains("[OK] All 16384 slots covered")) {
				throw new IllegalStateException("redis-cli --cluster create failed: " + output);
			}
			await().atMost(Duration.ofSeconds(30))
				.until(() -> shards.stream()
					.allMatch((shard) -> shard.cli("CLUSTER", "INFO").contains("cluster_state:ok")));
			return cluster;
		}
		catch (RuntimeException ex) {
			cluster.close();
			throw ex;
		}
	}

	/**
	 * The {@code spring.data.redis.cluster.nodes} of the cluster.
	 * @return the nodes, comma separated
	 */
	String nodes() {
		return this.shards.stream().map((shard) -> "127.0.0.1:" + shard.port()).collect(Collectors.joining(","));
	}

	List<RedisServer> shards() {
		return this.shards;
	}

	private static String run(List<String> command) {
		try {
			Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
			String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			if (!process.waitFor(30, TimeUnit.SECONDS)) {
				process.destroyForcibly();
				throw new IllegalStateException("Timed out: " + command);
			}
			return output;
		}
		catch (IOException ex) {
			throw new IllegalStateException("redis-cli is not on the PATH: install redis-server", ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	@Override
	public void close() {
		this.shards.forEach(RedisServer::stop);
		FileSystemUtils.deleteRecursively(this.directory.toFile());
	}

}
