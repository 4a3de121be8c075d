package dev.websocketstarter.sample.logview.tail;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;

import dev.websocketstarter.sample.logview.tail.TailEvent.Lines;
import dev.websocketstarter.sample.logview.tail.TailEvent.Skipped;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link FileTail}: appends, partial lines, per-poll limits and decoding, on
 * real files.
 */
class FileTailTests {

	@TempDir
	Path directory;

	private LogFile log;

	@BeforeEach
	void createLog() {
		this.log = new LogFile(this.directory.resolve("app.log")).append("");
	}

	@Test
	void appendedLinesComeOutInOrderWithThePositionAfterTheLast() {
		FileTail tail = startedTail(Polls.LIMITS);
		this.log.append("one\ntwo\n");
		List<TailEvent> events = tail.poll();
		assertThat(events).containsExactly(new Lines(List.of("one", "two"), this.log.positionAt(8)));
		this.log.append("three\n");
		assertThat(tail.poll()).containsExactly(new Lines(List.of("three"), this.log.positionAt(14)));
		assertThat(tail.position()).isEqualTo(this.log.positionAt(14));
	}

	@Test
	void partialLineWaitsForItsNewline() {
		FileTail tail = startedTail(Polls.LIMITS);
		String before = tail.position();
		this.log.append("par");
		assertThat(tail.poll()).isEmpty();
		this.log.append("tial");
		assertThat(tail.poll()).isEmpty();
		assertThat(tail.since(before, 10)).isEqualTo(new Resume(List.of(), this.log.positionAt(0), true));
		this.log.append(" line\nnext");
		assertThat(Polls.lines(tail.poll())).containsExactly("partial line");
		this.log.append("\n");
		assertThat(Polls.lines(tail.poll())).containsExactly("next");
	}

	@Test
	void emptyLinesAreLines() {
		FileTail tail = startedTail(Polls.LIMITS);
		this.log.append("a\n\n\nb\n");
		assertThat(Polls.lines(tail.poll())).containsExactly("a", "", "", "b");
	}

	@Test
	void firstPollStartsAtTheEndOfAnExistingFileWithoutEvents() {
		this.log.append("old 1\nold 2\n");
		FileTail tail = new FileTail(this.log.path(), Polls.LIMITS);
		assertThat(tail.state()).isEqualTo(FileState.WAITING);
		assertThat(tail.poll()).isEmpty();
		assertThat(tail.state()).isEqualTo(FileState.ACTIVE);
		this.log.append("new\n");
		assertThat(Polls.lines(tail.poll())).containsExactly("new");
	}

	@Test
	void firstPollKeepsThePartialLastLineOfAnExistingFile() {
		this.log.append("old\nha");
		FileTail tail = startedTail(Polls.LIMITS);
		assertThat(tail.poll()).isEmpty();
		this.log.append("lf\n");
		assertThat(Polls.lines(tail.poll())).containsExactly("half");
	}

	@Test
	void pollWhenNothingChangedReadsNothing() {
		FileTail tail = startedTail(Polls.LIMITS);
		this.log.append("one\ntwo");
		tail.poll();
		tail.poll();
		long reads = tail.reads();
		for (int i = 0; i < 5; i++) {
			assertThat(tail.poll()).isEmpty();
		}
		assertThat(tail.reads()).isEqualTo(reads);
	}

	@Test
	void atMostMaxLinesPerPollAndTheRestFollowsInOrder() {
		TailLimits limits = new TailLimits(3, 64 * 1024, 1024, 1024 * 1024);
		FileTail tail = startedTail(limits);
		List<String> written = numberedLines(10, "line");
		this.log.append(String.join("\n", written) + "\n");
		assertThat(Polls.lines(tail.poll())).containsExactlyElementsOf(written.subList(0, 3));
		assertThat(Polls.lines(tail.poll())).containsExactlyElementsOf(written.subList(3, 6));
		assertThat(Polls.lines(tail.poll())).containsExactlyElementsOf(written.subList(6, 9));
		assertThat(Polls.lines(tail.poll())).containsExactlyElementsOf(written.subList(9, 10));
		assertThat(tail.poll()).isEmpty();
	}

