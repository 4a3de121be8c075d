package dev.websocketstarter.registry;

import org.springframework.test.context.ContextConfiguration;

/**
 * The tests of {@link HandshakeIntegrationTests} on Jetty's WebSocket layer: origins,
 * refusals and compression declined as on Tomcat.
 */
@ContextConfiguration(classes = HandshakeIntegrationTests.TestApp.class)
class JettyHandshakeIntegrationTests extends HandshakeIntegrationTests {

}
