package dev.websocketstarter.sample.logview.tail;

import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

import dev.websocketstarter.sample.logview.tail.TailEvent.Lines;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link FileTail}: files replaced or rewritten in the less common ways (a
 * writer that keeps writing to the renamed file, several rotations between polls,
 * rewrites in place, symlinks, a path that cannot be opened or looked at, a file replaced
 * while the tail opens it), on real files; and the identity of a file on a file system
 * without file keys.
 */
class FileTailReplacementTests {

	@TempDir
	Path directory;

	private LogFile log;

	@BeforeEach
	void createLog() {
		this.log = new LogFile(this.directory.resolve("app.log"));
	}

	@Test
	void writerStillWritingToTheRenamedFileIsReadUntilThePollThatSeesTheRotation() throws Exception {
		try (FileChannel writer = FileChannel.open(this.log.path(), StandardOpenOption.CREATE, StandardOpenOption.WRITE,
				StandardOpenOption.APPEND)) {
			write(writer, "a1\n");
			FileTail tail = startedTail();
			Path renamed = this.log.renameTo("app.log.1");
			this.log.append("b1\n");
			// The writer has not reopened its file yet: its lines go to the renamed one
			write(writer, "a2\na3\n");
			List<TailEvent> events = tail.poll();
			assertThat(events).hasSize(3);
			assertThat(Polls.lines(events.subList(0, 1))).containsExactly("a2", "a3");
			assertThat(events.subList(1, 3)).containsExactly(Polls.ROTATED,
					new Lines(List.of("b1"), this.log.positionAtEnd()));
			// The tail has moved on: the old file is closed, as ROTATED says
			write(writer, "a4\n");
			this.log.append("b2\n");
			assertThat(tail.poll()).containsExactly(new Lines(List.of("b2"), this.log.positionAtEnd()));
			assertThat(Files.readAllLines(renamed)).containsExactly("a1", "a2", "a3", "a4");
		}
	}

	@Test
	void twoRotationsBetweenPollsFinishTheHeldFileThenReadTheNewestFromItsStart() throws Exception {
		FileTail tail = startedTail("a1\n");
		this.log.append("a2\n");
		Path first = this.log.renameTo("app.log.1");
		this.log.append("b1\n");
		Files.move(first, first.resolveSibling("app.log.2"));
		this.log.renameTo("app.log.1");
		this.log.append("c1\nc2\n");
		List<TailEvent> events = tail.poll();
		assertThat(Polls.lines(events)).containsExactly("a2", "c1", "c2");
		assertThat(events.get(1)).isEqualTo(Polls.ROTATED);
		assertThat(events).last().isEqualTo(new Lines(List.of("c1", "c2"), this.log.positionAtEnd()));
		this.log.append("c3\n");
		assertThat(tail.poll()).containsExactly(new Lines(List.of("c3"), this.log.positionAtEnd()));
	}

	@Test
	void rewriteWithTheSameFirstBytesIsToldApartWhileShorterThanTheReadPosition() throws Exception {
		// A first line longer than the fingerprint: the first bytes cannot tell the
		// files apart, only the size can
		String header = "header " + "=".repeat(300);
		FileTail tail = startedTail("");
		this.log.append(header + "\nold 1\nold 2\n");
		assertThat(Polls.lines(tail.poll())).containsExactly(header, "old 1", "old 2");
		Object fileKey = this.log.fileKey();
		this.log.rewrite(header + "\nnew\n");
		assertThat(this.log.fileKey()).isEqualTo(fileKey);
		assertThat(tail.poll()).containsExactly(Polls.TRUNCATED,
				new Lines(List.of(header, "new"), this.log.positionAtEnd()));
		this.log.append("new 2\n");
		assertThat(tail.poll()).containsExactly(new Lines(List.of("new 2"), this.log.positionAtEnd()));
	}

