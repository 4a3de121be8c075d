package dev.websocketstarter.registry;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;

import dev.websocketstarter.test.EchoApp;
import dev.websocketstarter.test.RecordingHandler;
import dev.websocketstarter.test.client.WebSocketTestClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.web.socket.CloseStatus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link ChannelRegistry#claim} and {@link ChannelRegistry#release} on one
 * node: one channel holds a value at a time, until it closes or releases it, even when
 * many claim it at once; apps with separate subscription scopes claim separately.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "websocket.apps.echo.urls=/ws/echo", "websocket.apps.other.urls=/ws/other" })
class ClaimIntegrationTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	private static final AtomicLong ids = new AtomicLong();

	@LocalServerPort
	private int port;

	@Autowired
	private ChannelRegistry registry;

	@Autowired
	@Qualifier("echoHandler")
	private RecordingHandler echo;

	@Autowired
	@Qualifier("otherHandler")
	private RecordingHandler other;

	private final List<WebSocketTestClient> clients = new ArrayList<>();

	@AfterEach
	void closeClients() {
		this.clients.forEach(WebSocketTestClient::close);
	}

	@Test
	void firstClaimHoldsTheValueAndClaimingItAgainKeepsIt() {
		Tab first = open("echo");
		Tab second = open("echo");
		assertThat(this.registry.claim(first.channel(), "name:/room", "alice")).isEqualTo(ClaimResult.CLAIMED);
		assertThat(this.registry.claim(second.channel(), "name:/room", "alice")).isEqualTo(ClaimResult.TAKEN);
		assertThat(this.registry.claim(first.channel(), "name:/room", "alice")).isEqualTo(ClaimResult.CLAIMED);
		assertThat(this.registry.claim(second.channel(), "name:/other-room", "alice")).isEqualTo(ClaimResult.CLAIMED);
		assertThat(this.registry.claim(second.channel(), "name:/room", "Alice")).isEqualTo(ClaimResult.CLAIMED);
	}

	@Test
	void valueIsFreeOnceItsHolderClosesEitherWay() {
		Tab clientCloses = open("echo");
		Tab serverCloses = open("echo");
		Tab next = open("echo");
		assertThat(this.registry.claim(clientCloses.channel(), "closing", "bob").isClaimed()).isTrue();
		assertThat(this.registry.claim(serverCloses.channel(), "closing", "carol").isClaimed()).isTrue();

		clientCloses.client().close();
		this.registry.close(serverCloses.channel(), CloseStatus.NORMAL);

		await().atMost(WAIT)
			.untilAsserted(() -> assertThat(this.registry.claim(next.channel(), "closing", "bob"))
				.isEqualTo(ClaimResult.CLAIMED));
		await().atMost(WAIT)
			.untilAsserted(() -> assertThat(this.registry.claim(next.channel(), "closing", "carol"))
				.isEqualTo(ClaimResult.CLAIMED));
		assertThat(this.registry.claim(clientCloses.channel(), "closing", "dan")).isEqualTo(ClaimResult.CLOSED);
		assertThat(this.registry.claim(next.channel(), "closing", "dan")).isEqualTo(ClaimResult.CLAIMED);
	}

	@Test
	void releaseFreesTheValueForOthersAndOnlyItsHolderReleasesIt() {
		Tab holder = open("echo");
		Tab other = open("echo");
		this.registry.claim(holder.channel(), "release", "erin");
		assertThat(this.registry.release(other.channel(), "release", "erin")).isFalse();
		assertThat(this.registry.claim(other.channel(), "release", "erin")).isEqualTo(ClaimResult.TAKEN);

		assertThat(this.registry.release(holder.channel(), "release", "erin")).isTrue();
		assertThat(this.registry.release(holder.channel(), "release", "erin")).isFalse();
		assertThat(this.registry.claim(other.channel(), "release", "erin")).isEqualTo(ClaimResult.CLAIMED);
		assertThat(this.registry.isOpen(holder.channel())).isTrue();
	}

	@Test
	void ofManyChannelsClaimingOneValueAtOnceExactlyOneHoldsIt() throws Exception {
		List<Tab> tabs = IntStream.range(0, 16).mapToObj((i) -> open("echo")).toList();
		for (int round = 0; round < 20; round++) {
			String value = "race-" + round;
			CountDownLatch start = new CountDownLatch(1);
			List<CompletableFuture<ClaimResult>> claims = tabs.stream()
				.map((tab) -> CompletableFuture.supplyAsync(() -> {
					awaitLatch(start);
					return this.registry.claim(tab.channel(), "race", value);
				}))
				.toList();
			start.countDown();
			List<ClaimResult> results = new ArrayList<>();
			for (CompletableFuture<ClaimResult> claim : claims) {
				results.add(claim.get());
			}
			assertThat(results).filteredOn(ClaimResult::isClaimed).hasSize(1);
			assertThat(results).filteredOn((result) -> !result.isClaimed()).containsOnly(ClaimResult.TAKEN);
		}
	}

	@Test
	void appsWithSeparateScopesClaimSeparately() {
		Tab echoTab = open("echo");
		Tab otherTab = open("other");
		assertThat(this.registry.claim(echoTab.channel(), "name:/room", "frank")).isEqualTo(ClaimResult.CLAIMED);
		assertThat(this.registry.claim(otherTab.channel(), "name:/room", "frank")).isEqualTo(ClaimResult.CLAIMED);
		assertThat(this.registry.app("other").claim(otherTab.channel(), "name:/room", "frank"))
			.isEqualTo(ClaimResult.CLAIMED);
	}

	@Test
	void emptyOrOverlongNamespacesAndValuesAreRefused() {
		Channel channel = open("echo").channel();
		String overlong = "é".repeat(ChannelRegistry.MAX_CLAIM_BYTES / 2 + 1);
		String longest = "é".repeat(ChannelRegistry.MAX_CLAIM_BYTES / 2);
		assertThatIllegalArgumentException().isThrownBy(() -> this.registry.claim(channel, "names", ""));
		assertThatIllegalArgumentException().isThrownBy(() -> this.registry.claim(channel, "", "grace"));
		assertThatIllegalArgumentException().isThrownBy(() -> this.registry.claim(channel, "names", overlong))
			.withMessageContaining("at most 1024 bytes in UTF-8");
		assertThatIllegalArgumentException().isThrownBy(() -> this.registry.claim(channel, overlong, "grace"));
		assertThat(this.registry.claim(channel, longest, longest)).isEqualTo(ClaimResult.CLAIMED);
	}

	private static void awaitLatch(CountDownLatch latch) {
		try {
			latch.await();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private Tab open(String app) {
		String id = "claim-" + ids.incrementAndGet();
		WebSocketTestClient client = WebSocketTestClient.to(this.port, "/ws/" + app + "?id=" + id).open();
		this.clients.add(client);
		RecordingHandler handler = app.equals("echo") ? this.echo : this.other;
		return new Tab(client, handler.awaitChannel(id));
	}

	record Tab(WebSocketTestClient client, Channel channel) {

	}

	@Configuration(proxyBeanMethods = false)
	@Import(EchoApp.class)
	static class ClaimApps {

		@Bean
		@WebSocketApp("other")
		RecordingHandler otherHandler(ChannelRegistry registry) {
			return new RecordingHandler(registry);
		}

	}

}
