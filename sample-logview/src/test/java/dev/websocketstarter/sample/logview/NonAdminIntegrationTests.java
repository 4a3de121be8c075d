package dev.websocketstarter.sample.logview;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for a signed-in user who is not an administrator.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = { "spring.security.user.name=viewer",
		"spring.security.user.password=just-a-viewer", "spring.security.user.roles=USER" })
class NonAdminIntegrationTests {

	@LocalServerPort
	private int port;

	@Test
	void handshakeOfAUserWithoutRoleAdminIsRefusedWith403() {
		assertThat(Viewer.refusedStatus(this.port, "viewer", "just-a-viewer")).isEqualTo(403);
	}

}
