package dev.websocketstarter.sample.logview.tail;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import dev.websocketstarter.sample.logview.tail.TailEvent.Lines;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link FileTail#since(String, int)}, {@link FileTail#position()} and
 * {@link FileTail#skipToEnd()}, on real files.
 */
class FileTailResumeTests {

	private static final TailLimits LIMITS = new TailLimits(1000, 64 * 1024, 100, 1024 * 1024);

	@TempDir
	Path directory;

	private LogFile log;

	@BeforeEach
	void createLog() {
		this.log = new LogFile(this.directory.resolve("app.log"));
	}

	@Test
	void sinceWithoutATokenReturnsTheLastBacklogLines() {
		FileTail tail = startedTail(numbered(10));
		assertThat(tail.since(null, 3))
			.isEqualTo(new Resume(List.of("line 7", "line 8", "line 9"), this.log.positionAtEnd(), false));
	}

	@Test
	void sinceWithoutATokenReturnsTheWholeFileWhenItIsShorterThanTheBacklog() {
		FileTail tail = startedTail("one\ntwo\n");
		assertThat(tail.since(null, 100).lines()).containsExactly("one", "two");
	}

	@Test
	void sinceWithoutATokenLeavesOutThePartialLastLine() {
		FileTail tail = startedTail("one\ntwo\nthr");
		assertThat(tail.since(null, 100).lines()).containsExactly("one", "two");
		this.log.append("ee\n");
		assertThat(Polls.lines(tail.poll())).containsExactly("three");
	}

	@Test
	void sinceWithNoBacklogReturnsNoLines() {
		FileTail tail = startedTail(numbered(10));
		assertThat(tail.since(null, 0)).isEqualTo(new Resume(List.of(), this.log.positionAtEnd(), false));
	}

	@Test
	void sinceContinuesFromATokenWithExactlyTheLinesInBetween() {
		FileTail tail = startedTail("");
		this.log.append("a\nb\n");
		String token = lastPosition(tail.poll());
		this.log.append("c\nd\ne\n");
		tail.poll();
		assertThat(tail.since(token, 100))
			.isEqualTo(new Resume(List.of("c", "d", "e"), this.log.positionAtEnd(), true));
	}

	@Test
	void sinceWithTheSharedPositionContinuesWithNothing() {
		FileTail tail = startedTail(numbered(5));
		assertThat(tail.position()).isEqualTo(this.log.positionAtEnd());
		assertThat(tail.since(tail.position(), 100)).isEqualTo(new Resume(List.of(), this.log.positionAtEnd(), true));
	}

	@Test
	void sinceFromATokenOfTheFileStartContinuesWithEveryLine() {
		FileTail tail = new FileTail(this.log.path(), LIMITS);
		tail.poll();
		String waiting = tail.position();
		assertThat(waiting).isEqualTo(LogFile.noPosition());
		this.log.append("");
		tail.poll();
		String empty = tail.position();
		assertThat(empty).isEqualTo(this.log.positionAt(0));
		this.log.append("one\ntwo\n");
		tail.poll();
		assertThat(tail.since(empty, 10)).isEqualTo(new Resume(List.of("one", "two"), this.log.positionAtEnd(), true));
		assertThat(tail.since(waiting, 10).continued()).isFalse();
	}

	@Test
	void sinceWithATokenTooFarBehindReturnsTheBacklog() {
		FileTail tail = startedTail("");
		this.log.append("old\n");
		String token = lastPosition(tail.poll());
		this.log.append(numbered(10));
		tail.poll();
		assertThat(tail.since(token, 5)).isEqualTo(
				new Resume(List.of("line 5", "line 6", "line 7", "line 8", "line 9"), this.log.positionAtEnd(), false));
		assertThat(tail.since(token, 10).continued()).isTrue();
	}

	@Test
	void sinceWithATokenFromBeforeARotationReturnsTheBacklog() throws Exception {
		FileTail tail = startedTail("");
		this.log.append("a1\na2\n");
		String token = lastPosition(tail.poll());
		this.log.renameTo("app.log.1");
		this.log.append("b1\nb2\nb3\nb4\n");
		tail.poll();
		assertThat(tail.since(token, 100))
			.isEqualTo(new Resume(List.of("b1", "b2", "b3", "b4"), this.log.positionAtEnd(), false));
	}

	@Test
	void sinceWithATokenFromBeforeATruncationReturnsTheBacklog() throws Exception {
		FileTail tail = startedTail("");
		this.log.append("a1\na2\n");
		String token = lastPosition(tail.poll());
		this.log.rewrite("b1\nb2\nb3\nb4\n");
		tail.poll();
		assertThat(tail.since(token, 2)).isEqualTo(new Resume(List.of("b3", "b4"), this.log.positionAtEnd(), false));
		assertThat(tail.since(token, 100).continued()).isFalse();
	}

	@Test
	void sinceWithATokenAheadOfTheTailReturnsTheBacklog() {
		this.log.append("a1\n");
		FileTail behind = new FileTail(this.log.path(), LIMITS);
		behind.skipToEnd();
		String behindPosition = this.log.positionAtEnd();
		FileTail ahead = startedTail("");
		this.log.append("a2\na3\n");
		String token = lastPosition(ahead.poll());
		assertThat(behind.since(token, 100)).isEqualTo(new Resume(List.of("a1"), behindPosition, false));
	}

	@Test
	void sinceWithATokenOfAnotherFileReturnsTheBacklog() {
		LogFile other = new LogFile(this.directory.resolve("other.log")).append("");
		FileTail otherTail = new FileTail(other.path(), LIMITS);
		otherTail.poll();
		other.append("x\n");
		String token = lastPosition(otherTail.poll());
		FileTail tail = startedTail("one\ntwo\n");
		assertThat(tail.since(token, 100))
			.isEqualTo(new Resume(List.of("one", "two"), this.log.positionAtEnd(), false));
	}

	@Test
	void sinceWithAMalformedTokenReturnsTheBacklog() {
		FileTail tail = startedTail("one\ntwo\n");
		String position = tail.position();
		for (String token : List.of("", "garbage", "t1....", "t1.!!.0.0.0", position + "0",
				"t2" + position.substring(2), position.substring(0, position.lastIndexOf('.') + 1) + "1",
				"t1.x.999.0.0")) {
			assertThat(tail.since(token, 100)).as(token)
				.isEqualTo(new Resume(List.of("one", "two"), this.log.positionAtEnd(), false));
		}
	}

	@Test
	void tokensSurviveARestartOfTheServerForAnUnchangedFile() {
		FileTail before = startedTail("");
		this.log.append("a1\na2\n");
		String token = lastPosition(before.poll());
		this.log.append("a3\na4\n");
		FileTail afterRestart = new FileTail(this.log.path(), LIMITS);
		afterRestart.skipToEnd();
		assertThat(afterRestart.since(token, 100))
			.isEqualTo(new Resume(List.of("a3", "a4"), this.log.positionAtEnd(), true));
	}

	@Test
	void viewerJoiningMidStreamGetsEveryLineOnceFromSinceAndLaterPolls() {
		TailLimits limits = new TailLimits(4, 64 * 1024, 100, 1024 * 1024);
		FileTail tail = new FileTail(this.log.append("").path(), limits);
		tail.poll();
		List<String> written = IntStream.range(0, 40).mapToObj((i) -> "line " + i).toList();
		List<String> seen = new ArrayList<>();
		String token = null;
		for (int i = 0; i < written.size(); i++) {
			this.log.append(written.get(i) + "\n");
			List<TailEvent> events = tail.poll();
			if (i == 25) {
				Resume resume = tail.since(null, 1000);
				seen.addAll(resume.lines());
				token = resume.position();
			}
			else if (token != null) {
				seen.addAll(Polls.lines(events));
			}
		}
		seen.addAll(Polls.lines(Polls.untilQuiet(tail, limits)));
		assertThat(token).isNotNull();
		assertThat(seen).containsExactlyElementsOf(written);
	}

	@Test
	void reconnectingViewerMissesAndRepeatsNothing() {
		FileTail tail = startedTail("");
		List<String> seen = new ArrayList<>();
		this.log.append("a\nb\n");
		List<TailEvent> events = tail.poll();
		seen.addAll(Polls.lines(events));
		String token = lastPosition(events);
		this.log.append("c\nd\n");
		tail.poll();
		this.log.append("e\n");
		tail.poll();
		Resume resume = tail.since(token, 100);
		seen.addAll(resume.lines());
		this.log.append("f\n");
		seen.addAll(Polls.lines(tail.poll()));
		assertThat(resume.continued()).isTrue();
		assertThat(seen).containsExactly("a", "b", "c", "d", "e", "f");
	}

	@Test
	void backlogCutsOverlongLinesLikePoll() {
		FileTail tail = startedTail("short\n" + "x".repeat(150) + "\nend\n");
		assertThat(tail.since(null, 5).lines()).containsExactly("short", "x".repeat(100) + " … [cut 50 bytes]", "end");
	}

	@Test
	void backlogReadsBackNoFurtherThanBacklogLinesOfTheLongestLength() {
		FileTail tail = startedTail("first\n" + "x".repeat(10_000) + "\nsecond\nthird\n");
		assertThat(tail.since(null, 5).lines()).containsExactly("second", "third");
	}

	@Test
	void skipToEndDropsWhatWasNotRead() {
		FileTail tail = startedTail("");
		this.log.append(numbered(5));
		tail.skipToEnd();
		assertThat(tail.poll()).isEmpty();
		assertThat(tail.since(null, 2).lines()).containsExactly("line 3", "line 4");
		this.log.append("next\n");
		assertThat(tail.poll()).containsExactly(new Lines(List.of("next"), this.log.positionAtEnd()));
	}

	@Test
	void skipToEndStartsATailThatNeverPolled() {
		FileTail tail = new FileTail(this.log.append("one\n").path(), LIMITS);
		tail.skipToEnd();
		assertThat(tail.state()).isEqualTo(FileState.ACTIVE);
		this.log.append("two\n");
		assertThat(Polls.lines(tail.poll())).containsExactly("two");
	}

	@Test
	void skipToEndFollowsAFileRotatedWhileNobodyWatched() throws Exception {
		FileTail tail = startedTail("a1\n");
		this.log.renameTo("app.log.1");
		this.log.append("b1\n");
		tail.skipToEnd();
		assertThat(tail.poll()).isEmpty();
		this.log.append("b2\n");
		assertThat(Polls.lines(tail.poll())).containsExactly("b2");
		assertThat(tail.since(null, 10).lines()).containsExactly("b1", "b2");
	}

	@Test
	void skipToEndOnADeletedFileMarksItDeleted() throws Exception {
		FileTail tail = startedTail("a1\n");
		this.log.delete();
		tail.skipToEnd();
		assertThat(tail.state()).isEqualTo(FileState.DELETED);
		assertThat(tail.poll()).isEmpty();
		this.log.append("b1\n");
		assertThat(Polls.lines(tail.poll())).containsExactly("b1");
	}

	@Test
	void skipToEndOnAMissingFileLeavesItWaiting() {
		FileTail tail = new FileTail(this.log.path(), LIMITS);
		tail.skipToEnd();
		assertThat(tail.state()).isEqualTo(FileState.WAITING);
		assertThat(tail.poll()).isEmpty();
	}

	private FileTail startedTail(String content) {
		this.log.append(content);
		FileTail tail = new FileTail(this.log.path(), LIMITS);
		assertThat(tail.poll()).isEmpty();
		return tail;
	}

	private static String lastPosition(List<TailEvent> events) {
		return events.stream()
			.filter(Lines.class::isInstance)
			.map((event) -> ((Lines) event).position())
			.reduce((first, second) -> second)
			.orElseThrow();
	}

	private static String numbered(int count) {
		StringBuilder lines = new StringBuilder();
		for (int i = 0; i < count; i++) {
			lines.append("line ").append(i).append('\n');
		}
		return lines.toString();
	}

}
