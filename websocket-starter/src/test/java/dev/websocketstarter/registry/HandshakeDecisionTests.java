package dev.websocketstarter.registry;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.http.HttpStatus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Tests for {@link HandshakeDecision}.
 */
class HandshakeDecisionTests {

	private static final ChannelAttribute<String> USER = ChannelAttribute.shared("user");

	@Test
	void anAcceptanceCarriesItsAttributesInOrder() {
		ChannelAttribute<Integer> level = ChannelAttribute.of("level", Integer.class);
		HandshakeDecision decision = HandshakeDecision.accept().with(USER, "alice").with(level, 3);
		assertThat(decision.isAccepted()).isTrue();
		assertThat(decision.attributes()).containsExactly(Map.entry(USER, "alice"), Map.entry(level, 3));
		assertThat(HandshakeDecision.accept().attributes()).isEmpty();
	}

	@Test
	void refusalsAreLimitedToTheStatusesAHandshakeMayGet() {
		assertThat(HandshakeDecision.unauthorized("who?").status()).isEqualTo(HttpStatus.UNAUTHORIZED);
		assertThat(HandshakeDecision.forbidden("no").status()).isEqualTo(HttpStatus.FORBIDDEN);
		assertThat(HandshakeDecision.unavailable("later").status()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
		HandshakeDecision tooMany = HandshakeDecision.tooManyRequests("slow down", Duration.ofSeconds(30));
		assertThat(tooMany.status()).isEqualTo(HttpStatus.TOO_MANY_REQUESTS);
		assertThat(tooMany.retryAfter()).isEqualTo(Duration.ofSeconds(30));
		assertThat(tooMany.reason()).isEqualTo("slow down");
		assertThatIllegalArgumentException().isThrownBy(() -> HandshakeDecision.refuse(HttpStatus.OK, "fine"))
			.withMessageContaining("401, 403, 429 or 503");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> HandshakeDecision.refuse(HttpStatus.INTERNAL_SERVER_ERROR, "oops"));
	}

	@Test
	void aRefusalCarriesNoAttributes() {
		assertThatIllegalStateException().isThrownBy(() -> HandshakeDecision.forbidden("no").with(USER, "alice"));
	}

	@Test
	void aSharedValueTooLongIsRefusedAtTheDecision() {
		// 400 characters, 1200 bytes in UTF-8
		String tooLong = "€".repeat(400);
		assertThatIllegalArgumentException().isThrownBy(() -> HandshakeDecision.accept().with(USER, tooLong))
			.withMessageContaining("1200 bytes");
		assertThat(HandshakeDecision.accept().with(USER, "€".repeat(341)).attributes()).hasSize(1);
	}

}
