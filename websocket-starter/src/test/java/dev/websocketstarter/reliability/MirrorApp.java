package dev.websocketstarter.reliability;

import dev.websocketstarter.registry.ChannelRegistry;
import dev.websocketstarter.registry.WebSocketApp;

import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * An application with the app {@code mirror} served by a {@link MirrorHandler}; tests set
 * its URLs and options.
 */
@Configuration(proxyBeanMethods = false)
@EnableAutoConfiguration
class MirrorApp {

	@Bean
	@WebSocketApp("mirror")
	MirrorHandler mirrorHandler(ChannelRegistry registry) {
		return new MirrorHandler(registry);
	}

}
