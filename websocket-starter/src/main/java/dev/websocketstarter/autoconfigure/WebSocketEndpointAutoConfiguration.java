package dev.websocketstarter.autoconfigure;

import dev.websocketstarter.actuate.WebSocketEndpoint;
import dev.websocketstarter.internal.channel.LocalNode;

import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * The {@code websocket} Actuator endpoint, when Actuator is present and the endpoint is
 * exposed.
 */
@AutoConfiguration(after = WebSocketAppsAutoConfiguration.class)
@ConditionalOnClass({ Endpoint.class, ConditionalOnAvailableEndpoint.class })
@ConditionalOnBean(LocalNode.class)
@ConditionalOnAvailableEndpoint(WebSocketEndpoint.class)
public final class WebSocketEndpointAutoConfiguration {

	WebSocketEndpointAutoConfiguration() {
	}

	@Bean
	@ConditionalOnMissingBean
	WebSocketEndpoint webSocketEndpoint(LocalNode node, WebSocketApps apps) {
		return new WebSocketEndpoint(node, apps.enabled().values());
	}

}
