package dev.websocketstarter.registry;

import org.springframework.test.context.ContextConfiguration;

/**
 * The tests of {@link SlowConsumerIntegrationTests} on Jetty's WebSocket layer, whose
 * writes block: a stuck peer is closed after {@code send-time-limit} all the same.
 */
@ContextConfiguration(classes = SlowConsumerIntegrationTests.TestApp.class)
class JettySlowConsumerIntegrationTests extends SlowConsumerIntegrationTests {

}
