package dev.websocketstarter.reliability;

/**
 * The tests of {@link ProtocolConformanceTests} on Jetty's WebSocket layer.
 */
class JettyProtocolConformanceTests extends ProtocolConformanceTests {

}
