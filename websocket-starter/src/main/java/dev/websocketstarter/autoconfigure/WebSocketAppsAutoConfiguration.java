package dev.websocketstarter.autoconfigure;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.websocketstarter.autoconfigure.WebSocketProperties.Transport;
import dev.websocketstarter.internal.channel.AppSettings;
import dev.websocketstarter.internal.channel.AppStats;
import dev.websocketstarter.internal.channel.LocalNode;
import dev.websocketstarter.internal.container.ContainerWebSocketHandler;
import dev.websocketstarter.internal.json.JsonMessageHandler;
import dev.websocketstarter.internal.server.ServletUpgradeStrategy;
import dev.websocketstarter.json.JsonSender;
import dev.websocketstarter.registry.ChannelHandler;
import dev.websocketstarter.registry.ChannelRegistry;
import dev.websocketstarter.registry.HandshakeAuthorizer;
import dev.websocketstarter.registry.WebSocketApp;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication.Type;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.tomcat.TomcatConnectorCustomizer;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.servlet.ServletListenerRegistrationBean;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.server.HandshakeInterceptor;
import org.springframework.web.socket.server.support.WebSocketHttpRequestHandler;

/**
 * Serves every WebSocket app configured under {@code websocket.apps} with its handler
 * bean, and provides the {@link ChannelRegistry}. {@code websocket.enabled=false} turns
 * it off; with no app on it changes nothing outside its own beans.
 */
@AutoConfiguration(afterName = "org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration")
@ConditionalOnWebApplication(type = Type.SERVLET)
@ConditionalOnClass(value = WebSocketHandler.class, name = "jakarta.websocket.server.ServerContainer")
@ConditionalOnBooleanProperty(name = "websocket.enabled", matchIfMissing = true)
@EnableConfigurationProperties(WebSocketProperties.class)
public final class WebSocketAppsAutoConfiguration {

	WebSocketAppsAutoConfiguration() {
	}

	@Bean
	WebSocketApps webSocketApps(WebSocketProperties properties, Environment environment,
			ObjectProvider<WebSocketAppCustomizer> customizers) {
		new UnknownKeys("websocket", WebSocketProperties.class).check(environment);
		properties.getApps()
			.forEach((name, app) -> customizers.orderedStream()
				.forEach((customizer) -> customizer.customize(name, app)));
		return new WebSocketApps(properties);
	}

	@Bean
	LocalNode webSocketNode(WebSocketProperties properties, WebSocketApps apps, ApplicationEventPublisher events) {
		String node = (properties.getNodeId() != null) ? properties.getNodeId()
				: UUID.randomUUID().toString().substring(0, 8);
		Integer writerThreads = properties.getWriterThreads();
		LocalNode localNode = new LocalNode(node,
				(writerThreads != null) ? writerThreads : Math.max(4, 2 * Runtime.getRuntime().availableProcessors()),
				apps.heartbeatPeriod(), properties.getShutdownTimeout());
		localNode.presence().setListener(events::publishEvent);
		return localNode;
	}

	@Bean
	@ConditionalOnMissingBean
	ChannelRegistry channelRegistry(LocalNode node) {
		return node.registry();
	}

	@Bean
	@ConditionalOnMissingBean
	WebSocketAppHandlers webSocketAppHandlers(ListableBeanFactory beanFactory, WebSocketApps apps) {
		return new AnnotatedAppHandlers(beanFactory, apps);
	}

