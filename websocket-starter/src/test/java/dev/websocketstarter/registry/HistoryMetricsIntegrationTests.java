package dev.websocketstarter.registry;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.websocketstarter.actuate.WebSocketEndpoint;
import dev.websocketstarter.actuate.WebSocketMetrics;
import dev.websocketstarter.internal.channel.LocalNode;
import dev.websocketstarter.test.RecordingHandler;
import dev.websocketstarter.test.client.WebSocketTestClient;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;
import static org.awaitility.Awaitility.await;

/**
 * Tests for the meters and the endpoint's view of history: recoveries counted by result,
 * and what each subscription keeps. Micrometer's, which the Jetty module leaves out.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, classes = HistoryIntegrationTests.HistoryApps.class,
		properties = { "websocket.apps.echo.urls=/ws/echo", "websocket.apps.echo.history.subscriptions=room",
				"websocket.apps.echo.auto-subscribe=false", "websocket.apps.bounded.urls=/ws/bounded" })
class HistoryMetricsIntegrationTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	@LocalServerPort
	private int port;

	@Autowired
	private ChannelRegistry registry;

	@Autowired
	@Qualifier("echoHandler")
	private RecordingHandler echo;

	@Autowired
	private LocalNode node;

	@Autowired
	private WebSocketMetrics metrics;

	private final List<WebSocketTestClient> clients = new ArrayList<>();

	@AfterEach
	void closeClients() {
		this.clients.forEach(WebSocketTestClient::close);
	}

	@Test
	void recoveriesAndWhatHistoriesKeepAreMeteredAndShownByTheEndpoint() {
		MeterRegistry meters = new SimpleMeterRegistry();
		this.metrics.bindTo(meters);
		ChannelRegistry echoRegistry = this.registry.app("echo");
		echoRegistry.multicast("room", "1234567890");
		String epoch = echoRegistry.history("room", 0).epoch();
		subscribe("recovers", epoch + ":0:room", 2);
		subscribe("cannot", "other:0:room", 1);

		assertThat(recoveries(meters, "recovered")).isEqualTo(1);
		assertThat(recoveries(meters, "not-recoverable")).isEqualTo(1);
		assertThat(meters.get("websocket.history.messages").gauge().value()).isEqualTo(1);
		assertThat(meters.get("websocket.history.bytes").gauge().value()).isEqualTo(10);
		assertThat(new WebSocketEndpoint(this.node, List.of()).describe().histories())
			.containsExactly(entry("echo:room", new WebSocketEndpoint.HistorySize(1, 10)));
	}

	private void subscribe(String id, String position, int frames) {
		WebSocketTestClient client = WebSocketTestClient.to(this.port, "/ws/echo?id=" + id + "&recover=" + position)
			.open();
		this.clients.add(client);
		this.registry.app("echo").subscribe(this.echo.awaitChannel(id), "room");
		await().atMost(WAIT).until(() -> client.texts().size() == frames);
	}

	private static double recoveries(MeterRegistry meters, String result) {
		return meters.get("websocket.recoveries").tag("result", result).functionCounter().count();
	}

}
