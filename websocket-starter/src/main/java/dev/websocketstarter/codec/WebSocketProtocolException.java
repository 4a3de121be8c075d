package dev.websocketstarter.codec;

/**
 * Thrown when a peer violates RFC 6455. Carries the status code that the endpoint should
 * send in its close frame before failing the connection (section 7.1.7).
 */
public class WebSocketProtocolException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	private final int closeCode;

	/**
	 * Create a new exception.
	 * @param closeCode the close status code that describes the violation, typically
	 * {@link CloseCodes#PROTOCOL_ERROR}, {@link CloseCodes#INVALID_PAYLOAD} or
	 * {@link CloseCodes#MESSAGE_TOO_BIG}
	 * @param message a description of the violation
	 */
	public WebSocketProtocolException(int closeCode, String message) {
		super(message);
		this.closeCode = closeCode;
	}

	/**
	 * Return the close status code that describes the violation.
	 * @return the close code
	 */
	public int closeCode() {
		return this.closeCode;
	}

}
