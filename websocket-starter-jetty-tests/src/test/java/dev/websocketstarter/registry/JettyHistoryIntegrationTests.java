package dev.websocketstarter.registry;

import org.springframework.test.context.ContextConfiguration;

/**
 * The tests of {@link HistoryIntegrationTests} on Jetty's WebSocket layer: offsets,
 * bounds and recovery under load, as on Tomcat.
 */
@ContextConfiguration(classes = HistoryIntegrationTests.HistoryApps.class)
class JettyHistoryIntegrationTests extends HistoryIntegrationTests {

}
