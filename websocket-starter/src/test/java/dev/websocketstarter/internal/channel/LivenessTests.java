package dev.websocketstarter.internal.channel;

import java.util.concurrent.TimeUnit;

import dev.websocketstarter.internal.channel.Liveness.Verdict;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link Liveness}, with a clock of its own.
 */
class LivenessTests {

	private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

	private static final long START = 1_000 * SECOND;

	@Test
	void silentPeerIsPingedAfterTheInterval() {
		Liveness liveness = new Liveness(30 * SECOND, 0, 0, START);
		assertThat(liveness.check(START + 29 * SECOND)).isEqualTo(Verdict.NONE);
		assertThat(liveness.check(START + 30 * SECOND)).isEqualTo(Verdict.PING);
	}

	@Test
	void peerThatSendsIsNotPinged() {
		Liveness liveness = new Liveness(30 * SECOND, 0, 0, START);
		liveness.received(false, START + 20 * SECOND);
		assertThat(liveness.check(START + 30 * SECOND)).isEqualTo(Verdict.NONE);
		assertThat(liveness.check(START + 50 * SECOND)).isEqualTo(Verdict.PING);
	}

	@Test
	void pingIsQueuedOncePerIntervalUntilWritten() {
		Liveness liveness = new Liveness(30 * SECOND, 0, 0, START);
		assertThat(liveness.check(START + 30 * SECOND)).isEqualTo(Verdict.PING);
		assertThat(liveness.check(START + 31 * SECOND)).isEqualTo(Verdict.NONE);
		assertThat(liveness.check(START + 60 * SECOND)).isEqualTo(Verdict.PING);
	}

	@Test
	void pingLeftUnansweredForAnotherIntervalIsATimeout() {
		Liveness liveness = new Liveness(30 * SECOND, 0, 0, START);
		liveness.check(START + 30 * SECOND);
		liveness.pingWritten(START + 31 * SECOND);
		assertThat(liveness.check(START + 61 * SECOND)).isEqualTo(Verdict.NONE);
		assertThat(liveness.check(START + 62 * SECOND)).isEqualTo(Verdict.PING_TIMEOUT);
	}

	@Test
	void answerClearsThePing() {
		Liveness liveness = new Liveness(30 * SECOND, 0, 0, START);
		liveness.pingWritten(START + 30 * SECOND);
		liveness.received(false, START + 31 * SECOND);
		assertThat(liveness.check(START + 70 * SECOND)).isEqualTo(Verdict.PING);
	}

	@Test
	void secondPingBeforeTheAnswerKeepsTheFirstsTime() {
		Liveness liveness = new Liveness(30 * SECOND, 0, 0, START);
		liveness.pingWritten(START + 30 * SECOND);
		liveness.pingWritten(START + 50 * SECOND);
		assertThat(liveness.check(START + 61 * SECOND)).isEqualTo(Verdict.PING_TIMEOUT);
	}

	@Test
	void pongsDoNotKeepAnIdleChannelOpen() {
		Liveness liveness = new Liveness(0, 60 * SECOND, 0, START);
		liveness.received(false, START + 59 * SECOND);
		assertThat(liveness.check(START + 60 * SECOND)).isEqualTo(Verdict.NONE);
		assertThat(liveness.check(START + 61 * SECOND)).isEqualTo(Verdict.IDLE_TIMEOUT);
	}

	@Test
	void messagesKeepAChannelFromIdling() {
		Liveness liveness = new Liveness(0, 60 * SECOND, 0, START);
		liveness.received(true, START + 59 * SECOND);
		assertThat(liveness.check(START + 100 * SECOND)).isEqualTo(Verdict.NONE);
		assertThat(liveness.check(START + 120 * SECOND)).isEqualTo(Verdict.IDLE_TIMEOUT);
	}

	@Test
	void nothingIsCheckedWhenBothAreOff() {
		Liveness liveness = new Liveness(0, 0, 0, START);
		assertThat(liveness.check(START + 1_000_000 * SECOND)).isEqualTo(Verdict.NONE);
	}

	@Test
	void messageInFragmentsMustEndWithinItsTimeLimitWhateverElseComes() {
		Liveness liveness = new Liveness(30 * SECOND, 0, 5 * SECOND, START);
		liveness.messageStarted(START + SECOND);
		// Pongs keep the connection alive, not the message
		liveness.received(false, START + 4 * SECOND);
		assertThat(liveness.check(START + 6 * SECOND)).isEqualTo(Verdict.NONE);
		assertThat(liveness.check(START + 6 * SECOND + 1)).isEqualTo(Verdict.MESSAGE_TIMEOUT);
	}

	@Test
	void messageThatEndsInTimeClearsItsLimit() {
		Liveness liveness = new Liveness(0, 0, 5 * SECOND, START);
		liveness.messageStarted(START + SECOND);
		liveness.received(true, START + 5 * SECOND);
		assertThat(liveness.check(START + 60 * SECOND)).isEqualTo(Verdict.NONE);
	}

}