	@Test
	void sameSizeRewriteInPlaceIsReportedAsTruncatedAndReadFromItsStart() throws Exception {
		this.log.append("old line 1\nold line 2\n");
		// Written an hour ago, so that the rewrite changes the modification time
		Files.setLastModifiedTime(this.log.path(), FileTime.from(Instant.now().minus(1, ChronoUnit.HOURS)));
		FileTail tail = startedTail();
		long size = Files.size(this.log.path());
		this.log.rewrite("new line 1\nnew line 2\n");
		assertThat(Files.size(this.log.path())).isEqualTo(size);
		assertThat(tail.poll()).containsExactly(Polls.TRUNCATED,
				new Lines(List.of("new line 1", "new line 2"), this.log.positionAtEnd()));
	}

	@Test
	void repointedSymlinkFinishesTheOldTargetThenReadsTheNewOneFromItsStart() throws Exception {
		LogFile first = new LogFile(this.directory.resolve("app-1.log")).append("a1\n");
		LogFile second = new LogFile(this.directory.resolve("app-2.log")).append("b1\nb2\n");
		Files.createSymbolicLink(this.log.path(), first.path().getFileName());
		FileTail tail = startedTail();
		first.append("a2\n");
		assertThat(tail.poll()).containsExactly(new Lines(List.of("a2"), first.positionAtEnd()));
		first.append("a3\n");
		Path link = Files.createSymbolicLink(this.directory.resolve("app.log.new"), second.path().getFileName());
		Files.move(link, this.log.path(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
		List<TailEvent> events = tail.poll();
		assertThat(events).hasSize(3);
		assertThat(Polls.lines(events.subList(0, 1))).containsExactly("a3");
		assertThat(events.subList(1, 3)).containsExactly(Polls.ROTATED,
				new Lines(List.of("b1", "b2"), second.positionAtEnd()));
		second.append("b3\n");
		assertThat(tail.poll()).containsExactly(new Lines(List.of("b3"), second.positionAtEnd()));
	}

	@Test
	void pathThatCannotBeOpenedIsDeletedUntilAReadableFileTakesIt() throws Exception {
		// Tests run as root here, so a file with mode 000 would still be readable; a
		// socket at the path is one that nobody can open
		FileTail tail = startedTail("a1\n");
		this.log.append("a2\n");
		this.log.renameTo("app.log.1");
		try (ServerSocketChannel socket = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
			socket.bind(UnixDomainSocketAddress.of(this.log.path()));
			List<TailEvent> events = tail.poll();
			assertThat(Polls.lines(events)).containsExactly("a2");
			assertThat(events).last().isEqualTo(Polls.DELETED);
			assertThat(tail.poll()).isEmpty();
			assertThat(tail.state()).isEqualTo(FileState.DELETED);
		}
		this.log.delete();
		this.log.append("b1\n");
		assertThat(tail.poll()).containsExactly(Polls.APPEARED, new Lines(List.of("b1"), this.log.positionAtEnd()));
		assertThat(tail.state()).isEqualTo(FileState.ACTIVE);
	}

	@Test
	void pathThatCannotBeLookedAtIsDeletedUntilItCanBeAgain() throws Exception {
		Path logs = Files.createDirectory(this.directory.resolve("logs"));
		LogFile log = new LogFile(logs.resolve("app.log")).append("a1\n");
		FileTail tail = new FileTail(log.path(), Polls.LIMITS);
		assertThat(tail.poll()).isEmpty();
		log.append("a2\n");
		Files.move(logs, this.directory.resolve("logs.old"));
		Files.writeString(logs, "a file where the directory was\n");
		assertThatExceptionOfType(FileSystemException.class)
			.isThrownBy(() -> Files.readAttributes(log.path(), BasicFileAttributes.class))
			.isNotInstanceOf(NoSuchFileException.class);
		List<TailEvent> events = tail.poll();
		assertThat(Polls.lines(events)).containsExactly("a2");
		assertThat(events).last().isEqualTo(Polls.DELETED);
		assertThat(tail.poll()).isEmpty();
		Files.delete(logs);
		Files.createDirectory(logs);
		log.append("b1\n");
		assertThat(tail.poll()).containsExactly(Polls.APPEARED, new Lines(List.of("b1"), log.positionAtEnd()));
	}

	@Test
	void fileReplacedWhileTheTailOpensItIsClosedAndTheNewOneRead() throws Exception {
		List<FileChannel> opened = new ArrayList<>();
		FileTail tail = tailReplacingTheFileAsItOpens(1, opened);
		this.log.append("old\n");
		assertThat(tail.poll()).containsExactly(Polls.APPEARED, new Lines(List.of("new 1"), this.log.positionAtEnd()));
		assertThat(opened).hasSize(2);
		assertThat(opened.get(0).isOpen()).isFalse();
	}

	@Test
	void fileReplacedOnEveryAttemptToOpenItIsLeftForTheNextPoll() throws Exception {
		List<FileChannel> opened = new ArrayList<>();
		FileTail tail = tailReplacingTheFileAsItOpens(3, opened);
		this.log.append("old\n");
		assertThat(tail.poll()).isEmpty();
		assertThat(tail.state()).isEqualTo(FileState.WAITING);
		assertThat(opened).hasSize(3).noneMatch(FileChannel::isOpen);
		assertThat(tail.poll()).containsExactly(Polls.APPEARED, new Lines(List.of("new 3"), this.log.positionAtEnd()));
	}

	@Test
	void withoutAFileKeyFilesAreToldApartByTheirCreationTime() throws Exception {
		BasicFileAttributes real = Files.readAttributes(this.log.append("a1\n").path(), BasicFileAttributes.class);
		FileTime created = FileTime.from(Instant.parse("2026-12-03T10:15:30Z"));
		assertThat(FileTail.identity(real)).isEqualTo(real.fileKey().toString());
		assertThat(FileTail.identity(new KeylessAttributes(created)))
			.isEqualTo(FileTail.identity(new KeylessAttributes(created)))
			.isNotEqualTo(FileTail.identity(new KeylessAttributes(FileTime.from(created.toInstant().plusMillis(1)))))
			.isNotEqualTo(FileTail.identity(real));
	}

	/**
	 * A tail of the log, not there yet, that replaces it with a new file, {@code new 1},
	 * {@code new 2} and so on, right after each of its first opens.
	 */
	private FileTail tailReplacingTheFileAsItOpens(int replacements, List<FileChannel> opened) {
		FileTail tail = new FileTail(this.log.path(), Polls.LIMITS, (path) -> {
			FileChannel channel = FileChannel.open(path, StandardOpenOption.READ);
			opened.add(channel);
			if (opened.size() <= replacements) {
				Path replacement = Files.writeString(this.directory.resolve("app.log.new"),
						"new " + opened.size() + "\n");
				Files.move(replacement, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
			}
			return channel;
		});
		assertThat(tail.poll()).isEmpty();
		assertThat(tail.state()).isEqualTo(FileState.WAITING);
		return tail;
	}

	private FileTail startedTail(String content) {
		this.log.append(content);
		return startedTail();
	}

	private FileTail startedTail() {
		FileTail tail = new FileTail(this.log.path(), Polls.LIMITS);
		assertThat(tail.poll()).isEmpty();
		assertThat(tail.state()).isEqualTo(FileState.ACTIVE);
		return tail;
	}

	private static void write(FileChannel writer, String text) throws Exception {
		ByteBuffer bytes = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
		while (bytes.hasRemaining()) {
			writer.write(bytes);
		}
	}

	/**
	 * The attributes of a file on a file system that keeps no file key.
	 */
	private record KeylessAttributes(FileTime creationTime) implements BasicFileAttributes {

		@Override
		public FileTime lastModifiedTime() {
			return this.creationTime;
		}

		@Override
		public FileTime lastAccessTime() {
			return this.creationTime;
		}

		@Override
		public boolean isRegularFile() {
			return true;
		}

		@Override
		public boolean isDirectory() {
			return false;
		}

		@Override
		public boolean isSymbolicLink() {
			return false;
		}

		@Override
		public boolean isOther() {
			return false;
		}

		@Override
		public long size() {
			return 0;
		}

		@Override
		public Object fileKey() {
			return null;
		}

	}

}
