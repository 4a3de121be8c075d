package dev.websocketstarter.sample.logview.tail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.zip.CRC32C;

/**
 * A real log file in a test directory, written the ways log writers and rotators do.
 */
final class LogFile {

	/** How many first bytes a fingerprint covers, as the tail documents it. */
	private static final int FINGERPRINT_LENGTH = 256;

	private final Path path;

	LogFile(Path path) {
		this.path = path;
	}

	Path path() {
		return this.path;
	}

	LogFile append(String text) {
		return append(text.getBytes(StandardCharsets.UTF_8));
	}

	LogFile append(byte[] bytes) {
		try {
			Files.write(this.path, bytes, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return this;
	}

	/**
	 * Renames the file, as logrotate does before the writer creates a new one.
	 */
	Path renameTo(String name) throws IOException {
		return Files.move(this.path, this.path.resolveSibling(name));
	}

	/**
	 * Copies the file and truncates it in place, as logrotate's copytruncate does.
	 */
	Path copyTruncate(String name) throws IOException {
		Path copy = Files.copy(this.path, this.path.resolveSibling(name));
		try (FileChannel channel = FileChannel.open(this.path, StandardOpenOption.WRITE)) {
			channel.truncate(0);
		}
		return copy;
	}

	/**
	 * Replaces the content of the same file (same inode).
	 */
	void rewrite(String text) throws IOException {
		Files.writeString(this.path, text, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
	}

	void delete() throws IOException {
		Files.delete(this.path);
	}

	Object fileKey() throws IOException {
		return Files.readAttributes(this.path, BasicFileAttributes.class).fileKey();
	}

	/**
	 * The token a tail that has looked at the file as it is now must give for a line
	 * start at {@code offset}, built from the file itself: its key, the checksum of its
	 * first bytes and the offset the test counted.
	 */
	String positionAt(long offset) {
		try {
			byte[] content = Files.readAllBytes(this.path);
			int headLength = Math.min(content.length, FINGERPRINT_LENGTH);
			CRC32C checksum = new CRC32C();
			checksum.update(content, 0, headLength);
			return new PositionToken(fileKey().toString(), new Fingerprint(headLength, checksum.getValue()), offset)
				.encode();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * The token of the end of the file, after its last line when it ends with a newline.
	 */
	String positionAtEnd() {
		try {
			return positionAt(Files.size(this.path));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * The token of a tail that has seen no file.
	 */
	static String noPosition() {
		return new PositionToken("", new Fingerprint(0, 0), 0).encode();
	}

}
