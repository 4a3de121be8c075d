package dev.websocketstarter.test;

import java.time.Duration;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Registered for every test of the modules that use this test jar (JUnit's extension
 * auto-detection): Awaitility checks a condition at once and then every 10 ms, instead of
 * first waiting 100 ms, which a test paid on every wait.
 */
public class AwaitDefaults implements BeforeAllCallback {

	@Override
	public void beforeAll(ExtensionContext context) {
		Awaitility.setDefaultPollDelay(Duration.ZERO);
		Awaitility.setDefaultPollInterval(Duration.ofMillis(10));
	}

}
