package dev.websocketstarter.sample.logview.tail;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import dev.websocketstarter.sample.logview.tail.TailEvent.Change;
import dev.websocketstarter.sample.logview.tail.TailEvent.Lines;
import dev.websocketstarter.sample.logview.tail.TailEvent.Skipped;
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

	private static final int BLOCK_SIZE = 16 * 1024;

	private static final int OPEN_ATTEMPTS = 3;

	private final Path path;

	private final TailLimits limits;

	private final ByteBuffer block = ByteBuffer.allocate(BLOCK_SIZE);

	private final LineAssembler partial;

	private final LineAssembler scratch;

	private FileState state = FileState.WAITING;

	private boolean started;

	private @Nullable Generation generation;

	private boolean warned;

	private long reads;

	/**
	 * Creates a tail of a file; nothing is opened until the first {@link #poll()} or
	 * {@link #skipToEnd()}.
	 * @param path the file, which need not exist yet
	 * @param limits the limits of each poll
	 */
	public FileTail(Path path, TailLimits limits) {
		this.path = Objects.requireNonNull(path, "path");
		this.limits = Objects.requireNonNull(limits, "limits");
		this.partial = new LineAssembler(limits.maxLineLength());
		this.scratch = new LineAssembler(limits.maxLineLength());
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
				close(previous);
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
			long backlogStart = backlogStart(current, Math.max(0, backlogLines));
			PositionToken token = PositionToken.decode(position);
			long from = backlogStart;
			boolean continued = false;
			if (token != null && continues(current, token, backlogStart)) {
				from = token.offset();
				continued = true;
			}
			return new Resume(linesBetween(current, from, current.lineStart), token(current).encode(), continued);
		}
		catch (IOException | RuntimeException ex) {
			warn("Cannot read the backlog of " + this.path, ex);
			return new Resume(List.of(), token(current).encode(), false);
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
		return (current != null) ? token(current).encode() : PositionToken.NONE.encode();
	}

	/**
	 * Returns how many reads the tail has made, to show that idle polls make none.
	 */
	synchronized long reads() {
		return this.reads;
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
		Budget budget = new Budget(this.limits);
		if (current == null) {
			if (attributes != null) {
				Generation appeared = open(false);
				if (appeared != null) {
					this.generation = appeared;
					this.state = FileState.ACTIVE;
					events.add(new StateChanged(Change.APPEARED));
					read(appeared, appeared.size, budget, events, false);
				}
			}
			return;
		}
		if (attributes == null || !current.identity.equals(identity(attributes))) {
			if (!read(current, current.channel.size(), budget, events, true)) {
				return;
			}
			this.generation = null;
			close(current);
			Generation next = (attributes != null) ? open(false) : null;
			if (next == null) {
				this.state = FileState.DELETED;
				events.add(new StateChanged(Change.DELETED));
				return;
			}
			this.generation = next;
			events.add(new StateChanged(Change.ROTATED));
			read(next, next.size, budget, events, false);
			return;
		}
		if (attributes.size() != current.size || !attributes.lastModifiedTime().equals(current.modified)) {
			if (attributes.size() < current.scanOffset || !headStillMatches(current, attributes.size())) {
				// The held partial line is all that is left of the old content
				if (!read(current, current.scanOffset, budget, events, true)) {
					return;
				}
				events.add(new StateChanged(Change.TRUNCATED));
				current.lineStart = 0;
				current.scanOffset = 0;
				current.fingerprint = head(current.channel, attributes.size());
			}
			current.size = attributes.size();
			current.modified = attributes.lastModifiedTime();
		}
		if (current.size > current.scanOffset) {
			read(current, current.size, budget, events, false);
		}
	}

	/**
	 * Reads complete lines up to {@code limit} within the budget, jumping ahead first
	 * when too much is unread. When {@code ending}, the generation is read for the last
	 * time, so a final line without its newline is returned too.
	 * @return whether everything up to {@code limit} was returned
	 */
	private boolean read(Generation generation, long limit, Budget budget, List<TailEvent> events, boolean ending)
			throws IOException {
		if (limit - generation.scanOffset > this.limits.skipAfterBytes()) {
			long skipped = skipAhead(generation, limit);
			if (skipped > 0) {
				events.add(new Skipped(skipped));
			}
		}
		List<String> lines = new ArrayList<>();
		try {
			boolean complete = readLines(generation, limit, budget, lines);
			if (complete && ending && !this.partial.isEmpty()) {
				int lineBytes = this.partial.keptLength(0) + 1;
				if (!budget.allows(lineBytes)) {
					return false;
				}
				lines.add(this.partial.take());
				budget.use(lineBytes);
				generation.lineStart = generation.scanOffset;
			}
			return complete;
		}
		finally {
			// Lines already taken have moved the position: they must reach the caller
			if (!lines.isEmpty()) {
				events.add(new Lines(lines, token(generation).encode()));
			}
		}
	}

	private boolean readLines(Generation generation, long limit, Budget budget, List<String> lines) throws IOException {
		while (generation.scanOffset < limit) {
			if (!budget.allows(1)) {
				return false;
			}
			long base = generation.scanOffset;
			int count = readAt(generation.channel, base, (int) Math.min(BLOCK_SIZE, limit - base));
			if (count <= 0) {
				// Shorter than it was a moment ago: the next poll sees the truncation
				return true;
			}
			byte[] bytes = this.block.array();
			int start = 0;
			for (int i = 0; i < count; i++) {
				if (bytes[i] != '\n') {
					continue;
				}
				int lineBytes = this.partial.keptLength(i - start) + 1;
				this.partial.append(bytes, start, i - start);
				if (!budget.allows(lineBytes)) {
					generation.scanOffset = base + i;
					return false;
				}
				lines.add(this.partial.take());
				budget.use(lineBytes);
				generation.scanOffset = base + i + 1;
				generation.lineStart = generation.scanOffset;
				start = i + 1;
			}
			this.partial.append(bytes, start, count - start);
			generation.scanOffset = base + count;
		}
		return true;
	}

	/**
	 * Moves to the first line start within the last {@code maxBytesPerPoll} bytes before
	 * {@code limit}, counting the newlines jumped over without keeping what it reads.
	 * @return the number of lines jumped over, 0 when there is no line start to jump to
	 */
	private long skipAhead(Generation generation, long limit) throws IOException {
		long target = limit - this.limits.maxBytesPerPoll();
		long newlines = 0;
		long lastLineStart = -1;
		long position = generation.scanOffset;
		byte[] bytes = this.block.array();
		while (position < target) {
			int count = readAt(generation.channel, position, (int) Math.min(BLOCK_SIZE, target - position));
			if (count <= 0) {
				return 0;
			}
			for (int i = 0; i < count; i++) {
				if (bytes[i] == '\n') {
					newlines++;
					lastLineStart = position + i + 1;
				}
			}
			position += count;
		}
		long lineStart = -1;
		while (lineStart < 0 && position < limit) {
			int count = readAt(generation.channel, position, (int) Math.min(BLOCK_SIZE, limit - position));
			if (count <= 0) {
				break;
			}
			for (int i = 0; i < count; i++) {
				if (bytes[i] == '\n') {
					newlines++;
					lineStart = position + i + 1;
					break;
				}
			}
			position += count;
		}
		if (lineStart < 0) {
			lineStart = lastLineStart;
		}
		if (lineStart < 0) {
			return 0;
		}
		generation.lineStart = lineStart;
		generation.scanOffset = lineStart;
		this.partial.reset();
		return newlines;
	}

	/**
	 * Finds where the last {@code lines} lines before the read position start, reading
	 * backwards no further than {@code lines} lines of the longest kept length.
	 */
	private long backlogStart(Generation generation, int lines) throws IOException {
		long end = generation.lineStart;
		if (lines == 0 || end == 0) {
			return end;
		}
		long floor = Math.max(0, end - lines * (this.limits.maxLineLength() + 2L));
		long earliest = end;
		int found = 0;
		byte[] bytes = this.block.array();
		// The byte before the read position ends the last line: start before it
		long position = end - 1;
		while (position > floor) {
			int length = (int) Math.min(BLOCK_SIZE, position - floor);
			long from = position - length;
			int count = readAt(generation.channel, from, length);
			for (int i = count - 1; i >= 0; i--) {
				if (bytes[i] == '\n') {
					earliest = from + i + 1;
					if (++found == lines) {
						return earliest;
					}
				}
			}
			if (count < length) {
				return earliest;
			}
			position = from;
		}
		return (floor == 0) ? 0 : earliest;
	}

	private boolean continues(Generation generation, PositionToken token, long backlogStart) throws IOException {
		long offset = token.offset();
		return token.fileIdentity().equals(generation.identity) && offset >= backlogStart
				&& offset <= generation.lineStart && (offset == generation.lineStart || isLineStart(generation, offset))
				&& headMatches(generation.channel, token.fingerprint());
	}

	private boolean isLineStart(Generation generation, long offset) throws IOException {
		return offset == 0 || (readAt(generation.channel, offset - 1, 1) == 1 && this.block.get(0) == '\n');
	}

	private List<String> linesBetween(Generation generation, long from, long to) throws IOException {
		List<String> lines = new ArrayList<>();
		LineAssembler line = this.scratch;
		line.reset();
		byte[] bytes = this.block.array();
		long position = from;
		while (position < to) {
			int count = readAt(generation.channel, position, (int) Math.min(BLOCK_SIZE, to - position));
			if (count <= 0) {
				break;
			}
			int start = 0;
			for (int i = 0; i < count; i++) {
				if (bytes[i] == '\n') {
					line.append(bytes, start, i - start);
					lines.add(line.take());
					start = i + 1;
				}
			}
			line.append(bytes, start, count - start);
			position += count;
		}
		if (!line.isEmpty()) {
			lines.add(line.take());
		}
		return lines;
	}

	/**
	 * Checks that the first bytes of the file are still those the generation started
	 * with, and lets the fingerprint grow with the file up to its maximum length.
	 */
	private boolean headStillMatches(Generation generation, long size) throws IOException {
		int length = (int) Math.min(size, Fingerprint.MAX_LENGTH);
		Fingerprint known = generation.fingerprint;
		if (length < known.length()) {
			return false;
		}
		int count = readAt(generation.channel, 0, length);
		if (count < known.length() || !Fingerprint.of(this.block.array(), known.length()).equals(known)) {
			return false;
		}
		generation.fingerprint = Fingerprint.of(this.block.array(), count);
		return true;
	}

	private boolean headMatches(FileChannel channel, Fingerprint fingerprint) throws IOException {
		int count = readAt(channel, 0, fingerprint.length());
		return count == fingerprint.length() && Fingerprint.of(this.block.array(), count).equals(fingerprint);
	}

	private Fingerprint head(FileChannel channel, long size) throws IOException {
		int count = readAt(channel, 0, (int) Math.min(size, Fingerprint.MAX_LENGTH));
		return Fingerprint.of(this.block.array(), count);
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
				channel = FileChannel.open(this.path, StandardOpenOption.READ);
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
					Generation opened = new Generation(channel, identity(after), after.size(),
							after.lastModifiedTime());
					opened.fingerprint = head(channel, after.size());
					opened.lineStart = atEnd ? lastLineStart(channel, after.size()) : 0;
					opened.scanOffset = opened.lineStart;
					this.partial.reset();
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

	/**
	 * Finds the start of the last line, complete or not, looking back no further than a
	 * line of the longest kept length: a longer last line is followed from the end.
	 */
	private long lastLineStart(FileChannel channel, long size) throws IOException {
		long floor = Math.max(0, size - (this.limits.maxLineLength() + 2L));
		byte[] bytes = this.block.array();
		long position = size;
		while (position > floor) {
			int length = (int) Math.min(BLOCK_SIZE, position - floor);
			long from = position - length;
			int count = readAt(channel, from, length);
			for (int i = count - 1; i >= 0; i--) {
				if (bytes[i] == '\n') {
					return from + i + 1;
				}
			}
			position = from;
		}
		return (floor == 0) ? 0 : size;
	}

	private int readAt(FileChannel channel, long position, int length) throws IOException {
		ByteBuffer buffer = this.block;
		buffer.clear().limit(length);
		while (buffer.hasRemaining()) {
			this.reads++;
			if (channel.read(buffer, position + buffer.position()) <= 0) {
				break;
			}
		}
		return buffer.position();
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

	private static String identity(BasicFileAttributes attributes) {
		Object key = attributes.fileKey();
		// Without a file key (some file systems) the creation time tells files apart
		return (key != null) ? key.toString() : "created:" + attributes.creationTime().toMillis();
	}

	private PositionToken token(Generation generation) {
		return new PositionToken(generation.identity, generation.fingerprint, generation.lineStart);
	}

	private void abandon(Exception ex, List<TailEvent> events) {
		warn("Cannot follow " + this.path, ex);
		Generation current = this.generation;
		this.generation = null;
		if (current != null) {
			close(current);
		}
		if (this.state == FileState.ACTIVE) {
			this.state = FileState.DELETED;
			events.add(new StateChanged(Change.DELETED));
		}
	}

	private void close(Generation generation) {
		closeQuietly(generation.channel);
		this.partial.reset();
	}

	private void closeQuietly(FileChannel channel) {
		try {
			channel.close();
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
	 * One file behind the path: the open channel and how far it has been read.
	 */
	private static final class Generation {

		final FileChannel channel;

		final String identity;

		Fingerprint fingerprint = Fingerprint.EMPTY;

		long size;

		FileTime modified;

		/** Start of the next line to return: the shared read position. */
		long lineStart;

		/** End of what was read; bytes from lineStart on are held as a partial line. */
		long scanOffset;

		Generation(FileChannel channel, String identity, long size, FileTime modified) {
			this.channel = channel;
			this.identity = identity;
			this.size = size;
			this.modified = modified;
		}

	}

	/**
	 * What is left of the per-poll limits.
	 */
	private static final class Budget {

		private int lines;

		private int bytes;

		Budget(TailLimits limits) {
			this.lines = limits.maxLinesPerPoll();
			this.bytes = limits.maxBytesPerPoll();
		}

		boolean allows(int lineBytes) {
			return this.lines > 0 && this.bytes >= lineBytes;
		}

		void use(int lineBytes) {
			this.lines--;
			this.bytes -= lineBytes;
		}

	}

}
