package dev.websocketstarter.sample.logview.tail;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * Reads a file at given positions through one reused block buffer, and counts the reads:
 * the random access of a {@link FileTail}, which holds one.
 */
final class BlockReader {

	static final int BLOCK_SIZE = 16 * 1024;

	private final ByteBuffer block = ByteBuffer.allocate(BLOCK_SIZE);

	private final int maxLineLength;

	private final LineAssembler scratch;

	private long reads;

	BlockReader(int maxLineLength) {
		this.maxLineLength = maxLineLength;
		this.scratch = new LineAssembler(maxLineLength);
	}

	/**
	 * The block buffer's array, holding what the last read read from its first byte.
	 */
	byte[] bytes() {
		return this.block.array();
	}

	long reads() {
		return this.reads;
	}

	int readAt(FileChannel channel, long position, int length) throws IOException {
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

	/**
	 * Finds the start of the last line, complete or not, looking back no further than a
	 * line of the longest kept length: a longer last line is followed from the end.
	 */
	long lastLineStart(FileChannel channel, long size) throws IOException {
		long floor = Math.max(0, size - (this.maxLineLength + 2L));
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

	/**
	 * Finds where the last {@code lines} lines before {@code end} start, reading
	 * backwards no further than {@code lines} lines of the longest kept length.
	 */
	long backlogStart(FileChannel channel, long end, int lines) throws IOException {
		if (lines == 0 || end == 0) {
			return end;
		}
		long floor = Math.max(0, end - lines * (this.maxLineLength + 2L));
		long earliest = end;
		int found = 0;
		byte[] bytes = this.block.array();
		// The byte before the read position ends the last line: start before it
		long position = end - 1;
		while (position > floor) {
			int length = (int) Math.min(BLOCK_SIZE, position - floor);
			long from = position - length;
			int count = readAt(channel, from, length);
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

	boolean isLineStart(FileChannel channel, long offset) throws IOException {
		return offset == 0 || (readAt(channel, offset - 1, 1) == 1 && this.block.get(0) == '\n');
	}

	List<String> linesBetween(FileChannel channel, long from, long to) throws IOException {
		List<String> lines = new ArrayList<>();
		LineAssembler line = this.scratch;
		line.reset();
		byte[] bytes = this.block.array();
		long position = from;
		while (position < to) {
			int count = readAt(channel, position, (int) Math.min(BLOCK_SIZE, to - position));
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

	Fingerprint head(FileChannel channel, long size) throws IOException {
		int count = readAt(channel, 0, (int) Math.min(size, Fingerprint.MAX_LENGTH));
		return Fingerprint.of(this.block.array(), count);
	}

	boolean headMatches(FileChannel channel, Fingerprint fingerprint) throws IOException {
		int count = readAt(channel, 0, fingerprint.length());
		return count == fingerprint.length() && Fingerprint.of(this.block.array(), count).equals(fingerprint);
	}

	/**
	 * Checks that the first bytes of the file are still those of a known fingerprint, and
	 * lets the fingerprint grow with the file up to its maximum length.
	 * @return the grown fingerprint, or {@code null} when the head changed
	 */
	@Nullable Fingerprint grownHead(FileChannel channel, Fingerprint known, long size) throws IOException {
		int length = (int) Math.min(size, Fingerprint.MAX_LENGTH);
		if (length < known.length()) {
			return null;
		}
		int count = readAt(channel, 0, length);
		if (count < known.length() || !Fingerprint.of(this.block.array(), known.length()).equals(known)) {
			return null;
		}
		return Fingerprint.of(this.block.array(), count);
	}

	/**
	 * Finds the first line start from {@code target} on, before {@code limit}, or else
	 * the last one before {@code target}, counting the newlines from {@code from} to it
	 * without keeping what it reads.
	 * @return where to go on and how many lines that skips, or {@code null} when there is
	 * no line start to go to
	 */
	@Nullable Skip skipTo(FileChannel channel, long from, long target, long limit) throws IOException {
		long newlines = 0;
		long lastLineStart = -1;
		long position = from;
		byte[] bytes = this.block.array();
		while (position < target) {
			int count = readAt(channel, position, (int) Math.min(BLOCK_SIZE, target - position));
			if (count <= 0) {
				return null;
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
			int count = readAt(channel, position, (int) Math.min(BLOCK_SIZE, limit - position));
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
		return (lineStart < 0) ? null : new Skip(lineStart, newlines);
	}

	/**
	 * Where a skip goes on.
	 *
	 * @param lineStart the line start to go on from
	 * @param newlines the lines skipped
	 */
	record Skip(long lineStart, long newlines) {
	}

}
