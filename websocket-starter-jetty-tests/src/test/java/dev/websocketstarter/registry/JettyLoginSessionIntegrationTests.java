package dev.websocketstarter.registry;

import org.springframework.test.context.ContextConfiguration;

/**
 * The tests of {@link LoginSessionIntegrationTests} on Jetty's WebSocket layer: channels
 * closing with their login session, as on Tomcat.
 */
@ContextConfiguration(classes = LoginSessionIntegrationTests.TestApp.class)
class JettyLoginSessionIntegrationTests extends LoginSessionIntegrationTests {

}
