package dev.websocketstarter.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.websocketstarter.internal.channel.AppSettings;
import dev.websocketstarter.internal.channel.LocalNode;
import dev.websocketstarter.registry.ChannelHandler;
import dev.websocketstarter.registry.ChannelRegistry;
import dev.websocketstarter.registry.OverflowPolicy;
import dev.websocketstarter.registry.WebSocketApp;
import jakarta.websocket.server.ServerContainer;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableWebApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.util.unit.DataSize;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.handler.WebSocketHandlerDecorator;
import org.springframework.web.socket.server.HandshakeInterceptor;
import org.springframework.web.socket.server.support.WebSocketHandlerMapping;
import org.springframework.web.socket.server.support.WebSocketHttpRequestHandler;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link WebSocketAppsAutoConfiguration}.
 */
@ExtendWith(OutputCaptureExtension.class)
class WebSocketAppsAutoConfigurationTests {

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(WebSocketAppsAutoConfiguration.class));

	@Test
	void appWithUrlsIsServedAtEachUrl() {
		this.contextRunner.withUserConfiguration(ChatHandlerConfiguration.class)
			.withPropertyValues("websocket.apps.chat.urls=/chat,/chat/rooms")
			.run((context) -> {
				assertThat(context).hasSingleBean(WebSocketHandlerMapping.class);
				Map<String, ?> urlMap = context.getBean(WebSocketHandlerMapping.class).getUrlMap();
				assertThat(urlMap).containsOnlyKeys("/chat", "/chat/rooms");
				urlMap.forEach((url, handler) -> {
					assertThat(handler).isInstanceOf(WebSocketHttpRequestHandler.class);
					WebSocketHandler webSocketHandler = ((WebSocketHttpRequestHandler) handler).getWebSocketHandler();
					assertThat(WebSocketHandlerDecorator.unwrap(webSocketHandler))
						.hasToString("ContainerWebSocketHandler[ChannelAcceptor[app=chat, url=" + url + "]]");
				});
			});
	}

	@Test
	void everyAppWithUrlsIsServed() {
		this.contextRunner.withUserConfiguration(ChatHandlerConfiguration.class, FeedHandlerConfiguration.class)
			.withPropertyValues("websocket.apps.chat.urls=/chat", "websocket.apps.feed.urls=/feed,/feed/prices")
			.run((context) -> {
				assertThat(context.getBean(WebSocketApps.class).enabled()).containsOnlyKeys("chat", "feed");
				assertThat(context.getBean(WebSocketHandlerMapping.class).getUrlMap()).containsOnlyKeys("/chat",
						"/feed", "/feed/prices");
			});
	}

	@Test
	void handlerBoundOnBeanMethodIsServed() {
		this.contextRunner.withUserConfiguration(BeanMethodHandlerConfiguration.class)
			.withPropertyValues("websocket.apps.chat.urls=/chat")
			.run((context) -> assertThat(context.getBean(WebSocketHandlerMapping.class).getUrlMap())
				.containsOnlyKeys("/chat"));
	}

	@Test
	void channelRegistryIsInjectableByItsInterface() {
		this.contextRunner.withUserConfiguration(ChatHandlerConfiguration.class, RegistryUserConfiguration.class)
			.withPropertyValues("websocket.apps.chat.urls=/chat")
			.run((context) -> {
				assertThat(context).hasSingleBean(ChannelRegistry.class);
				assertThat(context).hasSingleBean(LocalNode.class);
				assertThat(context.getBean(RegistryUser.class).registry())
					.isSameAs(context.getBean(ChannelRegistry.class))
					.isSameAs(context.getBean(LocalNode.class).registry());
			});
	}

	@Test
	void everyAppOptionIsBound() {
		this.contextRunner.withUserConfiguration(ChatHandlerConfiguration.class)
			.withPropertyValues("websocket.apps.chat.urls=/chat",
					"websocket.apps.chat.allowed-origins=https://*.example.com,https://example.org",
					"websocket.apps.chat.max-message-size=1MB", "websocket.apps.chat.idle-timeout=5m",
					"websocket.apps.chat.ping-interval=20s", "websocket.apps.chat.send-buffer-limit=2MB",
					"websocket.apps.chat.send-time-limit=3s", "websocket.apps.chat.overflow=drop-oldest",
					"websocket.apps.chat.auto-subscribe=false")
			.run((context) -> {
				AppSettings chat = context.getBean(WebSocketApps.class).enabled().get("chat");
				assertThat(chat.name()).isEqualTo("chat");
				assertThat(chat.urls()).containsExactly("/chat");
				assertThat(chat.allowedOrigins()).containsExactly("https://*.example.com", "https://example.org");
				assertThat(chat.maxMessageSize()).isEqualTo(DataSize.ofMegabytes(1));
				assertThat(chat.idleTimeout()).isEqualTo(Duration.ofMinutes(5));
				assertThat(chat.pingInterval()).isEqualTo(Duration.ofSeconds(20));
				assertThat(chat.sendBufferLimit()).isEqualTo(DataSize.ofMegabytes(2));
				assertThat(chat.sendTimeLimit()).isEqualTo(Duration.ofSeconds(3));
				assertThat(chat.overflow()).isEqualTo(OverflowPolicy.DROP_OLDEST);
				assertThat(chat.autoSubscribe()).isFalse();
			});
	}

	@Test
	void appInheritsEveryOptionItDoesNotSetFromDefaults() {
		this.contextRunner.withUserConfiguration(ChatHandlerConfiguration.class, FeedHandlerConfiguration.class)
			.withPropertyValues("websocket.defaults.allowed-origins=https://*.example.com",
					"websocket.defaults.max-message-size=1MB", "websocket.defaults.idle-timeout=5m",
					"websocket.defaults.ping-interval=20s", "websocket.defaults.send-buffer-limit=2MB",
					"websocket.defaults.send-time-limit=3s", "websocket.defaults.overflow=drop-oldest",
					"websocket.defaults.auto-subscribe=false", "websocket.apps.chat.urls=/chat",
					"websocket.apps.feed.urls=/feed", "websocket.apps.feed.max-message-size=4KB",
					"websocket.apps.feed.auto-subscribe=true")
			.run((context) -> {
				Map<String, AppSettings> apps = context.getBean(WebSocketApps.class).enabled();
				AppSettings chat = apps.get("chat");
				assertThat(chat.allowedOrigins()).containsExactly("https://*.example.com");
				assertThat(chat.maxMessageSize()).isEqualTo(DataSize.ofMegabytes(1));
				assertThat(chat.idleTimeout()).isEqualTo(Duration.ofMinutes(5));
				assertThat(chat.pingInterval()).isEqualTo(Duration.ofSeconds(20));
				assertThat(chat.sendBufferLimit()).isEqualTo(DataSize.ofMegabytes(2));
				assertThat(chat.sendTimeLimit()).isEqualTo(Duration.ofSeconds(3));
				assertThat(chat.overflow()).isEqualTo(OverflowPolicy.DROP_OLDEST);
				assertThat(chat.autoSubscribe()).isFalse();
				AppSettings feed = apps.get("feed");
				assertThat(feed.maxMessageSize()).isEqualTo(DataSize.ofKilobytes(4));
				assertThat(feed.autoSubscribe()).isTrue();
				assertThat(feed.allowedOrigins()).containsExactly("https://*.example.com");
				assertThat(feed.idleTimeout()).isEqualTo(Duration.ofMinutes(5));
				assertThat(feed.overflow()).isEqualTo(OverflowPolicy.DROP_OLDEST);
			});
	}

	@Test
	void appWithoutOptionsGetsBuiltInDefaults() {
		this.contextRunner.withUserConfiguration(ChatHandlerConfiguration.class)
			.withPropertyValues("websocket.apps.chat.urls=/chat")
			.run((context) -> {
				AppSettings chat = context.getBean(WebSocketApps.class).enabled().get("chat");
				assertThat(chat.allowedOrigins()).isEmpty();
				assertThat(chat.maxMessageSize()).isEqualTo(DataSize.ofKilobytes(64));
				assertThat(chat.idleTimeout()).isEqualTo(Duration.ZERO);
				assertThat(chat.pingInterval()).isEqualTo(Duration.ofSeconds(30));
				assertThat(chat.sendBufferLimit()).isEqualTo(DataSize.ofKilobytes(512));
				assertThat(chat.sendTimeLimit()).isEqualTo(Duration.ofSeconds(10));
				assertThat(chat.overflow()).isEqualTo(OverflowPolicy.CLOSE);
				assertThat(chat.autoSubscribe()).isTrue();
			});
	}

	@Test
	void appWithEmptyUrlsIsOff() {
		this.contextRunner.withUserConfiguration(FeedHandlerConfiguration.class)
			.withPropertyValues("websocket.apps.chat.urls=", "websocket.apps.chat.max-message-size=1MB",
					"websocket.apps.feed.urls=/feed")
			.run((context) -> {
				WebSocketApps apps = context.getBean(WebSocketApps.class);
				assertThat(apps.enabled()).containsOnlyKeys("feed");
				assertThat(apps.isConfigured("chat")).isTrue();
				assertThat(context.getBean(WebSocketHandlerMapping.class).getUrlMap()).containsOnlyKeys("/feed");
			});
	}

	@Test
	void handlerForAppWithEmptyUrlsDoesNotFailStartup() {
		this.contextRunner.withUserConfiguration(ChatHandlerConfiguration.class)
			.withPropertyValues("websocket.apps.chat.urls=")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context.getBean(WebSocketApps.class).enabled()).isEmpty();
				assertThat(context.getBean(WebSocketHandlerMapping.class).getUrlMap()).isEmpty();
			});
	}

	@Test
	void handlerForAppWithoutSectionDoesNotFailStartup() {
		this.contextRunner.withUserConfiguration(ChatHandlerConfiguration.class).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context.getBean(WebSocketApps.class).isConfigured("chat")).isFalse();
			assertThat(context.getBean(WebSocketHandlerMapping.class).getUrlMap()).isEmpty();
		});
	}

	@Test
	void startsWithEmptyMappingWhenNoAppIsConfigured() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(ChannelRegistry.class);
			assertThat(context.getBean(WebSocketApps.class).enabled()).isEmpty();
			assertThat(context.getBean(WebSocketHandlerMapping.class).getUrlMap()).isEmpty();
		});
	}

	@Test
	void nonWebApplicationGetsNoRegistry() {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(WebSocketAppsAutoConfiguration.class))
			.withPropertyValues("websocket.apps.chat.urls=/chat")
			.run((context) -> {
				assertThat(context).doesNotHaveBean(ChannelRegistry.class);
				assertThat(context).doesNotHaveBean(WebSocketApps.class);
				assertThat(context).doesNotHaveBean(WebSocketHandlerMapping.class);
			});
	}

	@Test
	void applicationWithoutSpringWebSocketGetsNoRegistry() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(WebSocketHandler.class)).run((context) -> {
			assertThat(context).doesNotHaveBean(ChannelRegistry.class);
			assertThat(context).doesNotHaveBean(WebSocketHandlerMapping.class);
		});
	}

	@Test
	void applicationWithoutWebSocketServerApiGetsNoRegistry() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(ServerContainer.class))
			.run((context) -> assertThat(context).doesNotHaveBean(ChannelRegistry.class));
	}

	@Test
	void nodeIdNamesTheRegistryNode() {
		this.contextRunner.withPropertyValues("websocket.node-id=node-1")
			.run((context) -> assertThat(context.getBean(LocalNode.class).node()).isEqualTo("node-1"));
	}

	@Test
	void nodeIdIsGeneratedWhenNotSet() {
		this.contextRunner.run((context) -> assertThat(context.getBean(LocalNode.class).node()).isNotBlank());
	}

	@Test
	void heartbeatPeriodIsAFifthOfTheShortestIntervalOfAnyApp() {
		this.contextRunner.withUserConfiguration(ChatHandlerConfiguration.class, FeedHandlerConfiguration.class)
			.withPropertyValues("websocket.apps.chat.urls=/chat", "websocket.apps.chat.ping-interval=3s",
					"websocket.apps.chat.idle-timeout=4s", "websocket.apps.feed.urls=/feed",
					"websocket.apps.feed.ping-interval=0", "websocket.apps.feed.idle-timeout=2s")
			.run((context) -> assertThat(context.getBean(WebSocketApps.class).heartbeatPeriod())
				.isEqualTo(Duration.ofMillis(400)));
	}

	@Test
	void heartbeatPeriodIsAtMostOneSecond() {
		this.contextRunner.withUserConfiguration(ChatHandlerConfiguration.class)
			.withPropertyValues("websocket.apps.chat.urls=/chat")
			.run((context) -> assertThat(context.getBean(WebSocketApps.class).heartbeatPeriod())
				.isEqualTo(Duration.ofSeconds(1)));
	}

	@Test
	void heartbeatPeriodIsAtLeastTenMilliseconds() {
		this.contextRunner.withUserConfiguration(ChatHandlerConfiguration.class)
			.withPropertyValues("websocket.apps.chat.urls=/chat", "websocket.apps.chat.ping-interval=20ms")
			.run((context) -> assertThat(context.getBean(WebSocketApps.class).heartbeatPeriod())
				.isEqualTo(Duration.ofMillis(10)));
	}

	@Test
	void heartbeatPeriodFollowsSendTimeLimitWhenNoAppPingsOrTimesOut() {
		this.contextRunner.withUserConfiguration(ChatHandlerConfiguration.class, FeedHandlerConfiguration.class)
			.withPropertyValues("websocket.defaults.ping-interval=0", "websocket.apps.chat.urls=/chat",
					"websocket.apps.feed.urls=/feed", "websocket.apps.feed.idle-timeout=0",
					"websocket.apps.feed.send-time-limit=2s")
			.run((context) -> assertThat(context.getBean(WebSocketApps.class).heartbeatPeriod())
				.isEqualTo(Duration.ofMillis(400)));
	}

	@Test
	void appWithUrlsButNoHandlerFailsStartup() {
		this.contextRunner.withPropertyValues("websocket.apps.chat.urls=/chat").run((context) -> {
			FailureAnalysis analysis = configurationFailure(context);
			assertThat(analysis.getDescription()).contains("'chat'", "/chat", "no handler bean");
			assertThat(analysis.getAction()).contains(ChannelHandler.class.getName(), "@WebSocketApp(\"chat\")",
					"websocket.apps.chat.urls");
		});
	}

	@Test
	void urlClaimedByTwoAppsFailsStartup() {
		this.contextRunner.withUserConfiguration(ChatHandlerConfiguration.class, FeedHandlerConfiguration.class)
			.withPropertyValues("websocket.apps.chat.urls=/live", "websocket.apps.feed.urls=/feed,/live")
			.run((context) -> {
				FailureAnalysis analysis = configurationFailure(context);
				assertThat(analysis.getDescription()).contains("'/live'", "'chat'", "'feed'");
				assertThat(analysis.getAction()).contains("websocket.apps.chat.urls", "websocket.apps.feed.urls");
			});
	}

	@Test
	void handlerWithoutWebSocketAppFailsStartup() {
		this.contextRunner.withUserConfiguration(ChatHandlerConfiguration.class, UnboundHandlerConfiguration.class)
			.withPropertyValues("websocket.apps.chat.urls=/chat")
			.run((context) -> {
				FailureAnalysis analysis = configurationFailure(context);
				assertThat(analysis.getDescription()).contains("'unboundHandler'");
				assertThat(analysis.getAction()).contains("@WebSocketApp", "websocket.apps");
			});
	}

	@Test
	void twoHandlersForOneAppFailStartup() {
		this.contextRunner.withUserConfiguration(ChatHandlerConfiguration.class, OtherChatHandlerConfiguration.class)
			.withPropertyValues("websocket.apps.chat.urls=/chat")
			.run((context) -> {
				FailureAnalysis analysis = configurationFailure(context);
				assertThat(analysis.getDescription()).contains("'chat'", "'chatHandler'", "'otherChatHandler'");
				assertThat(analysis.getAction()).contains("one handler bean per app", "@WebSocketApp");
			});
	}

	@Test
	void urlNotStartingWithSlashFailsStartup() {
		this.contextRunner.withUserConfiguration(ChatHandlerConfiguration.class)
			.withPropertyValues("websocket.apps.chat.urls=chat")
			.run((context) -> assertBindFailure(context, "websocket.apps.chat.urls",
					"URL 'chat' must start with '/', e.g. '/chat'"));
	}

	@Test
	void urlListedTwiceInOneAppFailsStartup() {
		this.contextRunner.withUserConfiguration(ChatHandlerConfiguration.class)
			.withPropertyValues("websocket.apps.chat.urls=/chat,/chat")
			.run((context) -> assertBindFailure(context, "websocket.apps.chat.urls", "URL '/chat' is listed twice"));
	}

	@Test
	void negativeMaxMessageSizeFailsStartup() {
		this.contextRunner.withUserConfiguration(ChatHandlerConfiguration.class)
			.withPropertyValues("websocket.apps.chat.urls=/chat", "websocket.apps.chat.max-message-size=-1KB")
			.run((context) -> assertBindFailure(context, "websocket.apps.chat.max-message-size",
					"must be positive, e.g. 64KB"));
	}

	@Test
	void tinySocketBufferFailsStartup() {
		this.contextRunner.withUserConfiguration(ChatHandlerConfiguration.class)
			.withPropertyValues("websocket.apps.chat.urls=/chat", "websocket.socket-buffer-size=64B")
			.run((context) -> assertBindFailure(context, "websocket.socket-buffer-size",
					"must be at least 256B, e.g. 1KB"));
	}

	@Test
	void negativeSendTimeLimitFailsStartup() {
		this.contextRunner.withUserConfiguration(ChatHandlerConfiguration.class)
			.withPropertyValues("websocket.apps.chat.urls=/chat", "websocket.apps.chat.send-time-limit=-1s")
			.run((context) -> assertBindFailure(context, "websocket.apps.chat.send-time-limit",
					"must be positive, e.g. 10s"));
	}

	@Test
	void zeroSendBufferLimitFailsStartup() {
		this.contextRunner.withUserConfiguration(ChatHandlerConfiguration.class)
			.withPropertyValues("websocket.apps.chat.urls=/chat", "websocket.apps.chat.send-buffer-limit=0")
			.run((context) -> assertBindFailure(context, "websocket.apps.chat.send-buffer-limit",
					"must be positive, e.g. 64KB"));
	}

	@Test
	void negativePingIntervalFailsStartup() {
		this.contextRunner.withUserConfiguration(ChatHandlerConfiguration.class)
			.withPropertyValues("websocket.apps.chat.urls=/chat", "websocket.apps.chat.ping-interval=-5s")
			.run((context) -> assertBindFailure(context, "websocket.apps.chat.ping-interval",
					"must not be negative; use 0 to turn it off"));
	}

	@Test
	void negativeDefaultPingIntervalFailsStartup() {
		this.contextRunner.withPropertyValues("websocket.defaults.ping-interval=-5s")
			.run((context) -> assertBindFailure(context, "websocket.defaults.ping-interval",
					"must not be negative; use 0 to turn it off"));
	}

	@Test
	void userChannelRegistryWins() {
		this.contextRunner.withUserConfiguration(ChatHandlerConfiguration.class, UserRegistryConfiguration.class)
			.withPropertyValues("websocket.apps.chat.urls=/chat")
			.run((context) -> {
				assertThat(context).hasSingleBean(ChannelRegistry.class);
				assertThat(context.getBean(ChannelRegistry.class)).isInstanceOf(UserRegistry.class);
				assertThat(context.getBean(WebSocketHandlerMapping.class).getUrlMap()).containsOnlyKeys("/chat");
			});
	}

	@Test
	void userHandlerLookupReplacesTheAnnotatedBeans() {
		this.contextRunner.withUserConfiguration(HandlerLookupConfiguration.class)
			.withPropertyValues("websocket.apps.chat.urls=/chat")
			.run((context) -> assertThat(context.getBean(WebSocketHandlerMapping.class).getUrlMap())
				.containsOnlyKeys("/chat"));
	}

	@Test
	void appCustomizersApplyInOrderBeforeTheAppIsResolved() {
		this.contextRunner.withUserConfiguration(ChatHandlerConfiguration.class, AppCustomizersConfiguration.class)
			.withPropertyValues("websocket.apps.chat.urls=/chat", "websocket.apps.chat.max-message-size=1KB")
			.run((context) -> {
				AppSettings chat = context.getBean(WebSocketApps.class).enabled().get("chat");
				assertThat(chat.maxMessageSize()).isEqualTo(DataSize.ofKilobytes(3));
				assertThat(chat.urls()).containsExactly("/chat", "/chat/second");
				assertThat(context.getBean(WebSocketHandlerMapping.class).getUrlMap()).containsOnlyKeys("/chat",
						"/chat/second");
			});
	}

	@Test
	void handshakeInterceptorCustomizersAddInterceptorsAfterTheStartersOwn() {
		this.contextRunner
			.withUserConfiguration(ChatHandlerConfiguration.class, InterceptorCustomizerConfiguration.class)
			.withPropertyValues("websocket.apps.chat.urls=/chat", "websocket.apps.chat.max-connections=10")
			.run((context) -> {
				WebSocketHttpRequestHandler handler = (WebSocketHttpRequestHandler) context
					.getBean(WebSocketHandlerMapping.class)
					.getUrlMap()
					.get("/chat");
				assertThat(handler.getHandshakeInterceptors()).map((interceptor) -> (Object) interceptor.getClass())
					.containsExactly(OriginCheckInterceptor.class, ConnectionLimitInterceptor.class,
							TenantInterceptor.class, AppHandshakeInterceptor.class);
			});
	}

	@Test
	void disabledStarterConfiguresNothing() {
		this.contextRunner.withUserConfiguration(ChatHandlerConfiguration.class)
			.withPropertyValues("websocket.enabled=false", "websocket.apps.chat.urls=/chat")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context).doesNotHaveBean(ChannelRegistry.class);
				assertThat(context).doesNotHaveBean(LocalNode.class);
				assertThat(context).doesNotHaveBean(WebSocketHandlerMapping.class);
				assertThat(context).doesNotHaveBean(WebSocketProperties.class);
			});
	}

	@Test
	void tomcatIsLeftAsItIsWhileNoAppIsOn() {
		this.contextRunner.withUserConfiguration(ChatHandlerConfiguration.class)
			.withPropertyValues("websocket.apps.chat.urls=")
			.run((context) -> {
				assertThat(context).doesNotHaveBean("webSocketBufferSizeCustomizer");
				assertThat(context).doesNotHaveBean("webSocketSocketBufferSizeCustomizer");
			});
		this.contextRunner.withUserConfiguration(ChatHandlerConfiguration.class)
			.withPropertyValues("websocket.apps.chat.urls=/chat")
			.run((context) -> {
				assertThat(context).hasBean("webSocketBufferSizeCustomizer");
				assertThat(context).hasBean("webSocketSocketBufferSizeCustomizer");
			});
	}

	@Test
	void oneLineAtStartupListsTheAppsWithTheirUrlsAndTransport(CapturedOutput output) {
		this.contextRunner.withUserConfiguration(ChatHandlerConfiguration.class, FeedHandlerConfiguration.class)
			.withPropertyValues("websocket.apps.chat.urls=/chat,/chat/rooms", "websocket.apps.feed.urls=/feed")
			.run((context) -> assertThat(output).containsOnlyOnce("WebSocket apps on: ")
				.contains("WebSocket apps on: chat at /chat, /chat/rooms on the ")
				.contains("; feed at /feed on the "));
	}

	@Test
	void misspelledAppKeyFailsNamingTheClosestKey() {
		this.contextRunner.withUserConfiguration(ChatHandlerConfiguration.class)
			.withPropertyValues("websocket.apps.prices.url=/prices")
			.run((context) -> {
				FailureAnalysis analysis = configurationFailure(context);
				assertThat(analysis.getDescription()).contains("'websocket.apps.prices.url'");
				assertThat(analysis.getAction()).contains("did you mean 'websocket.apps.prices.urls'?");
			});
	}

	@Test
	void misspelledDefaultsKeyFailsNamingTheClosestKey() {
		this.contextRunner.withPropertyValues("websocket.defaults.max-mesage-size=1MB").run((context) -> {
			FailureAnalysis analysis = configurationFailure(context);
			assertThat(analysis.getDescription()).contains("'websocket.defaults.max-mesage-size'");
			assertThat(analysis.getAction()).contains("did you mean 'websocket.defaults.max-message-size'?")
				.contains("allowed-origins, auto-subscribe");
		});
	}

	@Test
	void misspelledHistoryKeyFailsNamingTheClosestKey() {
		this.contextRunner.withUserConfiguration(ChatHandlerConfiguration.class)
			.withPropertyValues("websocket.apps.chat.urls=/chat", "websocket.apps.chat.history.subscription=/chat",
					"websocket.defaults.history.max-byte=1MB")
			.run((context) -> {
				FailureAnalysis analysis = configurationFailure(context);
				assertThat(analysis.getAction()).contains("did you mean 'websocket.apps.chat.history.subscriptions'?",
						"did you mean 'websocket.defaults.history.max-bytes'?");
			});
	}

	@Test
	void allowedHostWithASchemeFailsNamingTheFix() {
		this.contextRunner.withUserConfiguration(ChatHandlerConfiguration.class)
			.withPropertyValues("websocket.apps.chat.urls=/chat", "websocket.allowed-hosts=https://chat.example.com")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("'https://chat.example.com' in websocket.allowed-hosts is not a host name"));
	}

	@Test
	void historyBoundsOutOfRangeFailNamingTheKey() {
		this.contextRunner.withUserConfiguration(ChatHandlerConfiguration.class)
			.withPropertyValues("websocket.apps.chat.urls=/chat", "websocket.apps.chat.history.size=0")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("'history.size' must be between 1 and 100000"));
	}

	@Test
	void appsSharingAScopeWithDifferentHistoryFailAtStartup() {
		this.contextRunner.withUserConfiguration(ChatHandlerConfiguration.class, FeedHandlerConfiguration.class)
			.withPropertyValues("websocket.apps.chat.urls=/chat", "websocket.apps.chat.subscription-scope=shared",
					"websocket.apps.chat.history.subscriptions=room-*", "websocket.apps.feed.urls=/feed",
					"websocket.apps.feed.subscription-scope=shared")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("keep different history: give app"));
	}

	@Test
	void unknownKeyFarFromAnyListsTheValidOnes() {
		this.contextRunner.withPropertyValues("websocket.colour=blue").run((context) -> {
			FailureAnalysis analysis = configurationFailure(context);
			assertThat(analysis.getDescription()).contains("'websocket.colour'");
			assertThat(analysis.getAction()).doesNotContain("did you mean")
				.contains("Keys of 'websocket' are allowed-hosts, apps, cluster,");
		});
	}

	@Test
	void keyBelowAValueFails() {
		this.contextRunner.withPropertyValues("websocket.node-id.primary=a").run((context) -> {
			FailureAnalysis analysis = configurationFailure(context);
			assertThat(analysis.getAction()).contains("'websocket.node-id' takes a value");
		});
	}

	@Test
	void everyUnknownKeyIsNamedAtOnce() {
		this.contextRunner.withPropertyValues("websocket.cluster.enable=true", "websocket.apps.chat.urlz=/chat")
			.run((context) -> {
				FailureAnalysis analysis = configurationFailure(context);
				assertThat(analysis.getDescription()).contains("'websocket.cluster.enable'",
						"'websocket.apps.chat.urlz'");
				assertThat(analysis.getAction()).contains("did you mean 'websocket.cluster.enabled'?",
						"did you mean 'websocket.apps.chat.urls'?");
			});
	}

	@Test
	void keysInAnyRelaxedFormAndIndexedListsAreKnown() {
		this.contextRunner.withUserConfiguration(ChatHandlerConfiguration.class)
			.withPropertyValues("websocket.apps.chat.urls[0]=/chat", "websocket.apps.chat.maxMessageSize=1MB",
					"websocket.defaults.allowed_origins[0]=https://example.com", "websocket.cluster.node-ttl=3s")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				AppSettings chat = context.getBean(WebSocketApps.class).enabled().get("chat");
				assertThat(chat.maxMessageSize()).isEqualTo(DataSize.ofMegabytes(1));
				assertThat(chat.allowedOrigins()).containsExactly("https://example.com");
			});
	}

	@Test
	void webSocketAppOnABeanThatIsNoHandlerFailsNamingTheClass() {
		this.contextRunner.withUserConfiguration(ChatHandlerConfiguration.class, NotAHandlerConfiguration.class)
			.withPropertyValues("websocket.apps.chat.urls=/chat")
			.run((context) -> {
				FailureAnalysis analysis = configurationFailure(context);
				assertThat(analysis.getDescription()).contains("'notAHandler'", NotAHandler.class.getName(),
						"is not a ChannelHandler");
				assertThat(analysis.getAction()).contains(ChannelHandler.class.getName());
			});
	}

	private static FailureAnalysis configurationFailure(AssertableWebApplicationContext context) {
		assertThat(context).hasFailed();
		Throwable failure = context.getStartupFailure();
		assertThat(causes(failure)).hasAtLeastOneElementOfType(WebSocketConfigurationException.class);
		FailureAnalysis analysis = new WebSocketConfigurationFailureAnalyzer().analyze(failure);
		assertThat(analysis).isNotNull();
		return analysis;
	}

	private static void assertBindFailure(AssertableWebApplicationContext context, String property, String reason) {
		assertThat(context).hasFailed();
		Throwable failure = context.getStartupFailure();
		assertThat(failure).rootCause().isInstanceOf(IllegalArgumentException.class).hasMessage(reason);
		assertThat(causes(failure)).filteredOn(BindException.class::isInstance)
			.map(BindException.class::cast)
			.singleElement()
			.satisfies((bindFailure) -> assertThat(bindFailure.getProperty()).isNotNull()
				.satisfies((bound) -> assertThat(bound.getName()).hasToString(property)));
	}

	private static List<Throwable> causes(Throwable failure) {
		List<Throwable> causes = new ArrayList<>();
		for (Throwable cause = failure; cause != null && !causes.contains(cause); cause = cause.getCause()) {
			causes.add(cause);
		}
		return causes;
	}

	@Configuration(proxyBeanMethods = false)
	static class ChatHandlerConfiguration {

		@Bean
		ChatHandler chatHandler() {
			return new ChatHandler();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class OtherChatHandlerConfiguration {

		@Bean
		OtherChatHandler otherChatHandler() {
			return new OtherChatHandler();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class FeedHandlerConfiguration {

		@Bean
		FeedHandler feedHandler() {
			return new FeedHandler();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UnboundHandlerConfiguration {

		@Bean
		UnboundHandler unboundHandler() {
			return new UnboundHandler();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class BeanMethodHandlerConfiguration {

		@Bean
		@WebSocketApp("chat")
		ChannelHandler chatHandler() {
			return new ChannelHandler() {
			};
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class RegistryUserConfiguration {

		@Bean
		RegistryUser registryUser(ChannelRegistry registry) {
			return new RegistryUser(registry);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserRegistryConfiguration {

		@Bean
		UserRegistry userRegistry() {
			return new UserRegistry();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class HandlerLookupConfiguration {

		@Bean
		WebSocketAppHandlers handlers() {
			ChannelHandler chat = new ChannelHandler() {
			};
			return (app) -> "chat".equals(app) ? chat : null;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class AppCustomizersConfiguration {

		@Bean
		@Order(2)
		WebSocketAppCustomizer tripleMessageSize() {
			return (name, app) -> app.setMaxMessageSize(DataSize.ofBytes(3 * app.getMaxMessageSize().toBytes()));
		}

		@Bean
		@Order(1)
		WebSocketAppCustomizer secondUrl() {
			return (name, app) -> app.setUrls(List.of("/" + name, "/" + name + "/second"));
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class InterceptorCustomizerConfiguration {

		@Bean
		HandshakeInterceptorCustomizer tenantInterceptor() {
			return (app, interceptors) -> interceptors.add(new TenantInterceptor());
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class NotAHandlerConfiguration {

		@Bean
		NotAHandler notAHandler() {
			return new NotAHandler();
		}

	}

	@WebSocketApp("chat")
	static class NotAHandler {

	}

	static class TenantInterceptor implements HandshakeInterceptor {

		@Override
		public boolean beforeHandshake(ServerHttpRequest request, ServerHttpResponse response,
				WebSocketHandler wsHandler, Map<String, Object> attributes) {
			return true;
		}

		@Override
		public void afterHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler wsHandler,
				@Nullable Exception exception) {
		}

	}

	@WebSocketApp("chat")
	static class ChatHandler implements ChannelHandler {

	}

	@WebSocketApp("chat")
	static class OtherChatHandler implements ChannelHandler {

	}

	@WebSocketApp("feed")
	static class FeedHandler implements ChannelHandler {

	}

	static class UnboundHandler implements ChannelHandler {

	}

	record RegistryUser(ChannelRegistry registry) {

	}

}