	@Test
	void atMostMaxBytesPerPollAndTheRestFollowsInOrder() {
		TailLimits limits = new TailLimits(1000, 100, 50, 10_000);
		FileTail tail = startedTail(limits);
		// 19 characters and a newline: five lines fill a poll
		List<String> written = IntStream.range(0, 12).mapToObj((i) -> "line %02d ..........".formatted(i)).toList();
		this.log.append(String.join("\n", written) + "\n");
		assertThat(Polls.lines(tail.poll())).containsExactlyElementsOf(written.subList(0, 5));
		assertThat(Polls.lines(tail.poll())).containsExactlyElementsOf(written.subList(5, 10));
		assertThat(Polls.lines(tail.poll())).containsExactlyElementsOf(written.subList(10, 12));
		assertThat(tail.poll()).isEmpty();
	}

	@Test
	void burstBeyondTheSkipThresholdIsSkippedToTheLastLines() {
		TailLimits limits = new TailLimits(1000, 100, 50, 1000);
		FileTail tail = startedTail(limits);
		List<String> written = numberedLines(200, "line");
		this.log.append(String.join("\n", written) + "\n");
		List<TailEvent> events = tail.poll();
		assertThat(events).hasSize(2);
		assertThat(events.get(0)).isInstanceOf(Skipped.class);
		List<String> shown = Polls.lines(events);
		assertThat(Polls.skipped(events) + shown.size()).isEqualTo(written.size());
		assertThat(shown).isNotEmpty().containsExactlyElementsOf(written.subList(written.size() - shown.size(), 200));
		Polls.assertWithinLimits(events, limits);
		assertThat(tail.poll()).isEmpty();
	}

	@Test
	void burstAtTheSkipThresholdIsReadInFull() {
		TailLimits limits = new TailLimits(1000, 100, 50, 1000);
		FileTail tail = startedTail(limits);
		// 100 lines of 10 bytes: exactly the threshold
		List<String> written = numberedLines(100, "line ");
		this.log.append(String.join("\n", written) + "\n");
		List<TailEvent> all = Polls.untilQuiet(tail, limits);
		assertThat(Polls.skipped(all)).isZero();
		assertThat(Polls.lines(all)).containsExactlyElementsOf(written);
	}

	@Test
	void skippedLinesIncludeAPartialLineHeldBeforeTheBurst() {
		TailLimits limits = new TailLimits(1000, 100, 50, 1000);
		FileTail tail = startedTail(limits);
		this.log.append("start of a ");
		assertThat(tail.poll()).isEmpty();
		List<String> written = numberedLines(200, "line");
		this.log.append("line\n" + String.join("\n", written) + "\n");
		List<TailEvent> events = tail.poll();
		assertThat(Polls.skipped(events) + Polls.lines(events).size()).isEqualTo(201);
		assertThat(Polls.lines(events)).last().isEqualTo("line199");
	}

	@Test
	void linesAfterASkipFollowWithoutGap() {
		TailLimits limits = new TailLimits(1000, 100, 50, 1000);
		FileTail tail = startedTail(limits);
		this.log.append(String.join("\n", numberedLines(200, "burst")) + "\n");
		tail.poll();
		this.log.append("after 1\nafter 2\n");
		assertThat(Polls.lines(tail.poll())).containsExactly("after 1", "after 2");
	}

	@Test
	void hugeLineWithoutNewlineIsCutWhenItEnds() {
		FileTail tail = startedTail(Polls.LIMITS);
		byte[] huge = new byte[5 * 1024 * 1024];
		Arrays.fill(huge, (byte) 'x');
		this.log.append(huge);
		assertThat(tail.poll()).isEmpty();
		this.log.append("\nnext\n");
		assertThat(Polls.lines(tail.poll()))
			.containsExactly("x".repeat(1024) + " … [cut " + (huge.length - 1024) + " bytes]", "next");
	}

	@Test
	void overlongLineIsCutWithAMarkerAndReadingResumesAtTheNextLine() {
		FileTail tail = startedTail(Polls.LIMITS);
		this.log.append("y".repeat(1524) + "\nnext\n");
		assertThat(Polls.lines(tail.poll())).containsExactly("y".repeat(1024) + " … [cut 500 bytes]", "next");
	}

	@Test
	void overlongLineGrowingOverSeveralPollsIsCutOnce() {
		FileTail tail = startedTail(Polls.LIMITS);
		this.log.append("z".repeat(800));
		assertThat(tail.poll()).isEmpty();
		this.log.append("z".repeat(800));
		assertThat(tail.poll()).isEmpty();
		this.log.append("z".repeat(100) + "\r\n");
		assertThat(Polls.lines(tail.poll())).containsExactly("z".repeat(1024) + " … [cut 676 bytes]");
	}

