package dev.websocketstarter.sample.logview.tail;

import java.io.Closeable;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import dev.websocketstarter.sample.logview.tail.TailEvent.Change;
import dev.websocketstarter.sample.logview.tail.TailEvent.Lines;
import dev.websocketstarter.sample.logview.tail.TailEvent.StateChanged;
import org.jspecify.annotations.Nullable;

/**
 * Follows one file like {@code tail -F}; one instance per configured file, shared by all
 * viewers. Thread-safe: a scheduler thread calls {@link #poll()}, WebSocket threads call
 * {@link #since(String, int)}.
 * <p>
 * The tail starts at the end of a file that exists when it first looks, and reads files
 * that appear later (rotated in, recreated, truncated) from their start. It keeps the
 * file open between polls, so it can finish a file that was renamed or deleted. Memory
 * stays bounded whatever the writer does: one block buffer and two line buffers of
 * {@link TailLimits#maxLineLength()} bytes.
 */
public final class FileTail {

	private static final System.Logger logger = System.getLogger(FileTail.class.getName());

	private static final int OPEN_ATTEMPTS = 3;

	private final Path path;

	private final TailLimits limits;

	private final TailBuffers buffers;

	private final Opener opener;

	private FileState state = FileState.WAITING;

	private boolean started;

	private @Nullable Generation generation;

	private boolean warned;

	/**
	 * Creates a tail of a file; nothing is opened until the first {@link #poll()} or
	 * {@link #skipToEnd()}.
	 * @param path the file, which need not exist yet
	 * @param limits the limits of each poll
	 */
	public FileTail(Path path, TailLimits limits) {
		this(path, limits, (file) -> FileChannel.open(file, StandardOpenOption.READ));
	}

	/**
	 * Creates a tail that opens its file with an opener of its own, so that a test can
	 * replace the file while it opens.
	 */
	FileTail(Path path, TailLimits limits, Opener opener) {
		this.path = Objects.requireNonNull(path, "path");
		this.limits = Objects.requireNonNull(limits, "limits");
		this.buffers = new TailBuffers(limits.maxLineLength());
		this.opener = opener;
	}

	/**
	 * Returns the followed path.
	 * @return the path
	 */
	public Path path() {
		return this.path;
	}

	/**
	 * Reads what happened since the last poll: complete new lines (one {@link Lines} per
	 * file generation), state changes and skips, in file order. The first poll only
	 * positions the tail at the end of the file, or notes that it is missing. When
	 * nothing changed, a poll costs one {@code stat} and no read. Never throws: I/O
	 * errors are logged and reported as {@link Change#DELETED}.
	 * @return the events, empty when nothing changed; their line data stays within the
	 * per-poll limits
	 */
	public synchronized List<TailEvent> poll() {
		List<TailEvent> events = new ArrayList<>(2);
		try {
			follow(events);
		}
		catch (IOException | RuntimeException ex) {
			abandon(ex, events);
		}
		return events;
	}

	/**
	 * Moves the shared read position to the start of the last line of the file as it is
	 * now, dropping anything unread; for the first viewer after nobody watched. A file
	 * that is there is {@link FileState#ACTIVE} afterwards.
	 */
	public synchronized void skipToEnd() {
		this.started = true;
		try {
			Generation previous = this.generation;
			this.generation = null;
			if (previous != null) {
				closeQuietly(previous);
			}
			Generation reopened = open(true);
			this.generation = reopened;
			if (reopened != null) {
				this.state = FileState.ACTIVE;
			}
			else if (previous != null) {
				this.state = FileState.DELETED;
			}
		}
		catch (IOException | RuntimeException ex) {
			abandon(ex, new ArrayList<>());
		}
	}

	/**
	 * Returns where a new or reconnecting viewer starts. When {@code position} is a token
	 * of the open file at most {@code backlogLines} lines behind the shared read
	 * position, the result continues from it: exactly the lines in between. Otherwise (no
	 * token, an unknown one, one of a file rotated or truncated away, one ahead of the
	 * tail) the result holds the last {@code backlogLines} lines before the shared read
	 * position. Either way the viewer then takes every later {@link #poll()} batch.
	 * @param position the token the viewer last received, or {@code null}
	 * @param backlogLines the most lines to return
	 * @return the lines and the token of the shared read position
	 */
	public synchronized Resume since(@Nullable String position, int backlogLines) {
		Generation current = this.generation;
		if (current == null) {
			return new Resume(List.of(), PositionToken.NONE.encode(), false);
		}
		try {
			return current.since(PositionToken.decode(position), Math.max(0, backlogLines));
		}
		catch (IOException | RuntimeException ex) {
			warn("Cannot read the backlog of " + this.path, ex);
			return new Resume(List.of(), current.token().encode(), false);
		}
	}

