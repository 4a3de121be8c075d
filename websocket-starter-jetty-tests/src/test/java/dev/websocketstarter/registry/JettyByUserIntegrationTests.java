package dev.websocketstarter.registry;

import org.springframework.test.context.ContextConfiguration;

/**
 * The tests of {@link ByUserIntegrationTests} on Jetty's WebSocket layer: sending to and
 * closing a user's channels, as on Tomcat.
 */
@ContextConfiguration(classes = ByUserIntegrationTests.TestApp.class)
class JettyByUserIntegrationTests extends ByUserIntegrationTests {

}
