package dev.websocketstarter.internal.history;

import java.util.concurrent.atomic.LongAdder;

import dev.websocketstarter.internal.history.Envelopes.Recovery;

/**
 * Counts the recoveries channels asked for when they joined a subscription with history.
 */
public final class RecoveryStats {

	private final LongAdder recovered = new LongAdder();

	private final LongAdder notRecoverable = new LongAdder();

	void count(Recovery recovery) {
		switch (recovery) {
			case RECOVERED -> this.recovered.increment();
			case NOT_RECOVERABLE -> this.notRecoverable.increment();
			case NONE -> {
			}
		}
	}

	/**
	 * Recoveries that sent every message missed.
	 * @return the count
	 */
	public long recovered() {
		return this.recovered.sum();
	}

	/**
	 * Recoveries that could not tell what was missed.
	 * @return the count
	 */
	public long notRecoverable() {
		return this.notRecoverable.sum();
	}

}