	/**
	 * Returns what the tail knows about its file.
	 * @return the state
	 */
	public synchronized FileState state() {
		return this.state;
	}

	/**
	 * Returns the token of the shared read position, the start of the next line a poll
	 * will return.
	 * @return an opaque token for {@link #since(String, int)}
	 */
	public synchronized String position() {
		Generation current = this.generation;
		return (current != null) ? current.token().encode() : PositionToken.NONE.encode();
	}

	/**
	 * Returns how many reads the tail has made, to show that idle polls make none.
	 */
	synchronized long reads() {
		return this.buffers.reads();
	}

	private void follow(List<TailEvent> events) throws IOException {
		BasicFileAttributes attributes = stat();
		Generation current = this.generation;
		if (!this.started) {
			this.started = true;
			if (attributes != null) {
				this.generation = open(true);
				if (this.generation != null) {
					this.state = FileState.ACTIVE;
				}
			}
			return;
		}
		PollBudget budget = new PollBudget(this.limits);
		if (current == null) {
			if (attributes != null) {
				Generation appeared = open(false);
				if (appeared != null) {
					this.generation = appeared;
					this.state = FileState.ACTIVE;
					events.add(new StateChanged(Change.APPEARED));
					appeared.readOpened(budget, events);
				}
			}
			return;
		}
		if (attributes == null || !current.isFile(identity(attributes))) {
			if (!current.finish(budget, events)) {
				return;
			}
			this.generation = null;
			closeQuietly(current);
			Generation next = (attributes != null) ? open(false) : null;
			if (next == null) {
				this.state = FileState.DELETED;
				events.add(new StateChanged(Change.DELETED));
				return;
			}
			this.generation = next;
			events.add(new StateChanged(Change.ROTATED));
			next.readOpened(budget, events);
			return;
		}
		current.catchUp(attributes, budget, events);
	}

	/**
	 * Opens the file at the path, checking that it is still the same file once open.
	 * @param atEnd whether to start at the last line start rather than at the beginning
	 * @return the generation, or {@code null} when there is no readable file at the path
	 */
	private @Nullable Generation open(boolean atEnd) throws IOException {
		for (int attempt = 0; attempt < OPEN_ATTEMPTS; attempt++) {
			BasicFileAttributes before = stat();
			if (before == null) {
				return null;
			}
			if (before.isDirectory()) {
				warn(this.path + " is a directory, not a log file", null);
				return null;
			}
			FileChannel channel;
			try {
				channel = this.opener.open(this.path);
			}
			catch (NoSuchFileException ex) {
				return null;
			}
			catch (IOException ex) {
				warn("Cannot open " + this.path, ex);
				return null;
			}
			try {
				BasicFileAttributes after = stat();
				if (after != null && identity(after).equals(identity(before))) {
					Generation opened = Generation.open(channel, identity(after), after, atEnd, this.limits,
							this.buffers);
					this.warned = false;
					return opened;
				}
			}
			catch (IOException | RuntimeException ex) {
				closeQuietly(channel);
				throw ex;
			}
			// Replaced while we opened it
			closeQuietly(channel);
		}
		return null;
	}

	private @Nullable BasicFileAttributes stat() {
		try {
			return Files.readAttributes(this.path, BasicFileAttributes.class);
		}
		catch (NoSuchFileException ex) {
			return null;
		}
		catch (IOException ex) {
			warn("Cannot see " + this.path, ex);
			return null;
		}
	}

	/**
	 * What tells one file at the path from the next: its file key, or without one (some
	 * file systems) its creation time.
	 */
	static String identity(BasicFileAttributes attributes) {
		Object key = attributes.fileKey();
		return (key != null) ? key.toString() : "created:" + attributes.creationTime().toMillis();
	}

	private void abandon(Exception ex, List<TailEvent> events) {
		warn("Cannot follow " + this.path, ex);
		Generation current = this.generation;
		this.generation = null;
		if (current != null) {
			closeQuietly(current);
		}
		if (this.state == FileState.ACTIVE) {
			this.state = FileState.DELETED;
			events.add(new StateChanged(Change.DELETED));
		}
	}

	private void closeQuietly(Closeable file) {
		try {
			file.close();
		}
		catch (IOException ex) {
			logger.log(Level.DEBUG, () -> "Cannot close " + this.path, ex);
		}
	}

	private void warn(String message, @Nullable Throwable ex) {
		// Once until the file opens again: a broken file must not flood the log every
		// poll
		Level level = this.warned ? Level.DEBUG : Level.WARNING;
		this.warned = true;
		logger.log(level, message, ex);
	}

	/**
	 * Opens the file at the path for reading.
	 */
	@FunctionalInterface
	interface Opener {

		FileChannel open(Path path) throws IOException;

	}

}
