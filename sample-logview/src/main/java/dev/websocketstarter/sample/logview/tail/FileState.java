package dev.websocketstarter.sample.logview.tail;

/**
 * What a {@link FileTail} knows about its file.
 */
public enum FileState {

	/**
	 * Not seen since the tail started; a file missing at startup is not an error.
	 */
	WAITING,

	/**
	 * Open and followed.
	 */
	ACTIVE,

	/**
	 * Seen, then gone; followed again from its start when it comes back.
	 */
	DELETED

}
