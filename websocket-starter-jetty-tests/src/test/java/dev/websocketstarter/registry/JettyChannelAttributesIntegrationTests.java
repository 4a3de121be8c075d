package dev.websocketstarter.registry;

import org.springframework.test.context.ContextConfiguration;

/**
 * The tests of {@link ChannelAttributesIntegrationTests} on Jetty's WebSocket layer:
 * attributes set at the handshake and later, read in onClose, as on Tomcat.
 */
@ContextConfiguration(classes = ChannelAttributesIntegrationTests.TestApp.class)
class JettyChannelAttributesIntegrationTests extends ChannelAttributesIntegrationTests {

}
