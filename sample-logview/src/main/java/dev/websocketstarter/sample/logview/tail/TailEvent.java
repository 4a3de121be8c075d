package dev.websocketstarter.sample.logview.tail;

import java.util.List;
import java.util.Objects;

/**
 * What a poll found, in file order.
 */
public sealed interface TailEvent permits TailEvent.Lines, TailEvent.StateChanged, TailEvent.Skipped {

	/**
	 * New complete lines of one file generation.
	 *
	 * @param lines the lines, decoded, without their line ends
	 * @param position the token for the position after the last line, for
	 * {@link FileTail#since(String, int)}
	 */
	record Lines(List<String> lines, String position) implements TailEvent {

		/**
		 * Copies the lines.
		 */
		public Lines {
			lines = List.copyOf(lines);
			Objects.requireNonNull(position, "position");
		}

	}

	/**
	 * The file changed in a way a viewer should be told about.
	 *
	 * @param change what happened
	 */
	record StateChanged(Change change) implements TailEvent {

		/**
		 * Checks the change.
		 */
		public StateChanged {
			Objects.requireNonNull(change, "change");
		}

	}

	/**
	 * The tail jumped ahead because the file ran too far ahead of it.
	 *
	 * @param lines how many lines were jumped over
	 */
	record Skipped(long lines) implements TailEvent {

	}

	/**
	 * A change of the followed file.
	 */
	enum Change {

		/**
		 * The file appeared after it was missing; it is read from its start.
		 */
		APPEARED,

		/**
		 * Another file took the path (rename, re-pointed symlink); the old one was read
		 * to its end and the new one is read from its start. Lines written to the old
		 * file after this poll are not read, nor is a file that took the path and lost it
		 * again between two polls.
		 */
		ROTATED,

		/**
		 * The file shrank or its first bytes changed; it is read from its start. A file
		 * rewritten between two polls with the same first 256 bytes and at least the
		 * length already read cannot be told from one that grew.
		 */
		TRUNCATED,

		/**
		 * The file is gone; what remained in it was read first.
		 */
		DELETED

	}

}
