package dev.websocketstarter.autoconfigure;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.websocketstarter.actuate.WebSocketEndpoint;
import dev.websocketstarter.actuate.WebSocketMetrics;
import dev.websocketstarter.registry.AppSettings;
import dev.websocketstarter.registry.AppStats;
import dev.websocketstarter.registry.ChannelHandler;
import dev.websocketstarter.registry.ChannelRegistry;
import dev.websocketstarter.registry.ChannelWebSocketHandler;
import dev.websocketstarter.registry.LocalChannelRegistry;
import dev.websocketstarter.autoconfigure.WebSocketProperties.Transport;
import dev.websocketstarter.registry.WebSocketApp;
import dev.websocketstarter.server.ServletUpgradeStrategy;
import io.micrometer.core.instrument.binder.MeterBinder;
import jakarta.websocket.server.ServerContainer;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication.Type;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.tomcat.TomcatConnectorCustomizer;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.server.HandshakeInterceptor;
import org.springframework.web.socket.server.support.WebSocketHandlerMapping;
import org.springframework.web.socket.server.support.WebSocketHttpRequestHandler;

/**
 * Serves every WebSocket app configured under {@code websocket.apps} with its handler
 * bean, and provides the {@link ChannelRegistry}.
 */
@AutoConfiguration
@ConditionalOnWebApplication(type = Type.SERVLET)
@ConditionalOnClass({ WebSocketHandler.class, ServerContainer.class })
@EnableConfigurationProperties(WebSocketProperties.class)
public final class WebSocketAppsAutoConfiguration {

	private static final Log logger = LogFactory.getLog(LocalChannelRegistry.LOG_CATEGORY);

	/**
	 * Same order as Spring's {@code @EnableWebSocket} mappings: ahead of controllers and
	 * static resources.
	 */
	private static final int MAPPING_ORDER = 1;

	WebSocketAppsAutoConfiguration() {
	}

	@Bean
	WebSocketApps webSocketApps(WebSocketProperties properties) {
		return new WebSocketApps(properties);
	}

	@Bean
	LocalChannelRegistry channelRegistry(WebSocketProperties properties, WebSocketApps apps) {
		String node = (properties.getNodeId() != null) ? properties.getNodeId()
				: UUID.randomUUID().toString().substring(0, 8);
		Integer writerThreads = properties.getWriterThreads();
		return new LocalChannelRegistry(node,
				(writerThreads != null) ? writerThreads : Math.max(4, 2 * Runtime.getRuntime().availableProcessors()),
				apps.heartbeatPeriod(), properties.getShutdownTimeout());
	}

	@Bean
	WebSocketHandlerMapping webSocketAppsHandlerMapping(WebSocketProperties properties, WebSocketApps apps,
			LocalChannelRegistry registry, ListableBeanFactory beanFactory) {
		Map<String, ChannelHandler> handlers = handlersByApp(beanFactory, apps);
		Map<String, Object> urlMap = new LinkedHashMap<>();
		for (AppSettings app : apps.enabled().values()) {
			ChannelHandler handler = handlers.get(app.name());
			if (handler == null) {
				throw new WebSocketConfigurationException(
						"WebSocket app '" + app.name() + "' has URLs " + app.urls() + " but no handler bean.",
						"Define a bean that implements " + ChannelHandler.class.getName() + " annotated with @"
								+ WebSocketApp.class.getSimpleName() + "(\"" + app.name()
								+ "\"), or remove websocket.apps." + app.name() + ".urls to turn the app off.");
			}
			List<HandshakeInterceptor> interceptors = new ArrayList<>();
			AppStats stats = registry.stats(app.name());
			boolean container = properties.getTransport() == Transport.CONTAINER || app.permessageDeflate();
			// The peer gets send-time-limit to answer a close frame, as to take a write
			LoggingHandshakeHandler handshakeHandler = new LoggingHandshakeHandler(app.name(), stats,
					container ? null : new ServletUpgradeStrategy(app.maxMessageSize().toBytes(), app.sendTimeLimit()),
					app.maxMessageSize().toBytes());
			interceptors.add(new OriginCheckInterceptor(app, stats));
			if (app.limitsConnections()) {
				interceptors.add(new ConnectionLimitInterceptor(registry, app));
			}
			for (String url : app.urls()) {
				ChannelWebSocketHandler channelHandler = new ChannelWebSocketHandler(registry, app, url, handler);
				// Also with the starter's transport, which gives way to the container's
				// layer off Tomcat
				WebSocketHttpRequestHandler requestHandler = !app.permessageDeflate()
						? new UncompressedRequestHandler(channelHandler, handshakeHandler)
						: new WebSocketHttpRequestHandler(channelHandler, handshakeHandler);
				requestHandler.setHandshakeInterceptors(interceptors);
				urlMap.put(url, requestHandler);
			}
			logger.debug("WebSocket app '" + app.name() + "' serves " + app.urls() + " on the "
					+ (container ? "container's WebSocket layer" : "starter's transport (on Tomcat)"));
		}
		WebSocketHandlerMapping mapping = new WebSocketHandlerMapping();
		mapping.setUrlMap(urlMap);
		mapping.setOrder(MAPPING_ORDER);
		return mapping;
	}

