package dev.websocketstarter.test.autoconfigure;

import dev.websocketstarter.autoconfigure.WebSocketAppsAutoConfiguration;
import dev.websocketstarter.internal.channel.LocalNode;
import dev.websocketstarter.registry.ChannelRegistry;
import dev.websocketstarter.test.registry.RegistryWaits;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * The {@link WebSocketTestClients} and {@link RegistryWaits} of a test, imported by
 * {@link AutoConfigureWebSocketTestClient}.
 */
@AutoConfiguration(after = WebSocketAppsAutoConfiguration.class)
public final class WebSocketTestClientAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	WebSocketTestClients webSocketTestClients(Environment environment) {
		return new WebSocketTestClients(environment);
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBean({ ChannelRegistry.class, LocalNode.class })
	RegistryWaits registryWaits(ChannelRegistry registry, LocalNode node) {
		return new RegistryWaits(registry, node);
	}

}
