package dev.websocketstarter.sample.logview;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The log viewer sample. Its tailer and page come with the sample's own issue; until then
 * it starts with the {@code log-view} app off.
 */
@SpringBootApplication
public class LogViewApplication {

	public static void main(String[] args) {
		SpringApplication.run(LogViewApplication.class, args);
	}

}
