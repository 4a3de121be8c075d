package dev.websocketstarter.codec;

/**
 * Status codes carried by close frames, as registered by RFC 6455 section 7.4 and the
 * IANA "WebSocket Close Code Number Registry".
 */
public final class CloseCodes {

	/**
	 * Normal closure; the purpose of the connection has been fulfilled.
	 */
	public static final int NORMAL = 1000;

	/**
	 * The endpoint is going away, such as a server shutting down.
	 */
	public static final int GOING_AWAY = 1001;

	/**
	 * The connection is terminated due to a protocol error.
	 */
	public static final int PROTOCOL_ERROR = 1002;

	/**
	 * The endpoint received a type of data it cannot accept.
	 */
	public static final int UNSUPPORTED_DATA = 1003;

	/**
	 * No status code was present. Reported locally only, never sent on the wire.
	 */
	public static final int NO_STATUS = 1005;

	/**
	 * The connection closed without a close frame. Reported locally only, never sent on
	 * the wire.
	 */
	public static final int ABNORMAL = 1006;

	/**
	 * A message contained data inconsistent with its type, such as invalid UTF-8 in a
	 * text message.
	 */
	public static final int INVALID_PAYLOAD = 1007;

	/**
	 * A message violated the endpoint's policy.
	 */
	public static final int POLICY_VIOLATION = 1008;

	/**
	 * A message was too big to process.
	 */
	public static final int MESSAGE_TOO_BIG = 1009;

	/**
	 * The client expected the server to negotiate an extension that it did not.
	 */
	public static final int MANDATORY_EXTENSION = 1010;

	/**
	 * The server met an unexpected condition that prevented it from fulfilling the
	 * request.
	 */
	public static final int INTERNAL_ERROR = 1011;

	/**
	 * The service is restarting.
	 */
	public static final int SERVICE_RESTART = 1012;

	/**
	 * The service is temporarily overloaded; try again later.
	 */
	public static final int TRY_AGAIN_LATER = 1013;

	/**
	 * A gateway or proxy received an invalid response from the upstream server.
	 */
	public static final int BAD_GATEWAY = 1014;

	private CloseCodes() {
	}

	/**
	 * Return whether the given status code may appear in a close frame on the wire: the
	 * defined codes 1000-1003 and 1007-1014, and the registered and private ranges
	 * 3000-4999 (RFC 6455 section 7.4.2).
	 * @param code the status code
	 * @return {@code true} if an endpoint may send or accept the code
	 */
	public static boolean isValidOnWire(int code) {
		return (code >= NORMAL && code <= UNSUPPORTED_DATA) || (code >= INVALID_PAYLOAD && code <= BAD_GATEWAY)
				|| (code >= 3000 && code <= 4999);
	}

}
