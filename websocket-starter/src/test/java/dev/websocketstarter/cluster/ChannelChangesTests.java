package dev.websocketstarter.cluster;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import dev.websocketstarter.registry.Channel;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link ChannelChanges}.
 */
class ChannelChangesTests {

	@Test
	void openAndClosedChannelsSurviveTheWire() {
		Map<Channel, @Nullable Set<String>> states = new LinkedHashMap<>();
		states.put(new Channel("chat", "node-1", 1), Set.of("/chat", "room ü\n2"));
		states.put(new Channel("chat", "node-1", 2), null);
		states.put(new Channel("chat", "node-1", 3), Set.of());
		ChannelChanges decoded = ChannelChanges.decode(new ChannelChanges("node-1", 42, states).encode());
		assertThat(decoded.origin()).isEqualTo("node-1");
		assertThat(decoded.sequence()).isEqualTo(42);
		assertThat(decoded.states()).containsExactlyEntriesOf(states);
	}

	@Test
	void truncatedChangesAreRefused() {
		Map<Channel, @Nullable Set<String>> states = Map.of(new Channel("chat", "node-1", 1), Set.of("/chat"));
		byte[] encoded = new ChannelChanges("node-1", 1, states).encode();
		assertThatIllegalArgumentException()
			.isThrownBy(() -> ChannelChanges.decode(Arrays.copyOf(encoded, encoded.length - 3)));
	}

	@Test
	void anEntryCountBeyondTheMessageIsRefusedBeforeAnythingIsRead() {
		byte[] encoded = new ChannelChanges("n", 1, Map.of()).encode();
		// The count is the last 4 bytes of a batch without entries
		encoded[encoded.length - 1] = 0x7f;
		assertThatIllegalArgumentException().isThrownBy(() -> ChannelChanges.decode(encoded))
			.withMessageContaining("Bad entry count");
	}

	@Test
	void anotherVersionIsRefused() {
		byte[] encoded = new ChannelChanges("n", 1, Map.of()).encode();
		encoded[0] = 2;
		assertThatIllegalArgumentException().isThrownBy(() -> ChannelChanges.decode(encoded))
			.withMessageContaining("version 2");
	}

}
