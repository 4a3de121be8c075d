package dev.websocketstarter.sample.logview;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.websocketstarter.registry.Channel;
import dev.websocketstarter.registry.ChannelRegistry;
import dev.websocketstarter.sample.logview.tail.FileTail;
import dev.websocketstarter.sample.logview.tail.Resume;
import dev.websocketstarter.sample.logview.tail.TailEvent;
import dev.websocketstarter.sample.logview.tail.TailLimits;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * The watched files: one shared tail per file, polled every {@code refresh} while anyone
 * follows it, with its new lines multicast to the file's followers in one frame per tick.
 * <p>
 * A file's poll-and-publish and a viewer's catch-up-and-subscribe hold the file's tail,
 * so a viewer gets every line exactly once from the moment it follows.
 */
@Component
class LogFiles {

	private static final String SUBSCRIPTION_PREFIX = "log-view:";

	private final ChannelRegistry registry;

	private final LogViewFrames frames;

	private final int backlog;

	private final Map<String, FileTail> tails = new LinkedHashMap<>();

	LogFiles(LogViewProperties properties, ChannelRegistry registry, JsonMapper json) {
		this.registry = registry;
		this.frames = new LogViewFrames(json);
		this.backlog = properties.backlog();
		TailLimits limits = new TailLimits(properties.maxLinesPerTick(), (int) properties.maxBytesPerTick().toBytes(),
				(int) properties.maxLineLength().toBytes(), properties.skipAfter().toBytes());
		properties.files()
			.entrySet()
			.stream()
			.sorted(Map.Entry.comparingByKey())
			.forEach((file) -> this.tails.put(file.getKey(), new FileTail(file.getValue(), limits)));
	}

	Set<String> names() {
		return this.tails.keySet();
	}

	String filesFrame() {
		List<LogViewFrames.FileStatus> files = new ArrayList<>();
		this.tails.forEach((name, tail) -> {
			synchronized (tail) {
				if (this.registry.subscriberCount(SUBSCRIPTION_PREFIX + name) == 0) {
					// An unfollowed tail is not polled: look at the file now so its state
					// is current
					tail.skipToEnd();
				}
				files.add(new LogViewFrames.FileStatus(name, LogViewFrames.lowerCase(tail.state())));
			}
		});
		return this.frames.files(files);
	}

	String errorFrame(String error, String message) {
		return this.frames.error(error, message);
	}

	/**
	 * Start sending a file's lines to a viewer: first what it missed since
	 * {@code position} if the file still has it, else the backlog, then every later
	 * batch.
	 * @return {@code false} if there is no file of that name
	 */
	boolean follow(Channel channel, String name, @Nullable String position) {
		FileTail tail = this.tails.get(name);
		if (tail == null) {
			return false;
		}
		String subscription = SUBSCRIPTION_PREFIX + name;
		synchronized (tail) {
			if (this.registry.subscriberCount(subscription) == 0) {
				// Nobody watched: the shared position is stale, and what was written
				// meanwhile is the backlog's
				tail.skipToEnd();
			}
			Resume resume = tail.since(position, this.backlog);
			this.registry.send(channel, this.frames.followed(name, resume, tail.state()));
			this.registry.subscribe(channel, subscription);
		}
		return true;
	}

	void unfollow(Channel channel, String name) {
		this.registry.unsubscribe(channel, SUBSCRIPTION_PREFIX + name);
	}

	/**
	 * The tailer: polls each followed file and multicasts what it found. A file nobody
	 * follows is not even looked at.
	 */
	@Scheduled(fixedDelayString = "${log-view.refresh:1s}")
	void publishNewLines() {
		this.tails.forEach((name, tail) -> {
			String subscription = SUBSCRIPTION_PREFIX + name;
			if (this.registry.subscriberCount(subscription) == 0) {
				return;
			}
			synchronized (tail) {
				for (TailEvent event : tail.poll()) {
					this.registry.multicast(subscription, frame(name, event));
				}
			}
		});
	}

	private String frame(String name, TailEvent event) {
		if (event instanceof TailEvent.Lines lines) {
			return this.frames.lines(name, lines.lines(), lines.position());
		}
		if (event instanceof TailEvent.Skipped skipped) {
			return this.frames.state(name, "skipped", skipped.lines());
		}
		return this.frames.state(name, LogViewFrames.lowerCase(((TailEvent.StateChanged) event).change()), null);
	}

}
