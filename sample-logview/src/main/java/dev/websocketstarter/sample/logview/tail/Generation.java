package dev.websocketstarter.sample.logview.tail;

import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;

import dev.websocketstarter.sample.logview.tail.TailEvent.Change;
import dev.websocketstarter.sample.logview.tail.TailEvent.Lines;
import dev.websocketstarter.sample.logview.tail.TailEvent.Skipped;
import dev.websocketstarter.sample.logview.tail.TailEvent.StateChanged;
import org.jspecify.annotations.Nullable;

/**
 * One file behind a followed path, from the moment it is opened until it is rotated,
 * deleted or given up: its open channel, how far it has been read, and the reads that
 * turn its bytes into lines. Not thread-safe: its {@link FileTail} serialises the calls.
 */
final class Generation implements Closeable {

	private static final int BLOCK_SIZE = TailBuffers.BLOCK_SIZE;

	private final FileChannel channel;

	private final String identity;

	private final TailLimits limits;

	private final TailBuffers buffers;

	private Fingerprint fingerprint = Fingerprint.EMPTY;

	private long size;

	private FileTime modified;

	/** Start of the next line to return: the shared read position. */
	private long lineStart;

	/** End of what was read; bytes from lineStart on are held as a partial line. */
	private long scanOffset;

	private Generation(FileChannel channel, String identity, BasicFileAttributes attributes, TailLimits limits,
			TailBuffers buffers) {
		this.channel = channel;
		this.identity = identity;
		this.size = attributes.size();
		this.modified = attributes.lastModifiedTime();
		this.limits = limits;
		this.buffers = buffers;
	}

	/**
	 * Starts reading an opened file.
	 * @param channel the open file
	 * @param identity its identity, checked against the path once open
	 * @param attributes its attributes, seen once open
	 * @param atEnd whether to start at the last line start rather than at the beginning
	 * @param limits the tail's limits
	 * @param buffers the tail's buffers; the partial line starts empty
	 */
	static Generation open(FileChannel channel, String identity, BasicFileAttributes attributes, boolean atEnd,
			TailLimits limits, TailBuffers buffers) throws IOException {
		Generation opened = new Generation(channel, identity, attributes, limits, buffers);
		opened.fingerprint = opened.head(attributes.size());
		opened.lineStart = atEnd ? opened.lastLineStart(attributes.size()) : 0;
		opened.scanOffset = opened.lineStart;
		buffers.partial.reset();
		return opened;
	}

	/**
	 * Returns whether this is the file with the given identity.
	 */
	boolean isFile(String identity) {
		return this.identity.equals(identity);
	}

	/**
	 * Returns the token of the shared read position.
	 */
	PositionToken token() {
		return new PositionToken(this.identity, this.fingerprint, this.lineStart);
	}

	/**
	 * Reads the lines complete in the file as it was opened.
	 */
	void readOpened(PollBudget budget, List<TailEvent> events) throws IOException {
		read(this.size, budget, events, false);
	}

	/**
	 * Reads what the file gained since the last poll, within the budget. A file that
	 * shrank below what was read, or whose first bytes changed, was truncated: what was
	 * held of the old content is returned first, then the file is read from its start.
	 * @param attributes the file's attributes now
	 */
	void catchUp(BasicFileAttributes attributes, PollBudget budget, List<TailEvent> events) throws IOException {
		if (attributes.size() != this.size || !attributes.lastModifiedTime().equals(this.modified)) {
			if (attributes.size() < this.scanOffset || !headStillMatches(attributes.size())) {
				// The held partial line is all that is left of the old content
				if (!read(this.scanOffset, budget, events, true)) {
					return;
				}
				events.add(new StateChanged(Change.TRUNCATED));
				this.lineStart = 0;
				this.scanOffset = 0;
				this.fingerprint = head(attributes.size());
			}
			this.size = attributes.size();
			this.modified = attributes.lastModifiedTime();
		}
		if (this.size > this.scanOffset) {
			read(this.size, budget, events, false);
		}
	}

	/**
	 * Reads the file to its end for the last time, a final line without its newline
	 * included, before the tail moves on to the file now at the path.
	 * @return whether everything was returned; if not, the next poll finishes
	 */
	boolean finish(PollBudget budget, List<TailEvent> events) throws IOException {
		return read(this.channel.size(), budget, events, true);
	}

	/**
	 * Returns where a viewer starts: from {@code token} when it continues this file at
	 * most {@code backlogLines} lines behind the shared read position, otherwise the last
	 * {@code backlogLines} lines before it.
	 */
	Resume since(@Nullable PositionToken token, int backlogLines) throws IOException {
		long backlogStart = backlogStart(backlogLines);
		long from = backlogStart;
		boolean continued = false;
		if (token != null && continues(token, backlogStart)) {
			from = token.offset();
			continued = true;
		}
		return new Resume(linesBetween(from, this.lineStart), token().encode(), continued);
	}

	@Override
	public void close() throws IOException {
		this.buffers.partial.reset();
		this.channel.close();
	}

	/**
	 * Reads complete lines up to {@code limit} within the budget, jumping ahead first
	 * when too much is unread. When {@code ending}, the generation is read for the last
	 * time, so a final line without its newline is returned too.
	 * @return whether everything up to {@code limit} was returned
	 */
	private boolean read(long limit, PollBudget budget, List<TailEvent> events, boolean ending) throws IOException {
		if (limit - this.scanOffset > this.limits.skipAfterBytes()) {
			long skipped = skipAhead(limit);
			if (skipped > 0) {
				events.add(new Skipped(skipped));
			}
		}
		LineAssembler partial = this.buffers.partial;
		List<String> lines = new ArrayList<>();
		try {
			boolean complete = readLines(limit, budget, lines);
			if (complete && ending && !partial.isEmpty()) {
				int lineBytes = partial.keptLength(0) + 1;
				if (!budget.allows(lineBytes)) {
					return false;
				}
				lines.add(partial.take());
				budget.use(lineBytes);
				this.lineStart = this.scanOffset;
			}
			return complete;
		}
		finally {
			// Lines already taken have moved the position: they must reach the caller
			if (!lines.isEmpty()) {
				events.add(new Lines(lines, token().encode()));
			}
		}
	}

