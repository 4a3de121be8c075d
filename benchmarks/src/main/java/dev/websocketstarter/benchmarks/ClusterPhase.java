package dev.websocketstarter.benchmarks;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import dev.websocketstarter.benchmarks.load.LoadTool;
import dev.websocketstarter.benchmarks.load.Target;
import dev.websocketstarter.benchmarks.load.Topic;
import dev.websocketstarter.benchmarks.load.TopicsFanout;
import dev.websocketstarter.benchmarks.load.WsConnection;

/**
 * The cluster phase: starter nodes, each in its own JVM, through one Redis, for each
 * number of nodes asked for (2, 3 and 4 by default; more nodes join the same cluster as
 * the number grows), in two scenarios: one subscription with its subscribers spread
 * evenly over the nodes, and 100 subscriptions each with all its subscribers on one node.
 * One more node, the idle node, is in the cluster all along with no clients: what it
 * spends is what a node pays for multicasts it holds no subscriber of. Each node reaches
 * Redis through a {@link RedisTap} of its own, which counts the messages Redis pushes to
 * it.
 */
final class ClusterPhase {

	/** Subscriptions of the second scenario. */
	static final int SUBSCRIPTIONS = 100;

	private static final Duration WARMUP = Duration.ofSeconds(5);

	private static final Duration MEASURE = Duration.ofSeconds(10);

	private static final Duration REST = Duration.ofSeconds(2);

	/** An unmeasured run before the first scenario of each number of nodes. */
	private static final Duration JIT_WARMUP = Duration.ofSeconds(15);

	/** How each figure of the table is counted, printed under it. */
	private static final String COUNTED = """
			How each figure is counted: multicasts/s and deliveries/s at the load tool's clients over the measured \
			interval (first deliveries; each subscriber checks its subscription's sequence numbers for loss, \
			duplicates and reordering over the whole run). Redis publishing calls: PUBLISH, SPUBLISH, EVAL, \
			EVALSHA and FCALL calls Redis served over the whole run, warm-up and drain included, from its INFO \
			commandstats, per message the publishers sent in the run. Messages Redis pushed: the pub/sub \
			messages (message, smessage, pmessage) Redis wrote to each node's connections over the run, counted \
			on the wire by a relay of the benchmark's between each node and Redis that parses RESP (Redis 7.0 \
			keeps no such count: CLIENT LIST gives buffer sizes, INFO stats bytes), per message sent; all the \
			pushes and the publishing calls make the Redis messages in all. CPU: user + system time of each \
			server JVM from /proc/<pid>/stat over the measured interval, in CPU seconds per second; in brackets \
			the part the JVM's JIT compiler threads took (/proc/<pid>/task), still compiling a node's code for a \
			while after it joined; per delivery, the CPU less the JIT's divided by the first deliveries to that \
			node's subscribers in the interval. Idle node: its CPU over the interval less its rate at rest (2 s \
			before the run), the JIT's left out of both, per multicast sent in the interval: what a node pays \
			for a multicast it holds no subscriber of. A working node's CPU on subscriptions it does not hold, \
			in scenario (b): the multicasts/s less those of its own subscriptions (its deliveries/s over the \
			subscribers of each), times the idle node's CPU per multicast; an estimate, from the idle node's \
			cost.
			""";

	private final List<ClusterRun> runs = new ArrayList<>();

	/**
	 * Run both scenarios for each number of nodes, in increasing order.
	 * @return the table of the runs, with how each figure is counted
	 */
	String run(List<Integer> nodeCounts, List<String> jvm) throws IOException, InterruptedException {
		Path logs = BenchmarkRunner.OUT.resolve("logs");
		List<ServerProcess> nodes = new ArrayList<>();
		List<RedisTap> taps = new ArrayList<>();
		try (RedisProcess redis = RedisProcess.start(logs); LoadTool load = new LoadTool(2)) {
			BenchmarkRunner.log("cluster: redis-server pid " + redis.pid() + " on 127.0.0.1:" + redis.port()
					+ "; nodes " + nodeCounts + ", and an idle node with no clients");
			try {
				RedisTap idleTap = RedisTap.start("idle", redis.port());
				taps.add(idleTap);
				ServerProcess idle = startNodes(List.of("bench-idle"), List.of(idleTap), jvm, logs).get(0);
				for (int count : nodeCounts) {
					List<String> names = new ArrayList<>();
					List<RedisTap> newTaps = new ArrayList<>();
					for (int i = nodes.size(); i < count; i++) {
						RedisTap tap = RedisTap.start("node-" + (i + 1), redis.port());
						taps.add(taps.size() - 1, tap);
						newTaps.add(tap);
						names.add("bench-node-" + (i + 1));
					}
					nodes.addAll(startNodes(names, newTaps, jvm, logs));
					List<ServerProcess> measured = new ArrayList<>(nodes);
					measured.add(idle);
					BenchmarkRunner.log("cluster, " + count + " nodes:");
					// (b) first, after a warm-up of its own: its many multicasts a second
					// warm up the new nodes' relay path, still being compiled seconds
					// into
					// a run
					scenario("(b) 100 subscriptions", count, measured, taps, redis, load,
							oneNodeEach(count, nodes, load), BenchmarkRunner.SUBSCRIBERS / SUBSCRIPTIONS, JIT_WARMUP);
					scenario("(a) one subscription", count, measured, taps, redis, load, spread(count, nodes, load), 0,
							Duration.ZERO);
				}
			}
			finally {
				for (ServerProcess node : nodes) {
					node.close();
				}
				taps.forEach(RedisTap::close);
			}
		}
		return render();
	}

