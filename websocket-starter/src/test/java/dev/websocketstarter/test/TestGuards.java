package dev.websocketstarter.test;

import java.util.List;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Registered for every test of the module (JUnit's extension auto-detection): fails a
 * test in which a {@link RecordingHandler} saw its contract broken.
 */
public class TestGuards implements AfterEachCallback {

	@Override
	public void afterEach(ExtensionContext context) {
		List<String> violations = RecordingHandler.takeViolations();
		if (!violations.isEmpty()) {
			throw new AssertionError("The starter broke the handler contract: " + violations);
		}
	}

}
