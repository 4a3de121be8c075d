package dev.websocketstarter.registry;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

/**
 * The tests of {@link SlowConsumerIntegrationTests} on Jetty's WebSocket layer, whose
 * writes block: a stuck peer is closed after {@code send-time-limit} all the same.
 */
@SpringBootTest(classes = SlowConsumerIntegrationTests.TestApp.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "websocket.defaults.ping-interval=0", "websocket.apps.fanout.urls=/ws/fanout",
				"websocket.apps.fanout.send-buffer-limit=64KB", "websocket.apps.fanout.send-time-limit=2s",
				"websocket.apps.drop.urls=/ws/drop", "websocket.apps.drop.overflow=drop-oldest",
				"websocket.apps.drop.send-buffer-limit=16KB", "websocket.apps.drop.send-time-limit=60s" })
class JettySlowConsumerIntegrationTests extends SlowConsumerIntegrationTests {

}
