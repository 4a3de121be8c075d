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
		Map<Channel, @Nullable ChannelState> states = new LinkedHashMap<>();
		states.put(new Channel("chat", "node-1", 1),
				new ChannelState(Set.of("/chat", "room ü\n2"), Map.of("user", "alice", "tenant", "a\\b\nc")));
		states.put(new Channel("chat", "node-1", 2), null);
		states.put(new Channel("chat", "node-1", 3), ChannelState.EMPTY);
		ChannelChanges decoded = ChannelChanges.decode(new ChannelChanges("node-1", 42, states).encode());
		assertThat(decoded.origin()).isEqualTo("node-1");
		assertThat(decoded.sequence()).isEqualTo(42);
		assertThat(decoded.states()).containsExactlyEntriesOf(states);
	}

	@Test
	void stateSurvivesTheChannelsHashWithLineBreaksAndBackslashes() {
		ChannelState state = new ChannelState(Set.of("/chat", "room\n2", "a\\nb", ""),
				Map.of("user", "ali\nce", "note", "\\"));
		assertThat(ChannelState.parse(state.format())).isEqualTo(state);
	}

	@Test
	void truncatedChangesAreRefused() {
		Map<Channel, @Nullable ChannelState> states = Map.of(new Channel("chat", "node-1", 1),
				new ChannelState(Set.of("/chat"), Map.of()));
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
		encoded[0] = 1;
		assertThatIllegalArgumentException().isThrownBy(() -> ChannelChanges.decode(encoded))
			.withMessageContaining("version 1");
	}

}
