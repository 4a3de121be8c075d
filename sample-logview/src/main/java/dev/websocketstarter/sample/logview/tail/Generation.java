package dev.websocketstarter.sample.logview.tail;

import java.nio.channels.FileChannel;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;

/**
 * One file behind a {@link FileTail}'s path: the open channel and how far it has been
 * read.
 */
/**
 * One file behind the path: the open channel and how far it has been read.
 */
final class Generation {

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

	/**
	 * The token of the read position.
	 */
	PositionToken token() {
		return new PositionToken(this.identity, this.fingerprint, this.lineStart);
	}

	/**
	 * What tells one file behind a path from the next.
	 */
	static String identity(BasicFileAttributes attributes) {
		Object key = attributes.fileKey();
		// Without a file key (some file systems) the creation time tells files apart
		return (key != null) ? key.toString() : "created:" + attributes.creationTime().toMillis();
	}

}
