package dev.websocketstarter.cluster;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.websocketstarter.registry.Channel;
import org.jspecify.annotations.Nullable;

/**
 * One batch of changes a node made to its channels, as written to its channels hash in
 * Redis and published to the other nodes, which keep their view of it current with them.
 * <p>
 * Each entry is the channel's state after the change, not the change itself: its
 * subscriptions and shared attributes, or none for a channel that closed. Applying a
 * batch twice, or an older batch before a newer one, ends in the same state, which keeps
 * the view simple where batches and a full read of the hash overlap.
 * <p>
 * Wire format: a version byte ({@code 2}), the origin node, the sequence number (8
 * bytes), the number of entries (4 bytes), then per entry the printed handle, a byte
 * {@code 1} with the subscriptions as a count and strings, the shared attributes as a
 * count and name-value pairs of strings, and a byte {@code 1} with the user or {@code 0}
 * for none; or {@code 0} for a closed channel. Strings are Java's modified UTF-8
 * ({@link DataOutputStream#writeUTF}).
 *
 * @param origin the node whose channels changed
 * @param sequence the batch's number: one more than the node's batch before
 * @param states the channels' states after the batch; {@code null} for a closed one
 */
record ChannelChanges(String origin, long sequence, Map<Channel, @Nullable ChannelState> states) {

	private static final byte VERSION = 2;

	byte[] encode() {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream(32 + 48 * this.states.size());
		try (DataOutputStream out = new DataOutputStream(bytes)) {
			out.writeByte(VERSION);
			out.writeUTF(this.origin);
			out.writeLong(this.sequence);
			out.writeInt(this.states.size());
			for (Map.Entry<Channel, @Nullable ChannelState> entry : this.states.entrySet()) {
				out.writeUTF(entry.getKey().toString());
				ChannelState state = entry.getValue();
				out.writeBoolean(state != null);
				if (state != null) {
					state.write(out);
				}
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return bytes.toByteArray();
	}

	/**
	 * Read a batch.
	 * @throws IllegalArgumentException if it is not one this version understands
	 */
	static ChannelChanges decode(byte[] message) {
		try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(message))) {
			byte version = in.readByte();
			if (version != VERSION) {
				throw new IllegalArgumentException("Unknown channel changes version " + version);
			}
			String origin = in.readUTF();
			long sequence = in.readLong();
			int count = in.readInt();
			// Every entry takes at least 3 bytes: a bad count cannot make a large map
			if (count < 0 || count > in.available() / 3) {
				throw new IllegalArgumentException("Bad entry count " + count);
			}
			Map<Channel, @Nullable ChannelState> states = new LinkedHashMap<>();
			for (int i = 0; i < count; i++) {
				Channel channel = Channel.parse(in.readUTF());
				states.put(channel, in.readBoolean() ? ChannelState.read(in) : null);
			}
			return new ChannelChanges(origin, sequence, states);
		}
		catch (IOException ex) {
			throw new IllegalArgumentException("Truncated channel changes", ex);
		}
	}

}
