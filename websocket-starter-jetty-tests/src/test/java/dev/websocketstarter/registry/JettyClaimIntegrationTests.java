package dev.websocketstarter.registry;

import org.springframework.test.context.ContextConfiguration;

/**
 * The tests of {@link ClaimIntegrationTests} on Jetty's WebSocket layer: a value is free
 * again once its holder's connection closes, either way, as on Tomcat.
 */
@ContextConfiguration(classes = ClaimIntegrationTests.ClaimApps.class)
class JettyClaimIntegrationTests extends ClaimIntegrationTests {

}
