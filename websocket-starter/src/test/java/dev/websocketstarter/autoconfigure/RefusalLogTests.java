package dev.websocketstarter.autoconfigure;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link RefusalLog}: a few lines an address a minute, then a count.
 */
class RefusalLogTests {

	private final AtomicLong now = new AtomicLong();

	private final RefusalLog log = new RefusalLog(this.now::get);

	@Test
	void anAddressGetsTenLinesAMinuteThenOneWithTheCountOfTheRest() {
		assertThat(IntStream.range(0, 10).mapToLong((i) -> this.log.admit("192.0.2.1"))).containsOnly(0L);
		assertThat(IntStream.range(0, 490).mapToLong((i) -> this.log.admit("192.0.2.1"))).containsOnly(-1L);
		assertThat(this.log.admit("192.0.2.2")).as("another address").isZero();
		this.now.addAndGet(Duration.ofMinutes(1).toNanos());
		assertThat(this.log.admit("192.0.2.1")).isEqualTo(490);
		assertThat(this.log.admit("192.0.2.1")).isZero();
	}

	@Test
	void valuesFromClientsAreCutAndKeptOnOneLine() {
		assertThat(RefusalLog.value("evil\r\n2026-01-01 INFO forged")).isEqualTo("evil??2026-01-01 INFO forged");
		assertThat(RefusalLog.value("x".repeat(7000))).isEqualTo("x".repeat(200) + "…");
		assertThat(RefusalLog.value(null)).isEqualTo("null");
	}

}
