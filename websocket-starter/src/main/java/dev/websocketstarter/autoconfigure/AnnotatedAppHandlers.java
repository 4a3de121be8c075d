package dev.websocketstarter.autoconfigure;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.websocketstarter.internal.channel.LocalNode;
import dev.websocketstarter.registry.ChannelHandler;
import dev.websocketstarter.registry.HandshakeAuthorizer;
import dev.websocketstarter.registry.WebSocketApp;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.util.ClassUtils;

/**
 * The handler beans annotated with {@link WebSocketApp}, checked when made: each
 * annotated bean is a {@link ChannelHandler}, each handler names its app, and each app
 * has one handler.
 */
final class AnnotatedAppHandlers implements WebSocketAppHandlers {

	private static final Log logger = LogFactory.getLog(LocalNode.LOG_CATEGORY);

	private final Map<String, ChannelHandler> handlers = new LinkedHashMap<>();

	AnnotatedAppHandlers(ListableBeanFactory beanFactory, WebSocketApps apps) {
		for (String beanName : beanFactory.getBeanNamesForAnnotation(WebSocketApp.class)) {
			if (!beanFactory.isTypeMatch(beanName, ChannelHandler.class)
					&& !beanFactory.isTypeMatch(beanName, HandshakeAuthorizer.class)) {
				Class<?> type = beanFactory.getType(beanName);
				throw new WebSocketConfigurationException("Bean '" + beanName + "' of "
						+ ((type != null) ? ClassUtils.getUserClass(type) : "unknown type") + " is annotated with @"
						+ WebSocketApp.class.getSimpleName() + " but is not a " + ChannelHandler.class.getSimpleName()
						+ " or a " + HandshakeAuthorizer.class.getSimpleName() + ".",
						"Make it implement " + ChannelHandler.class.getName() + ", or remove @"
								+ WebSocketApp.class.getSimpleName() + ".");
			}
		}
		Map<String, String> beanNames = new LinkedHashMap<>();
		for (String beanName : beanFactory.getBeanNamesForType(ChannelHandler.class)) {
			WebSocketApp binding = beanFactory.findAnnotationOnBean(beanName, WebSocketApp.class);
			if (binding == null) {
				throw new WebSocketConfigurationException(
						"Handler bean '" + beanName + "' does not say which WebSocket app it serves.",
						"Annotate its class or @Bean method with @" + WebSocketApp.class.getSimpleName()
								+ "(\"<app name>\"), naming an app under websocket.apps.");
			}
			String app = binding.value();
			String other = beanNames.putIfAbsent(app, beanName);
			if (other != null) {
				throw new WebSocketConfigurationException(
						"WebSocket app '" + app + "' has two handler beans: '" + other + "' and '" + beanName + "'.",
						"Keep one handler bean per app: remove one, or bind it to another app with @"
								+ WebSocketApp.class.getSimpleName() + ".");
			}
			if (!apps.enabled().containsKey(app)) {
				logger.warn("Handler bean '" + beanName + "' serves WebSocket app '" + app + "', which is off: "
						+ (apps.isConfigured(app) ? "websocket.apps." + app + ".urls is empty"
								: "there is no websocket.apps." + app + " section"));
				continue;
			}
			this.handlers.put(app, beanFactory.getBean(beanName, ChannelHandler.class));
		}
	}

	@Override
	public @Nullable ChannelHandler handler(String app) {
		return this.handlers.get(app);
	}

}
