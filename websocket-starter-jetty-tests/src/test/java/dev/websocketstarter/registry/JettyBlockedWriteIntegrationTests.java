package dev.websocketstarter.registry;

/**
 * The tests of {@link BlockedWriteIntegrationTests} on Jetty, whose blocking writes have
 * no timeout of their own once the starter turned Jetty's idle timeout off.
 */
class JettyBlockedWriteIntegrationTests extends BlockedWriteIntegrationTests {

}
