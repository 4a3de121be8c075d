package dev.websocketstarter.registry;

import org.springframework.test.context.ContextConfiguration;

/**
 * The tests of {@link GreetingIntegrationTests} on Jetty's WebSocket layer: greetings
 * before multicasts, as on Tomcat.
 */
@ContextConfiguration(classes = GreetingIntegrationTests.TestApp.class)
class JettyGreetingIntegrationTests extends GreetingIntegrationTests {

}
