package dev.websocketstarter.json;

import org.springframework.test.context.ContextConfiguration;

/**
 * The tests of {@link JsonChannelHandlerIntegrationTests} on Jetty's WebSocket layer:
 * typed JSON messages, as on Tomcat.
 */
@ContextConfiguration(classes = JsonChannelHandlerIntegrationTests.TestApp.class)
class JettyJsonChannelHandlerIntegrationTests extends JsonChannelHandlerIntegrationTests {

}
