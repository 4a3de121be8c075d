package dev.websocketstarter.cluster;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.websocketstarter.actuate.WebSocketClusterMetrics;
import dev.websocketstarter.registry.Channel;
import dev.websocketstarter.registry.SendResult;
import dev.websocketstarter.test.EchoApp;
import dev.websocketstarter.test.client.WebSocketTestClient;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link ClusterRelay} when things go wrong: garbage on its pub/sub channels, a
 * Redis that sleeps, more publications waiting than {@code max-pending} while Redis does
 * not answer, and a node cut off from Redis as its health shows it. Node A reaches Redis
 * through a {@link RedisProxy}, node B directly; both wait 4 s for an answer and beat
 * within 6 s, longer than Redis sleeps in these tests.
 */
@ExtendWith(OutputCaptureExtension.class)
class ClusterFailureIntegrationTests {

	private static final Duration WAIT = Duration.ofSeconds(15);

	private static final String PREFIX = "failure";

	private static final int MAX_PENDING = 16;

	private static RedisServer redis;

	private static RedisProxy proxy;

	private static ClusterNode a;

	private static ClusterNode b;

	@BeforeAll
	static void startCluster() {
		redis = RedisServer.start(List.of("--enable-debug-command", "local"));
		proxy = RedisProxy.start(redis);
		a = ClusterNode.start("node-a", proxy.port(), PREFIX, EchoApp.class, properties());
		b = ClusterNode.start("node-b", redis.port(), PREFIX, EchoApp.class, properties());
	}

	private static String[] properties() {
		return new String[] { "websocket.apps.echo.urls=/ws/echo", "spring.data.redis.timeout=4s",
				"websocket.cluster.max-pending=" + MAX_PENDING,
				// Longer than Redis sleeps: else the nodes forget each other meanwhile
				"websocket.cluster.node-ttl=6s" };
	}

	@AfterAll
	static void stopCluster() {
		for (AutoCloseable closeable : new AutoCloseable[] { a, b, proxy, redis }) {
			try {
				if (closeable != null) {
					closeable.close();
				}
			}
			catch (Exception ex) {
				throw new IllegalStateException(ex);
			}
		}
	}

	@BeforeEach
	void awaitCluster() {
		// A test may leave a node recovering
		await().atMost(WAIT)
			.until(() -> a.relay().state() == ClusterRelay.State.UP && b.relay().state() == ClusterRelay.State.UP);
		ClusterNode.awaitAlive(a, b);
	}