	/**
	 * Start nodes at once, each reaching Redis through its tap; stops those started when
	 * one fails.
	 */
	private static List<ServerProcess> startNodes(List<String> names, List<RedisTap> taps, List<String> jvm, Path logs)
			throws IOException, InterruptedException {
		ExecutorService starting = Executors.newFixedThreadPool(Math.max(1, names.size()));
		List<Future<ServerProcess>> futures = new ArrayList<>();
		try {
			for (int i = 0; i < names.size(); i++) {
				List<String> arguments = RedisProcess.clusterArguments(taps.get(i).port(), names.get(i));
				futures.add(starting.submit(() -> ServerProcess.start(Target.STARTER, Processes.freeLoopbackPort(),
						BenchmarkRunner.HEAP, logs, jvm, arguments)));
			}
			List<ServerProcess> started = new ArrayList<>();
			IOException failure = null;
			for (Future<ServerProcess> future : futures) {
				try {
					started.add(future.get());
				}
				catch (ExecutionException ex) {
					failure = new IOException("A cluster node did not start: " + ex.getCause(), ex.getCause());
				}
			}
			if (failure != null) {
				for (ServerProcess node : started) {
					node.close();
				}
				throw failure;
			}
			return started;
		}
		finally {
			starting.shutdown();
		}
	}

	/**
	 * Scenario (a): one subscription, its subscribers spread evenly over the nodes, the
	 * publisher on node 1.
	 */
	private static List<Topic> spread(int count, List<ServerProcess> nodes, LoadTool load) throws IOException {
		List<List<WsConnection>> subscribers = new ArrayList<>();
		for (int node = 0; node < count; node++) {
			int share = BenchmarkRunner.SUBSCRIBERS / count + ((node < BenchmarkRunner.SUBSCRIBERS % count) ? 1 : 0);
			subscribers.add(open(load, nodes.get(node).address(), "/rooms?subscribe=all", share));
		}
		return List.of(new Topic(nodes.get(0).address(), "/rooms?publish=all", subscribers));
	}

	/**
	 * Scenario (b): 100 subscriptions of 10 subscribers each, subscription {@code i} on
	 * node {@code i mod N}, its publisher on the next node, which holds none of its
	 * subscribers (with one node, the same node).
	 */
	private static List<Topic> oneNodeEach(int count, List<ServerProcess> nodes, LoadTool load) throws IOException {
		int each = BenchmarkRunner.SUBSCRIBERS / SUBSCRIPTIONS;
		List<Topic> topics = new ArrayList<>(SUBSCRIPTIONS);
		for (int i = 0; i < SUBSCRIPTIONS; i++) {
			int home = i % count;
			List<List<WsConnection>> subscribers = new ArrayList<>();
			for (int node = 0; node < count; node++) {
				subscribers.add((node == home)
						? open(load, nodes.get(node).address(), "/rooms?subscribe=room-" + i, each) : List.of());
			}
			topics.add(new Topic(nodes.get((home + 1) % count).address(), "/rooms?publish=room-" + i, subscribers));
		}
		return topics;
	}

	private static List<WsConnection> open(LoadTool load, InetSocketAddress node, String path, int count)
			throws IOException {
		LoadTool.Opened opened = load.open(node, Target.STARTER, path, false, count, 64, Duration.ofSeconds(60));
		if (opened.ready() < count) {
			load.closeAll(opened.connections());
			throw new IOException(opened.ready() + " of " + count + " subscribers of " + path + " on " + node
					+ " ready, " + opened.failed() + " failed: " + opened.firstFailure());
		}
		return opened.connections();
	}

