package dev.websocketstarter.benchmarks.micro;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

import dev.websocketstarter.codec.Frame;
import dev.websocketstarter.codec.FrameDecoder;
import dev.websocketstarter.codec.FrameEncoder;
import dev.websocketstarter.codec.FrameListener;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Encodes and decodes text frames of {@code size} payload bytes; MB/s is ops/s times
 * {@code size}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class CodecBenchmark {

	static final int FRAMES = 64;

	private static final byte[] MASK = { 1, 2, 3, 4 };

	/**
	 * The payload size in bytes.
	 */
	@Param({ "100", "16384" })
	public int size;

	private Frame frame;

	private ByteBuffer target;

	private ByteBuffer masked;

	private FrameDecoder decoder;

	@Setup
	public void setUp() {
		byte[] text = new byte[this.size];
		Arrays.fill(text, (byte) 'a');
		this.frame = Frame.text(new String(text));
		this.target = ByteBuffer.allocate(FrameEncoder.headerLength(this.size, true) + this.size);
		byte[] one = FrameEncoder.encode(this.frame, MASK);
		this.masked = ByteBuffer.allocate(one.length * FRAMES);
		for (int i = 0; i < FRAMES; i++) {
			this.masked.put(one);
		}
		this.masked.flip();
		this.decoder = new FrameDecoder(FrameDecoder.Settings.forServer(64 * 1024));
	}

	/** A server frame: unmasked, into a reused buffer. */
	@Benchmark
	public ByteBuffer encode() {
		this.target.clear();
		FrameEncoder.encode(this.frame, null, this.target);
		return this.target;
	}

	/** A client frame: masked, into a reused buffer. */
	@Benchmark
	public ByteBuffer encodeMasked() {
		this.target.clear();
		FrameEncoder.encode(this.frame, MASK, this.target);
		return this.target;
	}

	/** Client frames as a server decodes them: unmasked, UTF-8 validated, to a String. */
	@Benchmark
	@OperationsPerInvocation(FRAMES)
	public void decode(Blackhole blackhole) {
		this.masked.rewind();
		this.decoder.decode(this.masked, new FrameListener() {

			@Override
			public void onText(String text) {
				blackhole.consume(text);
			}

			@Override
			public void onBinary(byte[] data) {
				blackhole.consume(data);
			}

			@Override
			public void onPing(byte[] payload) {
			}

			@Override
			public void onPong(byte[] payload) {
			}

			@Override
			public void onClose(int code, String reason) {
			}

		});
	}

}