	private static Map<String, ChannelHandler> handlersByApp(ListableBeanFactory beanFactory, WebSocketApps apps) {
		Map<String, ChannelHandler> handlers = new LinkedHashMap<>();
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
			handlers.put(app, beanFactory.getBean(beanName, ChannelHandler.class));
		}
		return handlers;
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(MeterBinder.class)
	static class MetricsConfiguration {

		@Bean
		@ConditionalOnMissingBean
		WebSocketMetrics webSocketMetrics(LocalChannelRegistry registry, WebSocketApps apps) {
			return new WebSocketMetrics(registry, apps);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass({ Endpoint.class, ConditionalOnAvailableEndpoint.class })
	static class EndpointConfiguration {

		@Bean
		@ConditionalOnMissingBean
		@ConditionalOnAvailableEndpoint
		WebSocketEndpoint webSocketEndpoint(LocalChannelRegistry registry, WebSocketApps apps) {
			return new WebSocketEndpoint(registry, apps);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(TomcatServletWebServerFactory.class)
	static class TomcatConfiguration {

		private static final List<String> BUFFER_PARAMETERS = List.of("org.apache.tomcat.websocket.textBufferSize",
				"org.apache.tomcat.websocket.binaryBufferSize");

		private static final String FRAME_BUFFER_PROPERTY = "org.apache.tomcat.websocket.DEFAULT_BUFFER_SIZE";

		@Bean
		WebServerFactoryCustomizer<TomcatServletWebServerFactory> webSocketBufferSizeCustomizer(
				WebSocketProperties properties, WebSocketApps apps) {
			String size = Long.toString(properties.getContainerBufferSize().toBytes());
			// A JVM-wide setting: made only for an app that needs it
			boolean tomcatLayer = properties.getTransport() == Transport.CONTAINER
					|| apps.enabled().values().stream().anyMatch(AppSettings::permessageDeflate);
			return (factory) -> {
				// Tomcat reads it once, when its WebSocket classes load: after this runs,
				// as the server is made. A value set on the command line wins.
				if (tomcatLayer && System.getProperty(FRAME_BUFFER_PROPERTY) == null) {
					System.setProperty(FRAME_BUFFER_PROPERTY, size);
				}
				factory.addContextCustomizers((context) -> {
					for (String parameter : BUFFER_PARAMETERS) {
						// Runs when the context is made, after
						// server.servlet.context-parameters reached the factory
						if (context.findParameter(parameter) == null
								&& !factory.getSettings().getInitParameters().containsKey(parameter)) {
							context.addParameter(parameter, size);
						}
					}
				});
			};
		}

		/**
		 * First in order, so that a connector customizer of the application's own wins.
		 */
		@Bean
		@Order(Ordered.HIGHEST_PRECEDENCE)
		TomcatConnectorCustomizer webSocketSocketBufferSizeCustomizer(WebSocketProperties properties) {
			String size = Long.toString(properties.getSocketBufferSize().toBytes());
			return (connector) -> {
				connector.setProperty("socket.appReadBufSize", size);
				connector.setProperty("socket.appWriteBufSize", size);
			};
		}

	}

}
