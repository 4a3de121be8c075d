package dev.websocketstarter.sample.logview.tail;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import org.jspecify.annotations.Nullable;

/**
 * A position in one generation of a file, as the opaque token clients echo back. It holds
 * only what survives a restart: the file's identity, a fingerprint of its first bytes and
 * a byte offset.
 *
 * @param fileIdentity the file key (inode) as text, empty for no file
 * @param fingerprint the fingerprint of the file's first bytes when the token was made
 * @param offset the byte offset of a line start
 */
record PositionToken(String fileIdentity, Fingerprint fingerprint, long offset) {

	private static final String VERSION = "t1";

	static final PositionToken NONE = new PositionToken("", Fingerprint.EMPTY, 0);

	String encode() {
		return VERSION + '.'
				+ Base64.getUrlEncoder()
					.withoutPadding()
					.encodeToString(this.fileIdentity.getBytes(StandardCharsets.UTF_8))
				+ '.' + this.fingerprint.length() + '.' + Long.toHexString(this.fingerprint.checksum()) + '.'
				+ this.offset;
	}

	static @Nullable PositionToken decode(@Nullable String token) {
		if (token == null) {
			return null;
		}
		String[] parts = token.split("\\.", -1);
		if (parts.length != 5 || !VERSION.equals(parts[0])) {
			return null;
		}
		try {
			String identity = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
			int length = Integer.parseInt(parts[2]);
			long checksum = Long.parseUnsignedLong(parts[3], 16);
			long offset = Long.parseLong(parts[4]);
			if (length < 0 || length > Fingerprint.MAX_LENGTH || offset < 0) {
				return null;
			}
			return new PositionToken(identity, new Fingerprint(length, checksum), offset);
		}
		catch (IllegalArgumentException ex) {
			return null;
		}
	}

}
