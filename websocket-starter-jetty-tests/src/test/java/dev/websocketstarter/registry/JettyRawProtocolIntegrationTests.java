package dev.websocketstarter.registry;

/**
 * The tests of {@link RawProtocolIntegrationTests} on Jetty, where the starter's
 * transport gives way to Jetty's WebSocket layer.
 */
class JettyRawProtocolIntegrationTests extends RawProtocolIntegrationTests {

	@Override
	protected boolean boundsMessageTime() {
		return false;
	}

}
