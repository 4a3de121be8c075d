package dev.websocketstarter.sample.logview.tail;

import java.util.zip.CRC32C;

/**
 * A checksum of the first bytes of a file, telling a truncated and regrown file from the
 * one it was.
 *
 * @param length how many first bytes were summed
 * @param checksum their CRC-32C
 */
record Fingerprint(int length, long checksum) {

	/**
	 * The most first bytes a fingerprint covers.
	 */
	static final int MAX_LENGTH = 256;

	static final Fingerprint EMPTY = of(new byte[0], 0);

	static Fingerprint of(byte[] bytes, int length) {
		CRC32C crc = new CRC32C();
		crc.update(bytes, 0, length);
		return new Fingerprint(length, crc.getValue());
	}

}
