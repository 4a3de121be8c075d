package dev.websocketstarter.test;

import dev.websocketstarter.registry.ChannelRegistry;
import dev.websocketstarter.registry.WebSocketApp;

import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * An application with the app {@code echo} served by a {@link RecordingHandler}; tests
 * set its URLs and options.
 */
@Configuration(proxyBeanMethods = false)
@EnableAutoConfiguration
public class EchoApp {

	@Bean
	@WebSocketApp("echo")
	RecordingHandler echoHandler(ChannelRegistry registry) {
		return new RecordingHandler(registry);
	}

}
