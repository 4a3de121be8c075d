package dev.websocketstarter.autoconfigure;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

import dev.websocketstarter.internal.channel.LocalNode;
import dev.websocketstarter.registry.HandshakeAuthorizer;
import dev.websocketstarter.registry.WebSocketApp;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;

/**
 * The {@link HandshakeAuthorizer} beans of each app, in their order: those annotated with
 * {@link WebSocketApp} for that app, the others for every app.
 */
final class AppAuthorizers {

	private static final Log logger = LogFactory.getLog(LocalNode.LOG_CATEGORY);

	private final List<HandshakeAuthorizer> ordered;

	private final Map<HandshakeAuthorizer, String> apps = new IdentityHashMap<>();

	AppAuthorizers(ListableBeanFactory beanFactory, ObjectProvider<HandshakeAuthorizer> authorizers,
			WebSocketApps enabled) {
		for (String beanName : beanFactory.getBeanNamesForType(HandshakeAuthorizer.class)) {
			WebSocketApp binding = beanFactory.findAnnotationOnBean(beanName, WebSocketApp.class);
			if (binding != null) {
				if (!enabled.enabled().containsKey(binding.value())) {
					logger.warn("Handshake authorizer bean '" + beanName + "' serves WebSocket app '" + binding.value()
							+ "', which is off");
				}
				this.apps.put(beanFactory.getBean(beanName, HandshakeAuthorizer.class), binding.value());
			}
		}
		this.ordered = authorizers.orderedStream().toList();
	}

	/**
	 * The authorizers of an app, in order.
	 */
	List<HandshakeAuthorizer> of(String app) {
		List<HandshakeAuthorizer> authorizers = new ArrayList<>();
		for (HandshakeAuthorizer authorizer : this.ordered) {
			String only = this.apps.get(authorizer);
			if (only == null || only.equals(app)) {
				authorizers.add(authorizer);
			}
		}
		return authorizers;
	}

}
