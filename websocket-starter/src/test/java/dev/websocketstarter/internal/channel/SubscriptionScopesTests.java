package dev.websocketstarter.internal.channel;

import java.time.Duration;
import java.util.List;

import dev.websocketstarter.internal.history.HistorySettings;
import dev.websocketstarter.registry.OverflowPolicy;
import org.junit.jupiter.api.Test;

import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link SubscriptionScopes}.
 */
class SubscriptionScopesTests {

	private final SubscriptionScopes scopes = new SubscriptionScopes();

	@Test
	void anAppsRegistryPlacesEveryNameInItsScope() {
		this.scopes.add(app("chat", "chat", "/chat"));
		this.scopes.add(app("prices", "prices", "/prices"));
		assertThat(this.scopes.resolve("prices", "/chat")).isEqualTo("prices");
	}

	@Test
	void theSharedRegistryPlacesAnAppsUrlInThatAppsScope() {
		this.scopes.add(app("chat", "chat", "/chat"));
		this.scopes.add(app("prices", "prices", "/prices"));
		assertThat(this.scopes.resolve(null, "/chat")).isEqualTo("chat");
		assertThat(this.scopes.resolve(null, "/prices")).isEqualTo("prices");
	}

	@Test
	void theSharedRegistryRefusesANameItCannotPlace() {
		this.scopes.add(app("chat", "chat", "/chat"));
		this.scopes.add(app("prices", "prices", "/prices"));
		assertThatIllegalArgumentException().isThrownBy(() -> this.scopes.resolve(null, "AAPL"))
			.withMessageContaining("'AAPL' is not an app URL")
			.withMessageContaining("registry.app(\"chat\")");
		assertThatIllegalArgumentException().isThrownBy(() -> this.scopes.resolve(null, null))
			.withMessageContaining("Apps [chat, prices] keep separate subscriptions");
	}

	@Test
	void withOneScopeEveryNameIsItsOwn() {
		this.scopes.add(app("chat", "chat", "/chat"));
		assertThat(this.scopes.resolve(null, "AAPL")).isEqualTo("chat");
		assertThat(this.scopes.resolve(null, null)).isEqualTo("chat");
	}

	@Test
	void appsThatShareAScopeShareEveryName() {
		this.scopes.add(app("chat", "rooms", "/chat"));
		this.scopes.add(app("mobile", "rooms", "/mobile"));
		assertThat(this.scopes.resolve(null, "lobby")).isEqualTo("rooms");
		assertThat(this.scopes.ofApp("mobile")).isEqualTo("rooms");
		assertThat(this.scopes.isKnown("mobile")).isTrue();
		assertThat(this.scopes.isKnown("other")).isFalse();
	}

	private static AppSettings app(String name, String scope, String url) {
		return new AppSettings(name, List.of(url), List.of(), DataSize.ofKilobytes(64), Duration.ZERO, Duration.ZERO,
				DataSize.ofKilobytes(512), Duration.ofSeconds(10), OverflowPolicy.CLOSE, true, 0, false, scope, true,
				false, Duration.ZERO, HistorySettings.NONE, Duration.ZERO);
	}

}
