package dev.websocketstarter.sample.logview.tail;

import java.util.List;
import java.util.Objects;

/**
 * Where a new or reconnecting viewer starts, from {@link FileTail#since(String, int)}.
 *
 * @param lines the lines the viewer gets first
 * @param position the token for the shared read position: every later
 * {@link FileTail#poll()} batch follows {@code lines} without gap or repeat
 * @param continued {@code true} when {@code lines} are exactly the lines from the
 * viewer's token to {@code position}; {@code false} when they are the backlog, the last
 * lines before {@code position}
 */
public record Resume(List<String> lines, String position, boolean continued) {

	/**
	 * Copies the lines.
	 */
	public Resume {
		lines = List.copyOf(lines);
		Objects.requireNonNull(position, "position");
	}

}
