package dev.websocketstarter.sample.logview.tail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import dev.websocketstarter.sample.logview.tail.TailEvent.Change;
import dev.websocketstarter.sample.logview.tail.TailEvent.Lines;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link FileTail}: rotation, truncation, deletion and missing files, on real
 * files.
 */
class FileTailRotationTests {

	@TempDir
	Path directory;

	private LogFile log;

	@BeforeEach
	void createLog() {
		this.log = new LogFile(this.directory.resolve("app.log"));
	}

	@Test
	void renameAndCreateFinishesTheOldFileThenReadsTheNewOneFromItsStart() throws Exception {
		FileTail tail = startedTail("a1\n");
		this.log.append("a2\na3\n");
		this.log.renameTo("app.log.1");
		this.log.append("b1\nb2\n");
		List<TailEvent> events = tail.poll();
		assertThat(events).hasSize(3);
		assertThat(events.get(0)).isInstanceOfSatisfying(Lines.class,
				(lines) -> assertThat(lines.lines()).containsExactly("a2", "a3"));
		assertThat(events.get(1)).isEqualTo(Polls.ROTATED);
		assertThat(events.get(2)).isEqualTo(new Lines(List.of("b1", "b2"), this.log.positionAtEnd()));
		assertThat(tail.state()).isEqualTo(FileState.ACTIVE);
		this.log.append("b3\n");
		assertThat(tail.poll()).containsExactly(new Lines(List.of("b3"), this.log.positionAtEnd()));
	}

	@Test
	void rotationIsSeenWhenTheNewFileIsAlreadyLargerThanTheOldOne() throws Exception {
		FileTail tail = startedTail("short\n");
		this.log.renameTo("app.log.1");
		this.log.append("a much longer first line of the new file\nsecond\n");
		assertThat(tail.poll()).containsExactly(Polls.ROTATED,
				new Lines(List.of("a much longer first line of the new file", "second"), this.log.positionAtEnd()));
	}

	@Test
	void rotationReturnsThePartialLastLineOfTheOldFile() throws Exception {
		FileTail tail = startedTail("");
		this.log.append("a1\nunfinish");
		assertThat(Polls.lines(tail.poll())).containsExactly("a1");
		this.log.append("ed");
		this.log.renameTo("app.log.1");
		this.log.append("b1\n");
		List<TailEvent> events = tail.poll();
		assertThat(Polls.lines(events)).containsExactly("unfinished", "b1");
		assertThat(events.get(1)).isEqualTo(Polls.ROTATED);
	}

	@Test
	void rotationToAnEmptyFileIsReportedAndItsLinesFollow() throws Exception {
		FileTail tail = startedTail("a1\n");
		this.log.renameTo("app.log.1");
		this.log.append("");
		assertThat(tail.poll()).containsExactly(Polls.ROTATED);
		this.log.append("b1\n");
		assertThat(Polls.lines(tail.poll())).containsExactly("b1");
	}

	@Test
	void oldFileBeyondTheLimitsIsFinishedOverSeveralPollsBeforeTheRotation() throws Exception {
		TailLimits limits = new TailLimits(2, 64 * 1024, 1024, 1024 * 1024);
		FileTail tail = new FileTail(this.log.append("").path(), limits);
		tail.poll();
		this.log.append("a1\na2\na3\na4\na5\n");
		this.log.renameTo("app.log.1");
		this.log.append("b1\nb2\nb3\n");
		assertThat(tail.poll()).extracting(TailEvent::getClass).containsExactly(Lines.class);
		assertThat(tail.poll()).extracting(TailEvent::getClass).containsExactly(Lines.class);
		List<TailEvent> all = Polls.untilQuiet(tail, limits);
		assertThat(Polls.changes(all)).containsExactly(Change.ROTATED);
		assertThat(all.get(1)).isEqualTo(Polls.ROTATED);
		assertThat(Polls.lines(all)).containsExactly("a5", "b1", "b2", "b3");
	}

	@Test
	void copyTruncateIsReportedAndTheFileIsReadFromItsStart() throws Exception {
		FileTail tail = startedTail("a1\n");
		this.log.append("a2\n");
		assertThat(Polls.lines(tail.poll())).containsExactly("a2");
		Object fileKey = this.log.fileKey();
		this.log.copyTruncate("app.log.1");
		this.log.append("b1\n");
		assertThat(this.log.fileKey()).isEqualTo(fileKey);
		assertThat(tail.poll()).containsExactly(Polls.TRUNCATED, new Lines(List.of("b1"), this.log.positionAtEnd()));
		this.log.append("b2\n");
		assertThat(tail.poll()).containsExactly(new Lines(List.of("b2"), this.log.positionAtEnd()));
	}

	@Test
	void truncationToEmptyIsReportedOnce() throws Exception {
		FileTail tail = startedTail("a1\n");
		this.log.append("a2\n");
		tail.poll();
		this.log.copyTruncate("app.log.1");
		assertThat(tail.poll()).containsExactly(Polls.TRUNCATED);
		assertThat(tail.poll()).isEmpty();
		this.log.append("b1\n");
		assertThat(tail.poll()).containsExactly(new Lines(List.of("b1"), this.log.positionAtEnd()));
	}

	@Test
	void truncateThenRegrowPastTheOffsetIsToldApartByTheFirstBytes() throws Exception {
		FileTail tail = startedTail("");
		this.log.append("first 1\n");
		assertThat(Polls.lines(tail.poll())).containsExactly("first 1");
		Object fileKey = this.log.fileKey();
		this.log.rewrite("second 1\nsecond 2\nsecond 3\n");
		assertThat(this.log.fileKey()).isEqualTo(fileKey);
		assertThat(tail.poll()).containsExactly(Polls.TRUNCATED,
				new Lines(List.of("second 1", "second 2", "second 3"), this.log.positionAtEnd()));
	}

