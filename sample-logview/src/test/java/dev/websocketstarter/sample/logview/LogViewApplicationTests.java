package dev.websocketstarter.sample.logview;

import dev.websocketstarter.autoconfigure.WebSocketApps;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link LogViewApplication}.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class LogViewApplicationTests {

	@Autowired
	private WebSocketApps apps;

	@Test
	void startsWithTheLogViewAppOffUntilItIsBuilt() {
		assertThat(this.apps.enabled()).doesNotContainKey("log-view");
	}

}
