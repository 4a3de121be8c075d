package dev.websocketstarter.cluster;

import java.nio.charset.StandardCharsets;
import java.util.List;

import dev.websocketstarter.registry.Channel;
import dev.websocketstarter.test.EchoApp;
import dev.websocketstarter.test.client.WebSocketTestClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for the sealed relay on a real Redis server: two nodes share a secret, and an
 * attacker who can reach Redis publishes to their topics.
 */
@ExtendWith(OutputCaptureExtension.class)
class ClusterSealIntegrationTests {

	private static final String SECRET = "the secret of the sealed cluster test, 32+ chars";

	private static final String PREFIX = "sealed";

	private static final String SHARD_CHANNEL = new RedisKeys(PREFIX).shardChannel("echo", "/ws/echo");

	private static final byte[] MULTICAST = SHARD_CHANNEL.getBytes(StandardCharsets.UTF_8);

	private static TwoNodes cluster;

	private static ClusterNode a;

	private static ClusterNode b;

	@BeforeAll
	static void startCluster() {
		cluster = TwoNodes.start(PREFIX, EchoApp.class, "websocket.cluster.secret=" + SECRET,
				"websocket.apps.echo.urls=/ws/echo", "websocket.apps.echo.history.subscriptions=kept-*");
		a = cluster.a();
		b = cluster.b();
	}

	@AfterAll
	static void stopCluster() {
		if (cluster != null) {
			cluster.close();
		}
	}

	@Test
	void forgedTamperedForeignAndReplayedMessagesAreNotDelivered(CapturedOutput output) {
		WebSocketTestClient client = b.connect("target");
		Channel target = b.channel("target");
		RelaySeal genuine = new RelaySeal(List.of(SECRET), System::currentTimeMillis);
		RelaySeal foreign = new RelaySeal(List.of("not the cluster's secret, but 32+ characters"),
				System::currentTimeMillis);

		attack(message("forged, unsealed").encode());
		attack(foreign.sealAll(MULTICAST, message("sealed with another secret").encode()));
		byte[] tampered = genuine.sealAll(MULTICAST, message("tampered").encode());
		tampered[tampered.length - 33] ^= 1;
		attack(tampered);
		byte[] sealed = genuine.sealAll(MULTICAST, message("genuine").encode());
		attack(sealed);
		attack(sealed);
		attack(ClusterMessage.close("node-z", target, 1003, "closed by an attacker").encode());
		a.registry().app("echo").multicast("/ws/echo", "marker");

		client.awaitText("marker");
		assertThat(client.texts()).containsExactly("genuine", "marker");
		assertThat(client.isClosed()).isFalse();
		b.relay().reportRejections();
		await().untilAsserted(() -> assertThat(output.getAll())
			.contains("Cluster relay of node node-b dropped relay messages in the last minute")
			.contains("UNSEALED")
			.contains("UNKNOWN_KEY")
			.contains("TAG")
			.contains("REPLAYED"));
	}

	@Test
	void sealedMulticastsWithHistoryAndChannelChangesReachTheOtherNode() {
		WebSocketTestClient client = b.connect("kept-reader");
		Channel reader = b.channel("kept-reader");
		assertThat(b.registry().app("echo").subscribe(reader, "kept-1")).isTrue();
		// The subscription reaches node a in a sealed batch of channel changes
		await().until(() -> a.registry().app("echo").subscriberCount("kept-1") == 1);
		a.registry().app("echo").multicast("kept-1", "with history");
		client.awaitMessage((message) -> message.isText() && message.asText().contains("with history"),
				"the sealed multicast with history");
		assertThat(b.registry().history("kept-1", 5).messages()).extracting((kept) -> kept.text())
			.containsExactly("with history");
	}

	private static ClusterMessage message(String text) {
		return ClusterMessage.multicast("node-z", "echo", "/ws/echo", true, text.getBytes(StandardCharsets.UTF_8),
				new Channel[0]);
	}

	private static void attack(byte[] body) {
		a.spublish(SHARD_CHANNEL, body);
	}

}
