package dev.websocketstarter.sample.logview.tail;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import dev.websocketstarter.sample.logview.tail.TailEvent.Change;
import dev.websocketstarter.sample.logview.tail.TailEvent.Lines;
import dev.websocketstarter.sample.logview.tail.TailEvent.Skipped;
import dev.websocketstarter.sample.logview.tail.TailEvent.StateChanged;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What polls of a {@link FileTail} returned, taken apart for assertions, and the limits
 * and events the tail tests share.
 */
final class Polls {

	/** The limits the tail tests poll with, unless they test a limit. */
	static final TailLimits LIMITS = new TailLimits(1000, 64 * 1024, 1024, 1024 * 1024);

	/** The event of a poll that saw the file rotated. */
	static final StateChanged ROTATED = new StateChanged(Change.ROTATED);

	/** The event of a poll that saw the file truncated. */
	static final StateChanged TRUNCATED = new StateChanged(Change.TRUNCATED);

	/** The event of a poll that saw the file deleted. */
	static final StateChanged DELETED = new StateChanged(Change.DELETED);

	/** The event of a poll that saw the file appear. */
	static final StateChanged APPEARED = new StateChanged(Change.APPEARED);

	private Polls() {
	}

	static List<String> lines(List<TailEvent> events) {
		List<String> lines = new ArrayList<>();
		for (TailEvent event : events) {
			if (event instanceof Lines batch) {
				lines.addAll(batch.lines());
			}
		}
		return lines;
	}

	static List<Change> changes(List<TailEvent> events) {
		return events.stream()
			.filter(StateChanged.class::isInstance)
			.map((event) -> ((StateChanged) event).change())
			.toList();
	}

	static long skipped(List<TailEvent> events) {
		return events.stream().filter(Skipped.class::isInstance).mapToLong((event) -> ((Skipped) event).lines()).sum();
	}

	/**
	 * Polls until a poll finds nothing, checking each poll against the limits.
	 */
	static List<TailEvent> untilQuiet(FileTail tail, TailLimits limits) {
		List<TailEvent> all = new ArrayList<>();
		for (int i = 0; i < 100_000; i++) {
			List<TailEvent> events = tail.poll();
			if (events.isEmpty()) {
				return all;
			}
			assertWithinLimits(events, limits);
			all.addAll(events);
		}
		throw new AssertionError("The tail never became quiet");
	}

	static void assertWithinLimits(List<TailEvent> events, TailLimits limits) {
		List<String> lines = lines(events);
		assertThat(lines).hasSizeLessThanOrEqualTo(limits.maxLinesPerPoll());
		long bytes = lines.stream()
			.mapToLong((line) -> Math.min(line.getBytes(StandardCharsets.UTF_8).length, limits.maxLineLength()) + 1)
			.sum();
		assertThat(bytes).isLessThanOrEqualTo(limits.maxBytesPerPoll());
	}

}