	@Test
	void garbageOnTheRelayChannelsIsDroppedCountedAndReportedOnceAndRealMessagesStillArrive(CapturedOutput output) {
		long undecodableBefore = b.relay().undecodableMessages();
		WebSocketTestClient reader = b.connect("garbage-reader");
		Channel readerChannel = b.channel("garbage-reader");
		assertThat(b.registry().subscribe(readerChannel, "garbage-room")).isTrue();
		await().atMost(WAIT).until(() -> a.registry().subscriberCount("garbage-room") == 1);
		RedisKeys keys = new RedisKeys(PREFIX);
		byte[] lyingLength = ClusterMessage
			.multicast("node-z", "echo", "garbage-room", true, "forged".getBytes(StandardCharsets.UTF_8),
					new Channel[0])
			.encode();
		ByteBuffer.wrap(lyingLength).putInt(lyingLength.length - 10, Integer.MAX_VALUE);
		List<byte[]> garbage = List.of(new byte[0], new byte[] { 9, 'T' }, new byte[] { 1, 'Z' },
				new byte[] { 1, 'T', 0, 100, 'x' }, lyingLength, "not a relay message".getBytes(StandardCharsets.UTF_8),
				new byte[] { 1, 'C', (byte) 0xFF, (byte) 0xFF });
		for (String topic : List.of(keys.multicastTopic(), keys.changesTopic(), keys.nodeTopic("node-b"))) {
			for (byte[] body : garbage) {
				publish(topic, body);
			}
		}
		// A multicast with history begins with its epoch: one that does not open
		byte[] lyingHistory = "k2x9 1 1700000000000 5\nshort".getBytes(StandardCharsets.UTF_8);
		for (byte[] body : garbage) {
			publishSharded(keys.shardChannel("echo", "garbage-room"), body);
		}
		publishSharded(keys.shardChannel("echo", "garbage-room"), lyingHistory);

		a.registry().multicast("garbage-room", "after the garbage");
		reader.awaitText("after the garbage");
		assertThat(a.registry().send(readerChannel, "sent after the garbage")).isEqualTo(SendResult.QUEUED);
		reader.awaitText("sent after the garbage");
		assertThat(b.registry().subscribe(readerChannel, "garbage-room-2")).isTrue();
		await().atMost(WAIT).until(() -> a.registry().subscriberCount("garbage-room-2") == 1);
		assertThat(reader.texts()).containsExactly("after the garbage", "sent after the garbage");
		assertThat(reader.isClosed()).isFalse();
		assertThat(b.relay().state()).isEqualTo(ClusterRelay.State.UP);
		// Each garbage body on each of the three topics and the shard channel, and the
		// lying history
		long garbageSent = garbage.size() * 4L + 1;
		await().atMost(WAIT)
			.untilAsserted(
					() -> assertThat(b.relay().undecodableMessages() - undecodableBefore).isEqualTo(garbageSent));
		SimpleMeterRegistry meters = new SimpleMeterRegistry();
		b.bean(WebSocketClusterMetrics.class).bindTo(meters);
		assertThat(meters.get("websocket.cluster.messages.undecodable").functionCounter().count())
			.isEqualTo(b.relay().undecodableMessages());
		// Reported once a minute, not once each: no log an attacker at Redis can flood.
		// The minute's own report may have come in between, so the reports add up.
		b.relay().reportRejections();
		Matcher reports = Pattern.compile("dropped (\\d+) relay messages it does not understand in the last minute")
			.matcher(output.getAll());
		List<Long> reported = new ArrayList<>();
		while (reports.find()) {
			reported.add(Long.parseLong(reports.group(1)));
		}
		assertThat(reported).hasSizeBetween(1, 2);
		assertThat(reported.stream().mapToLong(Long::longValue).sum()).isEqualTo(garbageSent);
	}

	@Test
	void sendsBeyondMaxPendingAreRejectedWhileRedisDoesNotAnswerAndTheQueuedOnesArriveAfter() {
		WebSocketTestClient target = b.connect("pending-target");
		Channel targetChannel = b.channel("pending-target");
		long droppedBefore = a.relay().droppedPublications();
		List<SendResult> results = new ArrayList<>();
		List<String> queued = new ArrayList<>();
		proxy.pause();
		try {
			for (int i = 0; i < 10 * MAX_PENDING; i++) {
				SendResult result = a.registry().send(targetChannel, "pending " + i);
				results.add(result);
				if (result == SendResult.QUEUED) {
					queued.add("pending " + i);
				}
			}
			// Redis did not answer node A for any send, and its relay still counts it up:
			// what was rejected was rejected because too many waited
			assertThat(a.relay().state()).isEqualTo(ClusterRelay.State.UP);
		}
		finally {
			proxy.resume();
		}
		// Queued and sent without an answer, no more than max-pending wait: every later
		// send is rejected, also after the relay thread took a batch to Redis
		assertThat(queued).hasSize(MAX_PENDING);
		assertThat(results.subList(0, queued.size())).containsOnly(SendResult.QUEUED);
		assertThat(results.subList(queued.size(), results.size())).containsOnly(SendResult.REJECTED);
		assertThat(a.relay().droppedPublications() - droppedBefore).isEqualTo(results.size() - queued.size());

		await().atMost(WAIT).until(() -> target.texts().size() >= queued.size());
		// Node B may hear of the last batch before node A hears Redis answer it and frees
		// its slots; a rejected send is not delivered, so one marker arrives
		await().atMost(WAIT).until(() -> a.registry().send(targetChannel, "marker") == SendResult.QUEUED);
		target.awaitText("marker");
		List<String> expected = new ArrayList<>(queued);
		expected.add("marker");
		assertThat(target.texts()).containsExactlyElementsOf(expected);
		assertThat(a.relay().state()).isEqualTo(ClusterRelay.State.UP);
	}

