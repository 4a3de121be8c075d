package dev.websocketstarter.registry;

/**
 * The tests of {@link ContainerRawProtocolIntegrationTests} on Jetty: an app with
 * permessage-deflate.
 */
class JettyContainerRawProtocolIntegrationTests extends ContainerRawProtocolIntegrationTests {

	@Override
	protected boolean boundsMessageTime() {
		return false;
	}

}