	@Bean
	@ConditionalOnMissingBean(name = "webSocketAppsHandlerMapping")
	AppsHandlerMapping webSocketAppsHandlerMapping(WebSocketProperties properties, WebSocketApps apps, LocalNode node,
			WebSocketAppHandlers handlers, ObjectProvider<HandshakeInterceptorCustomizer> interceptorCustomizers,
			ListableBeanFactory beanFactory, ObjectProvider<HandshakeAuthorizer> authorizerBeans,
			ObjectProvider<JsonBinder> jsonBinders) {
		AppAuthorizers authorizers = new AppAuthorizers(beanFactory, authorizerBeans, apps);
		Map<String, Object> urlMap = new LinkedHashMap<>();
		Map<AppSettings, LoggingHandshakeHandler> handshakeHandlers = new LinkedHashMap<>();
		RefusalLog refusals = new RefusalLog(System::nanoTime);
		for (AppSettings app : apps.enabled().values()) {
			ChannelHandler declared = handlers.handler(app.name());
			if (declared == null) {
				throw new WebSocketConfigurationException(
						"WebSocket app '" + app.name() + "' has URLs " + app.urls() + " but no handler bean.",
						"Define a bean that implements " + ChannelHandler.class.getName() + " annotated with @"
								+ WebSocketApp.class.getSimpleName() + "(\"" + app.name()
								+ "\"), or remove websocket.apps." + app.name() + ".urls to turn the app off.");
			}
			ChannelHandler handler = JsonBinder.handlerOf(app.name(), declared, jsonBinders);
			AppStats stats = node.stats().app(app.name());
			boolean container = properties.getTransport() == Transport.CONTAINER || app.permessageDeflate();
			// The peer gets send-time-limit to answer a close frame, as to take a write
			LoggingHandshakeHandler handshakeHandler = new LoggingHandshakeHandler(app.name(), stats, refusals,
					container ? null : new ServletUpgradeStrategy(app.maxMessageSize().toBytes(), app.sendTimeLimit()),
					app.maxMessageSize().toBytes());
			handshakeHandlers.put(app, handshakeHandler);
			List<HandshakeInterceptor> interceptors = new ArrayList<>();
			interceptors.add(new OriginCheckInterceptor(app, stats, refusals, properties.getAllowedHosts()));
			if (app.limitsConnections()) {
				interceptors.add(new ConnectionLimitInterceptor(node, app, refusals));
			}
			interceptorCustomizers.orderedStream()
				.forEach((customizer) -> customizer.customize(app.name(), interceptors));
			for (String url : app.urls()) {
				WebSocketHandler channelHandler = new ContainerWebSocketHandler(node.acceptor(app, url, handler),
						app.maxMessageSize().toBytes(), app.sendTimeLimit());
				// Also with the starter's transport, which gives way to the container's
				// layer off Tomcat
				WebSocketHttpRequestHandler requestHandler = !app.permessageDeflate()
						? new UncompressedRequestHandler(channelHandler, handshakeHandler)
						: new WebSocketHttpRequestHandler(channelHandler, handshakeHandler);
				List<HandshakeInterceptor> urlInterceptors = new ArrayList<>(interceptors);
				urlInterceptors
					.add(new AppHandshakeInterceptor(app, url, stats, refusals, authorizers.of(app.name()), declared));
				requestHandler.setHandshakeInterceptors(urlInterceptors);
				urlMap.put(url, requestHandler);
			}
		}
		return new AppsHandlerMapping(urlMap, handshakeHandlers);
	}

	@Bean
	@Conditional(OnAppsCondition.class)
	ServletListenerRegistrationBean<LoginSessionListener> webSocketLoginSessionListener(LocalNode node) {
		return new ServletListenerRegistrationBean<>(new LoginSessionListener(node));
	}

	/**
	 * Typed JSON messages, with Jackson's {@code JsonMapper}.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(JsonMapper.class)
	static class JsonConfiguration {

		@Bean
		@ConditionalOnBean(JsonMapper.class)
		@ConditionalOnMissingBean
		JsonSender jsonSender(ChannelRegistry registry, JsonMapper mapper) {
			return new JsonSender(registry, mapper);
		}

		@Bean
		@ConditionalOnBean(JsonMapper.class)
		JsonBinder webSocketJsonBinder(ChannelRegistry registry, JsonMapper mapper) {
			return (handler) -> new JsonMessageHandler(handler, mapper, registry);
		}

	}

	/**
	 * A cluster asked for without Redis to relay through would leave the node alone while
	 * its users believe it shares their messages: startup fails, naming the dependency.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBooleanProperty("websocket.cluster.enabled")
	@ConditionalOnMissingClass("org.springframework.data.redis.connection.RedisConnectionFactory")
	static class ClusterWithoutRedisConfiguration {

		ClusterWithoutRedisConfiguration() {
			throw new WebSocketConfigurationException(
					"websocket.cluster.enabled is true, but Spring Data Redis is not on the class path: this node would"
							+ " run alone",
					"Add the dependency org.springframework.boot:spring-boot-starter-data-redis, or set"
							+ " websocket.cluster.enabled=false");
		}

	}

	/**
	 * Tomcat's buffer sizes, set only while an app is on: they apply to every connection
	 * of the server.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(TomcatServletWebServerFactory.class)
	@Conditional(OnAppsCondition.class)
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
