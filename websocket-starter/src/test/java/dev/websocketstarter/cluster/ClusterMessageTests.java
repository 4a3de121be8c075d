package dev.websocketstarter.cluster;

import java.nio.charset.StandardCharsets;

import dev.websocketstarter.registry.Channel;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link ClusterMessage}, the wire format of the relay.
 */
class ClusterMessageTests {

	private final Channel alice = new Channel("chat", "node-1", 17);

	private final Channel bob = new Channel("chat", "node-2", 4);

	@Test
	void textMulticastKeepsSubscriptionExcludesAndText() {
		byte[] text = "héllo, 世界 👋".getBytes(StandardCharsets.UTF_8);
		ClusterMessage decoded = ClusterMessage.decode(ClusterMessage
			.multicast("node-1", "chat", "/ws/chat", true, text, new Channel[] { this.alice, this.bob })
			.encode());
		assertThat(decoded.kind()).isEqualTo(ClusterMessage.Kind.MULTICAST_TEXT);
		assertThat(decoded.origin()).isEqualTo("node-1");
		assertThat(decoded.scope()).isEqualTo("chat");
		assertThat(decoded.name()).isEqualTo("/ws/chat");
		assertThat(decoded.exclude()).containsExactly(this.alice, this.bob);
		assertThat(decoded.text()).isEqualTo("héllo, 世界 👋");
	}

	@Test
	void binarySendKeepsEveryByte() {
		byte[] data = new byte[256];
		for (int i = 0; i < data.length; i++) {
			data[i] = (byte) i;
		}
		ClusterMessage decoded = ClusterMessage.decode(ClusterMessage.send("node-2", this.alice, false, data).encode());
		assertThat(decoded.kind()).isEqualTo(ClusterMessage.Kind.SEND_BINARY);
		assertThat(decoded.channel()).isEqualTo(this.alice);
		assertThat(decoded.payload()).isEqualTo(data);
	}

	@Test
	void subscribeAndCloseKeepTheirFields() {
		ClusterMessage unsubscribe = ClusterMessage
			.decode(ClusterMessage.subscribe("node-2", this.alice, "room", false).encode());
		assertThat(unsubscribe.kind()).isEqualTo(ClusterMessage.Kind.UNSUBSCRIBE);
		assertThat(unsubscribe.channel()).isEqualTo(this.alice);
		assertThat(unsubscribe.name()).isEqualTo("room");
		ClusterMessage close = ClusterMessage.decode(ClusterMessage.close("node-2", this.alice, 4001, "bye").encode());
		assertThat(close.kind()).isEqualTo(ClusterMessage.Kind.CLOSE);
		assertThat(close.code()).isEqualTo(4001);
		assertThat(close.text()).isEqualTo("bye");
	}

	@Test
	void messagesToAUserKeepScopeUserAndPayload() {
		ClusterMessage send = ClusterMessage
			.decode(ClusterMessage.sendToUser("node-1", "chat", "alice", true, "hi".getBytes(StandardCharsets.UTF_8))
				.encode());
		assertThat(send.kind()).isEqualTo(ClusterMessage.Kind.USER_TEXT);
		assertThat(send.scope()).isEqualTo("chat");
		assertThat(send.name()).isEqualTo("alice");
		assertThat(send.text()).isEqualTo("hi");
		ClusterMessage close = ClusterMessage
			.decode(ClusterMessage.closeUser("node-1", "chat", "alice", 1008, "logged out").encode());
		assertThat(close.kind()).isEqualTo(ClusterMessage.Kind.USER_CLOSE);
		assertThat(close.name()).isEqualTo("alice");
		assertThat(close.code()).isEqualTo(1008);
		assertThat(close.text()).isEqualTo("logged out");
	}

	@Test
	void unknownVersionOrTruncatedMessageIsRejected() {
		byte[] encoded = ClusterMessage.send("node-2", this.alice, true, new byte[] { 'h', 'i' }).encode();
		byte[] otherVersion = encoded.clone();
		otherVersion[0] = 9;
		assertThatIllegalArgumentException().isThrownBy(() -> ClusterMessage.decode(otherVersion))
			.withMessageContaining("version");
		byte[] truncated = new byte[encoded.length - 1];
		System.arraycopy(encoded, 0, truncated, 0, truncated.length);
		assertThatIllegalArgumentException().isThrownBy(() -> ClusterMessage.decode(truncated));
	}

}
