package dev.websocketstarter.test.autoconfigure;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * The {@link WebSocketTestClients} of a test, imported by
 * {@link AutoConfigureWebSocketTestClient}.
 */
@AutoConfiguration
public final class WebSocketTestClientAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	WebSocketTestClients webSocketTestClients(Environment environment) {
		return new WebSocketTestClients(environment);
	}

}
