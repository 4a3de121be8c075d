package dev.websocketstarter.benchmarks.tail;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import dev.websocketstarter.sample.logview.tail.FileTail;
import dev.websocketstarter.sample.logview.tail.TailEvent;
import dev.websocketstarter.sample.logview.tail.TailLimits;

/**
 * The log-view sample's {@link FileTail}, with its default limits (1,000 lines and 256
 * KiB per poll), polled back to back: how many lines per second it reads, splits and
 * batches when catching up, and whether it accounts for every line of a writer that
 * outruns it.
 */
public final class TailerBenchmark {

	/** A typical 100-byte log line, newline included. */
	static final byte[] LINE = lineOf(100);

	private static final int LINES_PER_WRITE = 10_000;

	private TailerBenchmark() {
	}

	/**
	 * A writer appends lines as fast as it can for {@code duration} (4 GiB at most) while
	 * the tail polls back to back; the tail then catches up. A writer that outruns the
	 * tail makes it jump ahead (it bounds its backlog), so how many lines it reads rather
	 * than skips depends on how the two threads are scheduled; what does not is that each
	 * line written is either read or reported skipped.
	 */
	public static Live live(Path directory, Duration duration) throws IOException, InterruptedException {
		Path file = directory.resolve("live.log");
		Files.deleteIfExists(file);
		FileTail tail = new FileTail(file, TailLimits.defaults());
		// Missing at the first poll, so the tail reads the file from its start
		tail.poll();
		AtomicBoolean writing = new AtomicBoolean(true);
		AtomicLong written = new AtomicLong();
		AtomicLong stopped = new AtomicLong();
		Thread writer = new Thread(() -> {
			try {
				write(file, writing, written, Long.MAX_VALUE);
			}
			finally {
				stopped.set(System.nanoTime());
			}
		}, "tail-writer");
		long start = System.nanoTime();
		writer.start();
		long deadline = start + duration.toNanos();
		long[] counts = new long[2];
		while (System.nanoTime() < deadline) {
			count(tail.poll(), counts);
		}
		writing.set(false);
		writer.join(10_000);
		double writingSeconds = (stopped.get() - start) / 1e9;
		long catchUp = System.nanoTime() + 10_000_000_000L;
		while (System.nanoTime() < catchUp && count(tail.poll(), counts) > 0) {
			// Until a poll finds nothing new
		}
		double seconds = (System.nanoTime() - start) / 1e9;
		Files.deleteIfExists(file);
		return new Live(written.get(), counts[0], counts[1], writingSeconds, seconds);
	}

	/**
	 * The tail reads a file of {@code lines} lines written before it looked, from its
	 * start, with skipping ahead turned off so that every line is read.
	 */
	public static Result catchUp(Path directory, long lines) throws IOException {
		Path file = directory.resolve("catch-up.log");
		Files.deleteIfExists(file);
		TailLimits defaults = TailLimits.defaults();
		FileTail tail = new FileTail(file, new TailLimits(defaults.maxLinesPerPoll(), defaults.maxBytesPerPoll(),
				defaults.maxLineLength(), Long.MAX_VALUE));
		tail.poll();
		AtomicLong written = new AtomicLong();
		write(file, new AtomicBoolean(true), written, lines);
		long[] counts = new long[2];
		long start = System.nanoTime();
		long deadline = start + 60_000_000_000L;
		while (counts[0] < lines && System.nanoTime() < deadline && count(tail.poll(), counts) > 0) {
			// Until everything is read
		}
		double seconds = (System.nanoTime() - start) / 1e9;
		Files.deleteIfExists(file);
		return new Result(counts[0], counts[1], written.get(), seconds);
	}

	private static int count(List<TailEvent> events, long[] counts) {
		int lines = 0;
		for (TailEvent event : events) {
			if (event instanceof TailEvent.Lines batch) {
				lines += batch.lines().size();
			}
			else if (event instanceof TailEvent.Skipped skipped) {
				counts[1] += skipped.lines();
			}
		}
		counts[0] += lines;
		return events.size();
	}

	private static void write(Path file, AtomicBoolean writing, AtomicLong written, long limit) {
		ByteBuffer block = ByteBuffer.allocate(LINE.length * LINES_PER_WRITE);
		for (int i = 0; i < LINES_PER_WRITE; i++) {
			block.put(LINE);
		}
		// At most 4 GiB, whatever the disk's speed
		long maxLines = Math.min(limit, (4L << 30) / LINE.length);
		try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
				StandardOpenOption.APPEND)) {
			while (writing.get() && written.get() < maxLines) {
				int count = (int) Math.min(LINES_PER_WRITE, maxLines - written.get());
				block.clear().limit(count * LINE.length);
				while (block.hasRemaining()) {
					channel.write(block);
				}
				written.addAndGet(count);
			}
		}
		catch (IOException ex) {
			throw new IllegalStateException("Cannot write " + file, ex);
		}
	}

	private static byte[] lineOf(int length) {
		StringBuilder line = new StringBuilder(
				"2025-11-23T09:47:01.002Z  INFO 4242 --- [nio-8081-exec-7] d.w.s.l.LogViewHandler : ");
		while (line.length() < length - 1) {
			line.append('x');
		}
		line.setLength(length - 1);
		return (line + "\n").getBytes(StandardCharsets.US_ASCII);
	}

	/**
	 * What the writer wrote and the tail returned in a {@link #live} run.
	 *
	 * @param linesWritten lines the writer wrote
	 * @param linesRead lines returned in {@code Lines} events
	 * @param linesSkipped lines the tail reported jumped over ({@code Skipped} events)
	 * @param writingSeconds from the writer's start until its last write
	 * @param seconds from the writer's start until a poll found nothing new
	 */
	public record Live(long linesWritten, long linesRead, long linesSkipped, double writingSeconds, double seconds) {

		public double writtenPerSecond() {
			return this.linesWritten / this.writingSeconds;
		}

		/**
		 * Lines written that the tail neither returned nor reported skipped: 0 unless it
		 * lost or invented lines, or never caught up.
		 */
		public long unaccounted() {
			return this.linesWritten - this.linesRead - this.linesSkipped;
		}

		@Override
		public String toString() {
			return String.format(Locale.ROOT,
					"%,d lines written in %.2f s (%,.0f lines/s); the tail read %,d and reported %,d skipped, caught"
							+ " up %.2f s after the writer started; %,d neither read nor reported skipped",
					this.linesWritten, this.writingSeconds, writtenPerSecond(), this.linesRead, this.linesSkipped,
					this.seconds, unaccounted());
		}

	}

	/**
	 * What the tail returned in a {@link #catchUp} run.
	 *
	 * @param linesRead lines returned in {@code Lines} events
	 * @param linesSkipped lines jumped over ({@code Skipped} events)
	 * @param linesWritten lines the writer wrote
	 * @param seconds how long the tail took
	 */
	public record Result(long linesRead, long linesSkipped, long linesWritten, double seconds) {

		public double linesPerSecond() {
			return this.linesRead / this.seconds;
		}

	}

}
