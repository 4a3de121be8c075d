package dev.websocketstarter.test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.websocketstarter.codec.Frame;
import dev.websocketstarter.codec.FrameDecoder;
import dev.websocketstarter.codec.FrameEncoder;
import dev.websocketstarter.codec.FrameListener;
import dev.websocketstarter.codec.WebSocketProtocolException;
import org.jspecify.annotations.Nullable;

/**
 * A client that speaks RFC 6455 over a plain socket, byte by byte as the test says, so
 * tests can send what no well-behaved client would: foreign origins, bad frames, abrupt
 * resets, or nothing read at all.
 */
public final class RawClient implements AutoCloseable {

	private static final SecureRandom random = new SecureRandom();

	private final Socket socket;

	private final InputStream input;

	private final OutputStream output;

	private final int status;

	private final Map<String, String> headers;

	private final String key;

	private final List<String> texts = new CopyOnWriteArrayList<>();

	private final List<byte[]> binaries = new CopyOnWriteArrayList<>();

	private final List<byte[]> pings = new CopyOnWriteArrayList<>();

	private final List<byte[]> pongs = new CopyOnWriteArrayList<>();

	private volatile @Nullable Integer closeCode;

	private volatile String closeReason = "";

	private volatile boolean endOfStream;

	private volatile @Nullable Throwable readFailure;