	/**
	 * Probe until every subscriber gets what is published, run unmeasured for
	 * {@code jitWarmup}, rest, then measure a closed loop with the counters taken around
	 * it. {@code subscribersEach}: the subscribers of each subscription, all on one node,
	 * or 0 when every node holds some of every subscription.
	 */
	private void scenario(String scenario, int count, List<ServerProcess> measured, List<RedisTap> taps,
			RedisProcess redis, LoadTool load, List<Topic> topics, int subscribersEach, Duration jitWarmup)
			throws IOException, InterruptedException {
		try {
			awaitRelay(load, topics, count);
			if (!jitWarmup.isZero()) {
				TopicsFanout warm = load.closedLoopTopics(Target.STARTER, topics, count, BenchmarkRunner.WINDOW,
						Duration.ZERO, jitWarmup, LoadTool.Window.NONE);
				BenchmarkRunner.log("  warm-up for the new nodes' compiler, " + jitWarmup.toSeconds() + " s: "
						+ ResultsTable.format(warm.publishedPerSecond()) + " multicasts/s, " + warm.sequences());
			}
			// Let the nodes see the probe's publishers go before the rest
			Thread.sleep(1000);
			ClusterSnapshot restStart = ClusterSnapshot.take(measured, taps, redis);
			Thread.sleep(REST.toMillis());
			ClusterSnapshot restEnd = ClusterSnapshot.take(measured, taps, redis);
			ClusterSnapshot[] window = new ClusterSnapshot[2];
			ClusterSnapshot runStart = ClusterSnapshot.take(measured, taps, redis);
			TopicsFanout fanout = load.closedLoopTopics(Target.STARTER, topics, count, BenchmarkRunner.WINDOW, WARMUP,
					MEASURE, new LoadTool.Window() {

						@Override
						public void started() {
							window[0] = ClusterSnapshot.take(measured, taps, redis);
						}

						@Override
						public void ended() {
							window[1] = ClusterSnapshot.take(measured, taps, redis);
						}

					});
			ClusterSnapshot runEnd = ClusterSnapshot.take(measured, taps, redis);
			ClusterRun run = new ClusterRun(scenario, count, fanout, new ClusterSnapshot[] { restStart, restEnd },
					new ClusterSnapshot[] { runStart, runEnd }, window, subscribersEach);
			this.runs.add(run);
			BenchmarkRunner.log("  " + run.details().strip());
		}
		finally {
			for (Topic topic : topics) {
				topic.subscribers().forEach(load::closeAll);
			}
			// Let the nodes see the subscribers go before the next scenario
			Thread.sleep(1000);
		}
	}

	/**
	 * Publish a little to every subscription until every subscriber gets all of it: each
	 * node listens to Redis for what it needs, at most 20 s.
	 */
	private static void awaitRelay(LoadTool load, List<Topic> topics, int count)
			throws IOException, InterruptedException {
		long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
		int attempt = 0;
		while (true) {
			attempt++;
			TopicsFanout probe = load.closedLoopTopics(Target.STARTER, topics, count, 4, Duration.ZERO,
					Duration.ofSeconds(1), LoadTool.Window.NONE);
			if (probe.sequences().lost() == 0) {
				BenchmarkRunner.log("  relay up: probe " + attempt + " reached every subscriber");
				return;
			}
			if (System.nanoTime() > deadline) {
				throw new IOException("The relay did not reach every subscriber within 20 s: " + probe.sequences());
			}
			Thread.sleep(500);
		}
	}

	private String render() {
		StringBuilder table = new StringBuilder(ClusterRun.HEADER);
		this.runs.stream()
			.sorted(Comparator.comparing(ClusterRun::scenario).thenComparingInt(ClusterRun::nodes))
			.forEach((run) -> table.append(run.row()));
		table.append("\nScenario (a): one subscription, ")
			.append(BenchmarkRunner.SUBSCRIBERS)
			.append(" subscribers spread evenly over the nodes, its publisher on node 1. Scenario (b): ")
			.append(SUBSCRIPTIONS)
			.append(" subscriptions of ")
			.append(BenchmarkRunner.SUBSCRIBERS / SUBSCRIPTIONS)
			.append(" subscribers, subscription i all on node i mod N, its publisher on the next node. Closed loop,")
			.append(" at most ")
			.append(BenchmarkRunner.WINDOW)
			.append(" messages of each subscription undelivered; ")
			.append(WARMUP.toSeconds())
			.append(" s warm-up, ")
			.append(MEASURE.toSeconds())
			.append(" s measured. One more node, the idle node, is in the cluster with no clients.\n\n")
			.append(COUNTED);
		return table.toString();
	}

}
