package dev.websocketstarter.sample.logview.tail;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * The memory one tail reads with, whatever the writer does: a block buffer and two line
 * buffers of at most {@link TailLimits#maxLineLength()} bytes. Shared by the tail's
 * generations, one at a time, so a rotation allocates nothing.
 */
final class TailBuffers {

	static final int BLOCK_SIZE = 16 * 1024;

	private final ByteBuffer block = ByteBuffer.allocate(BLOCK_SIZE);

	/** The line being read, which may span reads and polls. */
	final LineAssembler partial;

	/** Lines read again for a viewer's backlog, apart from the partial line. */
	final LineAssembler scratch;

	private long reads;

	TailBuffers(int maxLineLength) {
		this.partial = new LineAssembler(maxLineLength);
		this.scratch = new LineAssembler(maxLineLength);
	}

	/**
	 * Returns the block buffer's bytes, filled by the last {@link #readAt}.
	 */
	byte[] bytes() {
		return this.block.array();
	}

	/**
	 * Reads up to {@code length} bytes at {@code position} into the block, fewer only at
	 * the end of the file.
	 * @return the number of bytes read
	 */
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
	 * Returns how many reads were made, to show that idle polls make none.
	 */
	long reads() {
		return this.reads;
	}

}
