package dev.websocketstarter.codec;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * {@link FrameListener} that records every event as a readable string, such as
 * {@code text:Hello}, {@code binary:0102}, {@code ping:}, or {@code close:1000:bye}.
 */
class RecordingListener implements FrameListener {

	private static final HexFormat HEX = HexFormat.of();

	private final List<String> events = new ArrayList<>();

	private int largestMessage;

	private int largestControlPayload;

	@Override
	public void onText(String text) {
		this.events.add("text:" + text);
		this.largestMessage = Math.max(this.largestMessage, text.getBytes(StandardCharsets.UTF_8).length);
	}

	@Override
	public void onBinary(byte[] data) {
		this.events.add("binary:" + HEX.formatHex(data));
		this.largestMessage = Math.max(this.largestMessage, data.length);
	}

	@Override
	public void onPing(byte[] payload) {
		control("ping:" + HEX.formatHex(payload), payload.length);
	}

	@Override
	public void onPong(byte[] payload) {
		control("pong:" + HEX.formatHex(payload), payload.length);
	}

	@Override
	public void onClose(int code, String reason) {
		control("close:" + code + ":" + reason, reason.getBytes(StandardCharsets.UTF_8).length + 2);
	}

	private void control(String event, int payloadLength) {
		this.events.add(event);
		this.largestControlPayload = Math.max(this.largestControlPayload, payloadLength);
	}

	List<String> events() {
		return this.events;
	}

	/**
	 * Return the payload length of the largest text or binary message delivered, in
	 * bytes.
	 * @return the largest message length
	 */
	int largestMessage() {
		return this.largestMessage;
	}

	/**
	 * Return the payload length of the largest control frame delivered, in bytes.
	 * @return the largest control payload length
	 */
	int largestControlPayload() {
		return this.largestControlPayload;
	}

	static String binary(byte[] data) {
		return "binary:" + HEX.formatHex(data);
	}

	static String ping(byte[] payload) {
		return "ping:" + HEX.formatHex(payload);
	}

	static String pong(byte[] payload) {
		return "pong:" + HEX.formatHex(payload);
	}

}
