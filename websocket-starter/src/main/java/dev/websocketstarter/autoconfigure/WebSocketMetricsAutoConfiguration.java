package dev.websocketstarter.autoconfigure;

import dev.websocketstarter.actuate.WebSocketMetrics;
import dev.websocketstarter.internal.channel.LocalNode;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Meters of the WebSocket apps, when Micrometer is present.
 */
@AutoConfiguration(after = WebSocketAppsAutoConfiguration.class)
@ConditionalOnClass(MeterBinder.class)
@ConditionalOnBean(LocalNode.class)
public final class WebSocketMetricsAutoConfiguration {

	WebSocketMetricsAutoConfiguration() {
	}

	@Bean
	@ConditionalOnMissingBean
	WebSocketMetrics webSocketMetrics(LocalNode node, WebSocketApps apps) {
		return new WebSocketMetrics(node, apps.enabled().values());
	}

}
