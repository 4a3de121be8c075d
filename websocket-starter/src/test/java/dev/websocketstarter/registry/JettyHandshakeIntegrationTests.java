package dev.websocketstarter.registry;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

/**
 * The tests of {@link HandshakeIntegrationTests} on Jetty's WebSocket layer: origins,
 * refusals and compression declined as on Tomcat.
 */
@SpringBootTest(classes = HandshakeIntegrationTests.TestApp.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "websocket.apps.echo.urls=/ws/echo", "websocket.apps.open.urls=/ws/open",
				"websocket.apps.open.allowed-origins=https://*.example.com" })
class JettyHandshakeIntegrationTests extends HandshakeIntegrationTests {

}
