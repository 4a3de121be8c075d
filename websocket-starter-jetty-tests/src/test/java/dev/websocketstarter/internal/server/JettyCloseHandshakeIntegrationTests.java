package dev.websocketstarter.internal.server;

/**
 * The tests of {@link CloseHandshakeIntegrationTests} on Jetty's WebSocket layer, which
 * has no close timeout of its own once the starter turned its idle timeout off.
 */
class JettyCloseHandshakeIntegrationTests extends CloseHandshakeIntegrationTests {

}
