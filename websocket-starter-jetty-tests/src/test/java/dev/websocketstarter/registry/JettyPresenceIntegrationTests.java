package dev.websocketstarter.registry;

import org.springframework.test.context.ContextConfiguration;

/**
 * The tests of {@link PresenceIntegrationTests} on Jetty's WebSocket layer: who is
 * subscribed, joins, leaves and diffs, as on Tomcat.
 */
@ContextConfiguration(classes = PresenceIntegrationTests.TestApp.class)
class JettyPresenceIntegrationTests extends PresenceIntegrationTests {

}
