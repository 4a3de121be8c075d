package dev.websocketstarter.registry;

import org.springframework.test.context.ContextConfiguration;

/**
 * The tests of {@link HandshakeDecisionIntegrationTests} on Jetty's WebSocket layer:
 * handshake decisions and authorizers, as on Tomcat.
 */
@ContextConfiguration(classes = HandshakeDecisionIntegrationTests.TestApp.class)
class JettyHandshakeDecisionIntegrationTests extends HandshakeDecisionIntegrationTests {

}