	@Test
	void truncationReturnsThePartialLineItHeldFirst() throws Exception {
		FileTail tail = startedTail("");
		this.log.append("a1\nunfinished");
		assertThat(Polls.lines(tail.poll())).containsExactly("a1");
		this.log.rewrite("b1\n");
		List<TailEvent> events = tail.poll();
		assertThat(Polls.lines(events)).containsExactly("unfinished", "b1");
		assertThat(events.get(1)).isEqualTo(Polls.TRUNCATED);
	}

	@Test
	void growingFileIsNeverTakenForATruncatedOne() {
		FileTail tail = startedTail("");
		for (int i = 0; i < 60; i++) {
			String line = "line %02d of a file that grows past its fingerprint".formatted(i);
			this.log.append(line.substring(0, 10));
			assertThat(tail.poll()).isEmpty();
			this.log.append(line.substring(10) + "\n");
			assertThat(tail.poll()).containsExactly(new Lines(List.of(line), this.log.positionAtEnd()));
		}
	}

	@Test
	void deletedFileIsReadToItsEndThenReportedOnce() throws Exception {
		FileTail tail = startedTail("a1\n");
		this.log.append("a2\na3");
		this.log.delete();
		List<TailEvent> events = tail.poll();
		assertThat(Polls.lines(events)).containsExactly("a2", "a3");
		assertThat(events).last().isEqualTo(Polls.DELETED);
		assertThat(tail.state()).isEqualTo(FileState.DELETED);
		assertThat(tail.poll()).isEmpty();
		assertThat(tail.poll()).isEmpty();
		assertThat(tail.state()).isEqualTo(FileState.DELETED);
	}

	@Test
	void renamedAwayWithoutAReplacementIsDeleted() throws Exception {
		FileTail tail = startedTail("a1\n");
		this.log.renameTo("app.log.1");
		assertThat(tail.poll()).containsExactly(Polls.DELETED);
	}

	@Test
	void deletedFileThatComesBackAppearsAndIsReadFromItsStart() throws Exception {
		FileTail tail = startedTail("a1\n");
		this.log.delete();
		assertThat(tail.poll()).containsExactly(Polls.DELETED);
		this.log.append("b1\nb2\n");
		assertThat(tail.poll()).containsExactly(Polls.APPEARED,
				new Lines(List.of("b1", "b2"), this.log.positionAtEnd()));
		assertThat(tail.state()).isEqualTo(FileState.ACTIVE);
	}

	@Test
	void fileMissingAtStartIsWaitingWithoutEvents() {
		FileTail tail = new FileTail(this.log.path(), Polls.LIMITS);
		for (int i = 0; i < 5; i++) {
			assertThat(tail.poll()).isEmpty();
		}
		assertThat(tail.state()).isEqualTo(FileState.WAITING);
		assertThat(tail.since(null, 10)).isEqualTo(new Resume(List.of(), LogFile.noPosition(), false));
	}

	@Test
	void fileMissingAtStartIsReadFromItsStartWhenItAppears() {
		FileTail tail = new FileTail(this.log.path(), Polls.LIMITS);
		assertThat(tail.poll()).isEmpty();
		this.log.append("first\nsecond\n");
		assertThat(tail.poll()).containsExactly(Polls.APPEARED,
				new Lines(List.of("first", "second"), this.log.positionAtEnd()));
		assertThat(tail.state()).isEqualTo(FileState.ACTIVE);
	}

	@Test
	void directoryAtThePathIsWaitingAndNotAnError() throws Exception {
		Files.createDirectory(this.log.path());
		FileTail tail = new FileTail(this.log.path(), Polls.LIMITS);
		assertThat(tail.poll()).isEmpty();
		assertThat(tail.poll()).isEmpty();
		assertThat(tail.state()).isEqualTo(FileState.WAITING);
		Files.delete(this.log.path());
		this.log.append("now a file\n");
		assertThat(tail.poll()).containsExactly(Polls.APPEARED,
				new Lines(List.of("now a file"), this.log.positionAtEnd()));
	}

	@Test
	void rotationsTruncationsAndDeletionsLoseAndRepeatNoLineTheFilesStillHold() throws Exception {
		TailLimits limits = new TailLimits(3, 64 * 1024, 1024, 1024 * 1024);
		FileTail tail = new FileTail(this.log.path(), limits);
		List<TailEvent> all = new ArrayList<>(tail.poll());
		this.log.append("g1 1\ng1 2\ng1 3\ng1 4\n");
		all.addAll(tail.poll());
		this.log.renameTo("app.log.1");
		this.log.append("g2 1\ng2 2\n");
		all.addAll(Polls.untilQuiet(tail, limits));
		this.log.append("g2 3\n");
		this.log.delete();
		all.addAll(Polls.untilQuiet(tail, limits));
		this.log.append("g3 1\ng3 2\ng3 3\ng3 4\n");
		all.addAll(Polls.untilQuiet(tail, limits));
		this.log.rewrite("g4 1\n");
		all.addAll(Polls.untilQuiet(tail, limits));
		assertThat(Polls.lines(all)).containsExactly("g1 1", "g1 2", "g1 3", "g1 4", "g2 1", "g2 2", "g2 3", "g3 1",
				"g3 2", "g3 3", "g3 4", "g4 1");
		assertThat(Polls.changes(all)).containsExactly(Change.APPEARED, Change.ROTATED, Change.DELETED, Change.APPEARED,
				Change.TRUNCATED);
	}

	private FileTail startedTail(String content) {
		this.log.append(content);
		FileTail tail = new FileTail(this.log.path(), Polls.LIMITS);
		assertThat(tail.poll()).isEmpty();
		return tail;
	}

}
