package dev.websocketstarter.internal.transport;

import java.nio.ByteBuffer;

/**
 * A data or ping frame on its way to a peer: final, unmasked, with no extension.
 */
public interface OutboundFrame {

	/**
	 * The opcode of the frame.
	 * @return the opcode, 0x1 for text, 0x2 for binary, 0x9 for ping
	 */
	byte opcode();

	/**
	 * The payload, as a buffer over an array, for one write.
	 * @return a new buffer from the payload's first byte to its last
	 */
	ByteBuffer payload();

}