	private boolean readLines(long limit, PollBudget budget, List<String> lines) throws IOException {
		LineAssembler partial = this.buffers.partial;
		byte[] bytes = this.buffers.bytes();
		while (this.scanOffset < limit) {
			if (!budget.allows(1)) {
				return false;
			}
			long base = this.scanOffset;
			int count = readAt(base, (int) Math.min(BLOCK_SIZE, limit - base));
			if (count <= 0) {
				// Shorter than it was a moment ago: the next poll sees the truncation
				return true;
			}
			int start = 0;
			for (int i = 0; i < count; i++) {
				if (bytes[i] != '\n') {
					continue;
				}
				int lineBytes = partial.keptLength(i - start) + 1;
				partial.append(bytes, start, i - start);
				if (!budget.allows(lineBytes)) {
					this.scanOffset = base + i;
					return false;
				}
				lines.add(partial.take());
				budget.use(lineBytes);
				this.scanOffset = base + i + 1;
				this.lineStart = this.scanOffset;
				start = i + 1;
			}
			partial.append(bytes, start, count - start);
			this.scanOffset = base + count;
		}
		return true;
	}

	/**
	 * Moves to the first line start within the last {@code maxBytesPerPoll} bytes before
	 * {@code limit}, counting the newlines jumped over without keeping what it reads.
	 * @return the number of lines jumped over, 0 when there is no line start to jump to
	 */
	private long skipAhead(long limit) throws IOException {
		long target = limit - this.limits.maxBytesPerPoll();
		long newlines = 0;
		long lastLineStart = -1;
		long position = this.scanOffset;
		byte[] bytes = this.buffers.bytes();
		while (position < target) {
			int count = readAt(position, (int) Math.min(BLOCK_SIZE, target - position));
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
			int count = readAt(position, (int) Math.min(BLOCK_SIZE, limit - position));
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
		this.lineStart = lineStart;
		this.scanOffset = lineStart;
		this.buffers.partial.reset();
		return newlines;
	}

	/**
	 * Finds where the last {@code lines} lines before the read position start, reading
	 * backwards no further than {@code lines} lines of the longest kept length.
	 */
	private long backlogStart(int lines) throws IOException {
		long end = this.lineStart;
		if (lines == 0 || end == 0) {
			return end;
		}
		long floor = Math.max(0, end - lines * (this.limits.maxLineLength() + 2L));
		long earliest = end;
		int found = 0;
		byte[] bytes = this.buffers.bytes();
		// The byte before the read position ends the last line: start before it
		long position = end - 1;
		while (position > floor) {
			int length = (int) Math.min(BLOCK_SIZE, position - floor);
			long from = position - length;
			int count = readAt(from, length);
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

	private boolean continues(PositionToken token, long backlogStart) throws IOException {
		long offset = token.offset();
		return token.fileIdentity().equals(this.identity) && offset >= backlogStart && offset <= this.lineStart
				&& (offset == this.lineStart || isLineStart(offset)) && headMatches(token.fingerprint());
	}

	private boolean isLineStart(long offset) throws IOException {
		return offset == 0 || (readAt(offset - 1, 1) == 1 && this.buffers.bytes()[0] == '\n');
	}

	private List<String> linesBetween(long from, long to) throws IOException {
		List<String> lines = new ArrayList<>();
		LineAssembler line = this.buffers.scratch;
		line.reset();
		byte[] bytes = this.buffers.bytes();
		long position = from;
		while (position < to) {
			int count = readAt(position, (int) Math.min(BLOCK_SIZE, to - position));
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
	private boolean headStillMatches(long size) throws IOException {
		int length = (int) Math.min(size, Fingerprint.MAX_LENGTH);
		Fingerprint known = this.fingerprint;
		if (length < known.length()) {
			return false;
		}
		int count = readAt(0, length);
		if (count < known.length() || !Fingerprint.of(this.buffers.bytes(), known.length()).equals(known)) {
			return false;
		}
		this.fingerprint = Fingerprint.of(this.buffers.bytes(), count);
		return true;
	}

	private boolean headMatches(Fingerprint fingerprint) throws IOException {
		int count = readAt(0, fingerprint.length());
		return count == fingerprint.length() && Fingerprint.of(this.buffers.bytes(), count).equals(fingerprint);
	}

	private Fingerprint head(long size) throws IOException {
		int count = readAt(0, (int) Math.min(size, Fingerprint.MAX_LENGTH));
		return Fingerprint.of(this.buffers.bytes(), count);
	}

	/**
	 * Finds the start of the last line, complete or not, looking back no further than a
	 * line of the longest kept length: a longer last line is followed from the end.
	 */
	private long lastLineStart(long size) throws IOException {
		long floor = Math.max(0, size - (this.limits.maxLineLength() + 2L));
		byte[] bytes = this.buffers.bytes();
		long position = size;
		while (position > floor) {
			int length = (int) Math.min(BLOCK_SIZE, position - floor);
			long from = position - length;
			int count = readAt(from, length);
			for (int i = count - 1; i >= 0; i--) {
				if (bytes[i] == '\n') {
					return from + i + 1;
				}
			}
			position = from;
		}
		return (floor == 0) ? 0 : size;
	}

	private int readAt(long position, int length) throws IOException {
		return this.buffers.readAt(this.channel, position, length);
	}

}
