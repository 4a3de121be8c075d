package dev.websocketstarter.registry;

import dev.websocketstarter.test.EchoApp;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

/**
 * The tests of {@link RawProtocolIntegrationTests} on Jetty, where the starter's
 * transport gives way to Jetty's WebSocket layer.
 */
@SpringBootTest(classes = EchoApp.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "websocket.apps.echo.urls=/ws/echo", "websocket.apps.echo.ping-interval=200ms",
				"websocket.apps.echo.max-message-size=1KB" })
class JettyRawProtocolIntegrationTests extends RawProtocolIntegrationTests {

}
