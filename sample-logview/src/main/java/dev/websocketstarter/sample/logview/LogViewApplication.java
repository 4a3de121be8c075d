package dev.websocketstarter.sample.logview;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.web.servlet.config.annotation.ViewControllerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * The log viewer sample: a {@code tail -f} of the configured files in the browser, for
 * administrators.
 */
@SpringBootApplication
@EnableScheduling
@EnableConfigurationProperties(LogViewProperties.class)
public class LogViewApplication {

	public static void main(String[] args) {
		SpringApplication.run(LogViewApplication.class, args);
	}

	@Bean
	WebMvcConfigurer logViewPage() {
		return new WebMvcConfigurer() {

			@Override
			public void addViewControllers(ViewControllerRegistry registry) {
				registry.addRedirectViewController("/", "/admin/log-view");
				registry.addViewController("/admin/log-view").setViewName("forward:/admin/log-view.html");
			}

		};
	}

}
