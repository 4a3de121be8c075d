package dev.websocketstarter.test.registry;

import java.time.Duration;

import dev.websocketstarter.registry.Channel;
import dev.websocketstarter.registry.ChannelHandler;
import dev.websocketstarter.registry.ChannelRegistry;
import dev.websocketstarter.registry.Handshake;
import dev.websocketstarter.registry.WebSocketApp;
import dev.websocketstarter.test.autoconfigure.AutoConfigureWebSocketTestClient;
import dev.websocketstarter.test.autoconfigure.WebSocketTestClients;
import dev.websocketstarter.test.client.WebSocketTestClient;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.socket.CloseStatus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link RegistryWaits} on a real app: a ticker whose clients join
 * {@code /ticks} by asking, and a test that checks nothing more comes after an
 * unsubscribe, without sleeping.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "websocket.apps.ticker.urls=/ticker", "websocket.apps.ticker.auto-subscribe=false" })
@AutoConfigureWebSocketTestClient
class RegistryWaitsTests {

	@Autowired
	private WebSocketTestClients clients;

	@Autowired
	private ChannelRegistry registry;

	@Autowired
	private RegistryWaits waits;

	@Autowired
	private Ticker ticker;

	@Test
	void noMoreTicksAfterAnUnsubscribeOnceTheQueueIsWritten() {
		RegistryWaits waits = this.waits;
		try (WebSocketTestClient client = this.clients.open("/ticker?id=unsubscribe")) {
			client.send("subscribe");
			waits.subscriberCount("/ticks", 1);
			Channel channel = this.ticker.last;
			waits.subscriptions(channel, "/ticks");
			for (int i = 1; i <= 200; i++) {
				this.registry.app("ticker").multicast("/ticks", "tick " + i);
			}
			this.registry.app("ticker").unsubscribe(channel, "/ticks");
			this.registry.app("ticker").multicast("/ticks", "after");
			waits.written(channel);
			// A marker sent after the queue emptied arrives after every tick
			this.registry.send(channel, "marker");
			client.awaitText("marker");
			assertThat(client.texts()).doesNotContain("after").contains("tick 200");
			waits.allWritten("ticker");
		}
	}

	@Test
	void waitThatFailsSaysWhatTheRegistryShowed() {
		RegistryWaits waits = this.waits.timeout(Duration.ofMillis(200));
		assertThatExceptionOfType(AssertionError.class).isThrownBy(() -> waits.subscriberCount("/nobody", 1))
			.withMessage("Expected within 200 ms /nobody to have 1 subscribers, but it has 0: []");
	}

	@Test
	void closedChannelIsSeenClosedWithItsStatus() {
		try (WebSocketTestClient client = this.clients.open("/ticker")) {
			client.send("subscribe");
			this.waits.subscriberCount("/ticks", 1);
			Channel channel = this.ticker.last;
			this.registry.close(channel, new CloseStatus(4001, "done"));
			assertThat(this.waits.closedWith(channel, 4001).getReason()).isEqualTo("done");
			this.waits.subscriberCount("/ticks", 0);
			assertThat(client.awaitClose().getCode()).isEqualTo(4001);
		}
	}

	@Test
	void channelClosedByItsClientIsSeenWithTheClientsStatus() {
		Channel channel;
		try (WebSocketTestClient client = this.clients.open("/ticker")) {
			client.send("subscribe");
			this.waits.subscriberCount("/ticks", 1);
			channel = this.ticker.last;
			client.close(new CloseStatus(4002, "leaving"));
		}
		assertThat(this.waits.closed(channel)).isEqualTo(new CloseStatus(4002, "leaving"));
	}

	@Test
	void closeWithAnotherCodeFailsNamingTheStatus() {
		Channel channel;
		try (WebSocketTestClient client = this.clients.open("/ticker")) {
			client.send("subscribe");
			this.waits.subscriberCount("/ticks", 1);
			channel = this.ticker.last;
		}
		assertThatExceptionOfType(AssertionError.class).isThrownBy(() -> this.waits.closedWith(channel, 1008))
			.withMessageStartingWith(
					"Expected " + channel + " to close with 1008, but it closed with CloseStatus[code=1000");
	}

	@Test
	void openChannelFailsTheCloseWaitSayingItIsOpen() {
		try (WebSocketTestClient client = this.clients.open("/ticker")) {
			client.send("subscribe");
			this.waits.subscriberCount("/ticks", 1);
			Channel channel = this.ticker.last;
			assertThatExceptionOfType(AssertionError.class)
				.isThrownBy(() -> this.waits.timeout(Duration.ofMillis(100)).closed(channel))
				.withMessage("Expected within 100 ms " + channel + " to close, but it is open");
		}
	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class TickerApp {

		@Bean
		@WebSocketApp("ticker")
		Ticker ticker(ChannelRegistry registry) {
			return new Ticker(registry);
		}

	}

	static final class Ticker implements ChannelHandler {

		private final ChannelRegistry registry;

		volatile Channel last;

		Ticker(ChannelRegistry registry) {
			this.registry = registry;
		}

		@Override
		public void onOpen(Channel channel, Handshake handshake) {
			this.last = channel;
		}

		@Override
		public void onText(Channel channel, String text) {
			if (text.equals("subscribe")) {
				this.registry.app("ticker").subscribe(channel, "/ticks");
			}
		}

	}

}