	private RawClient(Socket socket, String request, String key) throws IOException {
		this.socket = socket;
		this.key = key;
		this.input = socket.getInputStream();
		this.output = socket.getOutputStream();
		this.output.write(request.getBytes(StandardCharsets.US_ASCII));
		this.output.flush();
		String[] lines = readHead().split("\r\n");
		this.status = Integer.parseInt(lines[0].split(" ")[1]);
		this.headers = new LinkedHashMap<>();
		for (int i = 1; i < lines.length; i++) {
			int colon = lines[i].indexOf(':');
			this.headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
					lines[i].substring(colon + 1).trim());
		}
	}

	/**
	 * Open a WebSocket handshake with the usual headers plus the given ones (full lines
	 * such as {@code "Origin: http://example.com"}).
	 */
	public static RawClient handshake(int port, String path, String... extraHeaders) throws IOException {
		return handshake(port, path, 0, extraHeaders);
	}

	/**
	 * Open a handshake on a socket with the given receive buffer size (0 for the
	 * default), so a client that stops reading makes the server's writes back up early.
	 */
	public static RawClient handshake(int port, String path, int receiveBufferSize, String... extraHeaders)
			throws IOException {
		return handshakeFrom(null, port, path, receiveBufferSize, extraHeaders);
	}

	/**
	 * Open a handshake from a local address of the loopback range, such as
	 * {@code 127.0.0.2}: connections spread over several source addresses leave their
	 * TIME_WAIT sockets on as many port ranges.
	 * @param source the local address, {@code null} for any
	 */
	public static RawClient handshakeFrom(@Nullable InetAddress source, int port, String path, int receiveBufferSize,
			String... extraHeaders) throws IOException {
		byte[] nonce = new byte[16];
		random.nextBytes(nonce);
		String key = Base64.getEncoder().encodeToString(nonce);
		StringBuilder request = new StringBuilder();
		request.append("GET ").append(path).append(" HTTP/1.1\r\n");
		request.append("Host: localhost:").append(port).append("\r\n");
		request.append("Upgrade: websocket\r\nConnection: Upgrade\r\n");
		request.append("Sec-WebSocket-Key: ").append(key).append("\r\n");
		request.append("Sec-WebSocket-Version: 13\r\n");
		for (String header : extraHeaders) {
			request.append(header).append("\r\n");
		}
		request.append("\r\n");
		return new RawClient(socket(source, port, receiveBufferSize), request.toString(), key);
	}

	/**
	 * Send a request exactly as given, for malformed handshakes.
	 */
	public static RawClient request(int port, String request) throws IOException {
		return new RawClient(socket(null, port, 0), request, "");
	}

	private static Socket socket(@Nullable InetAddress source, int port, int receiveBufferSize) throws IOException {
		Socket socket = new Socket();
		if (receiveBufferSize > 0) {
			socket.setReceiveBufferSize(receiveBufferSize);
		}
		if (source != null) {
			socket.bind(new InetSocketAddress(source, 0));
		}
		socket.setSoTimeout(10_000);
		socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5_000);
		return socket;
	}

	private String readHead() throws IOException {
		ByteArrayOutputStream head = new ByteArrayOutputStream();
		int matched = 0;
		while (matched < 4) {
			int next = this.input.read();
			if (next == -1) {
				throw new IOException("Connection closed during handshake after: " + head);
			}
			head.write(next);
			matched = (next == ((matched % 2 == 0) ? '\r' : '\n')) ? matched + 1 : ((next == '\r') ? 1 : 0);
		}
		String text = head.toString(StandardCharsets.ISO_8859_1);
		return text.substring(0, text.length() - 4);
	}

	public int status() {
		return this.status;
	}

	public String header(String name) {
		return this.headers.get(name.toLowerCase(Locale.ROOT));
	}

	/**
	 * The {@code Sec-WebSocket-Accept} value a server must answer this client's key with.
	 */
	public String expectedAccept() throws NoSuchAlgorithmException {
		byte[] digest = MessageDigest.getInstance("SHA-1")
			.digest((this.key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").getBytes(StandardCharsets.US_ASCII));
		return Base64.getEncoder().encodeToString(digest);
	}

	public InputStream input() {
		return this.input;
	}

	/**
	 * Write bytes as they are, in one socket write.
	 */
	public void write(byte[] bytes) throws IOException {
		this.output.write(bytes);
		this.output.flush();
	}

	/**
	 * Write bytes one per socket write with Nagle's algorithm off, so the server receives
	 * them in as many TCP segments as the loopback allows.
	 */
	public void writeOneBytePerWrite(byte[] bytes) throws IOException {
		this.socket.setTcpNoDelay(true);
		for (byte b : bytes) {
			this.output.write(b);
			this.output.flush();
		}
	}

	/**
	 * Mask a frame with a fresh random key, as clients must, without sending it.
	 */
	public static byte[] masked(Frame frame) {
		byte[] mask = new byte[4];
		random.nextBytes(mask);
		return FrameEncoder.encode(frame, mask);
	}

	/**
	 * Send a frame masked with a fresh random key, as clients must.
	 */
	public void send(Frame frame) throws IOException {
		write(masked(frame));
	}

	/**
	 * Read frames from the server on a daemon thread until the connection ends,
	 * collecting them.
	 * @param answerPings whether to answer each ping with a pong, as a live client does
	 */
	public RawClient startReading(boolean answerPings) {
		FrameDecoder decoder = new FrameDecoder(FrameDecoder.Settings.forClient(64 * 1024 * 1024));
		FrameListener listener = new FrameListener() {

			@Override
			public void onText(String text) {
				RawClient.this.texts.add(text);
			}

			@Override
			public void onBinary(byte[] data) {
				RawClient.this.binaries.add(data);
			}

			@Override
			public void onPing(byte[] payload) {
				RawClient.this.pings.add(payload);
				if (answerPings) {
					try {
						send(Frame.pong(payload));
					}
					catch (IOException ex) {
						RawClient.this.readFailure = ex;
					}
				}
			}

			@Override
			public void onPong(byte[] payload) {
				RawClient.this.pongs.add(payload);
			}

			@Override
			public void onClose(int code, String reason) {
				RawClient.this.closeReason = reason;
				RawClient.this.closeCode = code;
			}

		};
		Thread reader = new Thread(() -> {
			byte[] buffer = new byte[16 * 1024];
			try {
				this.socket.setSoTimeout(0);
				for (int read = this.input.read(buffer); read != -1; read = this.input.read(buffer)) {
					decoder.decode(ByteBuffer.wrap(buffer, 0, read), listener);
				}
			}
			catch (IOException | WebSocketProtocolException ex) {
				this.readFailure = ex;
			}
			finally {
				this.endOfStream = true;
			}
		}, "raw-client-reader");
		reader.setDaemon(true);
		reader.start();
		return this;
	}

	public List<String> texts() {
		return this.texts;
	}

	/**
	 * The binary messages received, once {@link #startReading(boolean)} was called.
	 */
	public List<byte[]> binaries() {
		return this.binaries;
	}

	public List<byte[]> pings() {
		return this.pings;
	}

	public List<byte[]> pongs() {
		return this.pongs;
	}

	/**
	 * The code of the server's close frame, {@code null} until one arrived.
	 */
	public @Nullable Integer closeCode() {
		return this.closeCode;
	}

	public String closeReason() {
		return this.closeReason;
	}

	/**
	 * Whether the server ended the connection (or the read failed).
	 */
	public boolean isEndOfStream() {
		return this.endOfStream;
	}

	public @Nullable Throwable readFailure() {
		return this.readFailure;
	}

	/**
	 * Drop the connection with a TCP reset: no close frame, no FIN.
	 */
	public void reset() throws IOException {
		this.socket.setSoLinger(true, 0);
		this.socket.close();
	}

	@Override
	public void close() throws IOException {
		this.socket.close();
	}

}