	@Test
	void lineOfExactlyMaxLineLengthIsKeptWhole() {
		FileTail tail = startedTail(Polls.LIMITS);
		this.log.append("a".repeat(1024) + "\n" + "b".repeat(1024) + "\r\n");
		assertThat(Polls.lines(tail.poll())).containsExactly("a".repeat(1024), "b".repeat(1024));
	}

	@Test
	void cutNeverSplitsAMultiByteCharacter() {
		FileTail tail = startedTail(Polls.LIMITS);
		this.log.append("a".repeat(1023) + "é and more\n");
		assertThat(Polls.lines(tail.poll())).containsExactly("a".repeat(1023) + " … [cut 11 bytes]");
	}

	@Test
	void invalidUtf8IsReplacedAndReadingGoesOn() {
		FileTail tail = startedTail(Polls.LIMITS);
		this.log.append(new byte[] { 'o', 'k', (byte) 0xFF, (byte) 0xC3, ' ', (byte) 0x80, '\n' });
		this.log.append("after\n");
		assertThat(Polls.lines(tail.poll())).containsExactly("ok\uFFFD\uFFFD \uFFFD", "after");
	}

	@Test
	void multiByteCharacterSplitAcrossPollsIsDecodedWhole() {
		FileTail tail = startedTail(Polls.LIMITS);
		byte[] cafe = "café €\n".getBytes(StandardCharsets.UTF_8);
		this.log.append(Arrays.copyOfRange(cafe, 0, 4));
		assertThat(tail.poll()).isEmpty();
		this.log.append(Arrays.copyOfRange(cafe, 4, 8));
		assertThat(tail.poll()).isEmpty();
		this.log.append(Arrays.copyOfRange(cafe, 8, cafe.length));
		assertThat(Polls.lines(tail.poll())).containsExactly("café €");
	}

	@Test
	void carriageReturnBeforeTheNewlineIsStripped() {
		FileTail tail = startedTail(Polls.LIMITS);
		this.log.append("one\r\ntwo\r\nin\rside\r\n");
		assertThat(Polls.lines(tail.poll())).containsExactly("one", "two", "in\rside");
	}

	@Test
	void carriageReturnAndNewlineSplitAcrossPollsIsOneLineEnd() {
		FileTail tail = startedTail(Polls.LIMITS);
		this.log.append("one\r");
		assertThat(tail.poll()).isEmpty();
		this.log.append("\n");
		assertThat(Polls.lines(tail.poll())).containsExactly("one");
	}

	@Test
	void randomWritesInRandomPiecesComeOutExactlyAsWritten() {
		TailLimits limits = new TailLimits(7, 2048, 1024, 1024 * 1024);
		FileTail tail = startedTail(limits);
		Random random = new Random(4);
		String[] words = { "alpha", "βeta", "ga€mma", "😀", " ", "ERROR", "\t", "x" };
		List<String> written = new ArrayList<>();
		StringBuilder content = new StringBuilder();
		for (int i = 0; i < 1500; i++) {
			StringBuilder line = new StringBuilder();
			int length = random.nextInt(40);
			for (int w = 0; w < length; w++) {
				line.append(words[random.nextInt(words.length)]);
			}
			written.add(line.toString());
			content.append(line).append((random.nextInt(5) == 0) ? "\r\n" : "\n");
		}
		byte[] bytes = content.toString().getBytes(StandardCharsets.UTF_8);
		List<String> read = new ArrayList<>();
		int offset = 0;
		while (offset < bytes.length) {
			int piece = Math.min(bytes.length - offset, 1 + random.nextInt(700));
			this.log.append(Arrays.copyOfRange(bytes, offset, offset + piece));
			offset += piece;
			List<TailEvent> events = tail.poll();
			Polls.assertWithinLimits(events, limits);
			read.addAll(Polls.lines(events));
		}
		read.addAll(Polls.lines(Polls.untilQuiet(tail, limits)));
		assertThat(read).containsExactlyElementsOf(written);
	}

	private FileTail startedTail(TailLimits limits) {
		FileTail tail = new FileTail(this.log.path(), limits);
		assertThat(tail.poll()).isEmpty();
		return tail;
	}

	private static List<String> numberedLines(int count, String prefix) {
		return IntStream.range(0, count).mapToObj((i) -> prefix + "%03d".formatted(i)).toList();
	}

}
