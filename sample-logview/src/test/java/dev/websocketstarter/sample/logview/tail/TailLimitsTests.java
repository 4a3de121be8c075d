package dev.websocketstarter.sample.logview.tail;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link TailLimits}.
 */
class TailLimitsTests {

	@Test
	void defaultsFitTogether() {
		TailLimits defaults = TailLimits.defaults();
		assertThat(defaults.maxLineLength()).isLessThan(defaults.maxBytesPerPoll());
		assertThat(defaults.skipAfterBytes()).isGreaterThanOrEqualTo(defaults.maxBytesPerPoll());
	}

	@Test
	void limitsMustBePositive() {
		assertThatIllegalArgumentException().isThrownBy(() -> new TailLimits(0, 100, 10, 1000))
			.withMessageContaining("maxLinesPerPoll");
		assertThatIllegalArgumentException().isThrownBy(() -> new TailLimits(10, -1, 10, 1000))
			.withMessageContaining("maxBytesPerPoll");
		assertThatIllegalArgumentException().isThrownBy(() -> new TailLimits(10, 100, 0, 1000))
			.withMessageContaining("maxLineLength");
	}

	@Test
	void longestLineMustFitInAPoll() {
		assertThatIllegalArgumentException().isThrownBy(() -> new TailLimits(10, 100, 100, 1000))
			.withMessageContaining("maxLineLength (100) must be less than maxBytesPerPoll (100)");
	}

	@Test
	void skipThresholdMustHoldAPoll() {
		assertThatIllegalArgumentException().isThrownBy(() -> new TailLimits(10, 100, 10, 99))
			.withMessageContaining("skipAfterBytes (99) must be at least maxBytesPerPoll (100)");
	}

}
