package dev.websocketstarter.server;

import dev.websocketstarter.test.EchoApp;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

/**
 * The tests of {@link CloseHandshakeIntegrationTests} on Jetty's WebSocket layer, which
 * has no close timeout of its own once the starter turned its idle timeout off.
 */
@SpringBootTest(classes = EchoApp.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "websocket.defaults.ping-interval=0", "websocket.apps.echo.urls=/ws/echo",
				"websocket.apps.echo.send-time-limit=500ms", "websocket.apps.echo.send-buffer-limit=64MB" })
class JettyCloseHandshakeIntegrationTests extends CloseHandshakeIntegrationTests {

}
