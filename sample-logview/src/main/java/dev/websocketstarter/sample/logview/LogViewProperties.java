package dev.websocketstarter.sample.logview;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.Assert;
import org.springframework.util.unit.DataSize;

/**
 * The log viewer's own options, under {@code log-view}: {@code websocket.*} belongs to
 * the starter.
 *
 * @param refresh how often the tailer looks at the files
 * @param backlog lines a new viewer of a file gets first
 * @param files names clients see, mapped to paths only the server knows
 * @param maxLinesPerTick most lines sent per file and tick
 * @param maxBytesPerTick most bytes read per file and tick
 * @param maxLineLength longest line kept whole; longer lines are cut with a marker
 * @param skipAfter unread bytes past which the tailer jumps ahead and says how many lines
 * it skipped
 */
@ConfigurationProperties("log-view")
public record LogViewProperties(@DefaultValue("1s") Duration refresh, @DefaultValue("100") int backlog,
		Map<String, Path> files, @DefaultValue("1000") int maxLinesPerTick,
		@DefaultValue("256KB") DataSize maxBytesPerTick, @DefaultValue("8KB") DataSize maxLineLength,
		@DefaultValue("8MB") DataSize skipAfter) {

	public LogViewProperties {
		Assert.isTrue(refresh.toMillis() > 0, "log-view.refresh must be positive, e.g. 1s");
		Assert.isTrue(backlog >= 0, "log-view.backlog must not be negative, e.g. 100");
		Assert.isTrue(maxLinesPerTick > 0, "log-view.max-lines-per-tick must be positive");
		Assert.isTrue(maxBytesPerTick.toBytes() > 0, "log-view.max-bytes-per-tick must be positive");
		Assert.isTrue(maxLineLength.toBytes() > 0, "log-view.max-line-length must be positive");
		Assert.isTrue(maxLineLength.toBytes() < maxBytesPerTick.toBytes(),
				"log-view.max-line-length must be below max-bytes-per-tick, so every line fits in a tick");
		Assert.isTrue(skipAfter.toBytes() >= maxBytesPerTick.toBytes(),
				"log-view.skip-after must be at least max-bytes-per-tick");
		files = (files != null) ? Map.copyOf(files) : Map.of();
		files.keySet()
			.forEach((name) -> Assert.isTrue(name.matches("[A-Za-z0-9._-]+"), () -> "log-view.files key '" + name
					+ "' must be letters, digits, '.', '_' or '-': clients see it"));
	}

}