	@Test
	void localDeliveryGoesOnWhileRedisIsSlowAndCrossNodeDeliveryResumesAfter() {
		WebSocketTestClient a1 = a.connect("slow-a1");
		WebSocketTestClient a2 = a.connect("slow-a2");
		WebSocketTestClient b1 = b.connect("slow-b1");
		Channel a1Channel = a.channel("slow-a1");
		Channel b1Channel = b.channel("slow-b1");
		for (Channel channel : List.of(a1Channel, a.channel("slow-a2"))) {
			assertThat(a.registry().subscribe(channel, "slow-room")).isTrue();
		}
		assertThat(b.registry().subscribe(b1Channel, "slow-room")).isTrue();
		await().atMost(WAIT).until(() -> a.registry().subscriberCount("slow-room") == 3);

		Process sleeping = redis.sleep(Duration.ofSeconds(2));
		assertThat(a.registry().multicast("slow-room", "while Redis sleeps", a1Channel)).isEqualTo(1);
		assertThat(a.registry().send(a1Channel, "local send")).isEqualTo(SendResult.QUEUED);
		a2.awaitText("while Redis sleeps");
		a1.awaitText("local send");
		assertThat(sleeping.isAlive()).isTrue();

		await().atMost(WAIT).until(() -> !sleeping.isAlive());
		// Slower than usual, but within the timeout: nothing is lost
		b1.awaitText("while Redis sleeps");
		assertThat(b.registry().multicast("slow-room", "after the sleep", b1Channel)).isZero();
		a1.awaitText("after the sleep");
		a2.awaitText("after the sleep");
		assertThat(a.registry().send(b1Channel, "sent after the sleep")).isEqualTo(SendResult.QUEUED);
		b1.awaitText("sent after the sleep");
		assertThat(a1.texts()).containsExactly("local send", "after the sleep");
		assertThat(a2.texts()).containsExactly("while Redis sleeps", "after the sleep");
		assertThat(b1.texts()).containsExactly("while Redis sleeps", "sent after the sleep");
		assertThat(a.relay().state()).isEqualTo(ClusterRelay.State.UP);
		assertThat(b.relay().state()).isEqualTo(ClusterRelay.State.UP);
	}

	@Test
	void healthIsDownWithTheFailureWhileRedisIsUnreachableAndUpAfter() {
		Health up = a.health().health();
		assertThat(up.getStatus()).isEqualTo(Status.UP);
		assertThat(up.getDetails()).containsEntry("node", "node-a")
			.containsEntry("otherNodes", Set.of("node-b"))
			.containsKey("droppedPublications")
			.doesNotContainKey("error");

		proxy.cut();
		try {
			await().atMost(WAIT).until(() -> a.relay().state() == ClusterRelay.State.DOWN);
			a.registry().multicast("health-room", "dropped while down");
			Health down = a.health().health();
			assertThat(down.getStatus()).isEqualTo(Status.DOWN);
			assertThat(down.getDetails()).containsEntry("node", "node-a")
				.containsEntry("otherNodes", Set.of())
				.containsKey("error");
			assertThat(down.getDetails().get("error")).asString().isNotBlank();
			assertThat((Long) down.getDetails().get("droppedPublications"))
				.isGreaterThan((Long) up.getDetails().get("droppedPublications"));
			// Node B reaches Redis, and forgets node A once it stops beating
			await().atMost(WAIT)
				.untilAsserted(
						() -> assertThat(b.health().health().getDetails()).containsEntry("otherNodes", Set.of()));
			assertThat(b.health().health().getStatus()).isEqualTo(Status.UP);
		}
		finally {
			proxy.restore();
		}

		await().atMost(WAIT).untilAsserted(() -> {
			Health again = a.health().health();
			assertThat(again.getStatus()).isEqualTo(Status.UP);
			assertThat(again.getDetails()).containsEntry("otherNodes", Set.of("node-b")).doesNotContainKey("error");
		});
		await().atMost(WAIT)
			.untilAsserted(
					() -> assertThat(b.health().health().getDetails()).containsEntry("otherNodes", Set.of("node-a")));
	}

	private static void publish(String topic, byte[] body) {
		byte[] channel = topic.getBytes(StandardCharsets.UTF_8);
		b.bean(StringRedisTemplate.class).execute((connection) -> connection.publish(channel, body), true);
	}

	private static void publishSharded(String shardChannel, byte[] body) {
		b.spublish(shardChannel, body);
	}

}
