package dev.websocketstarter.benchmarks.load;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * A closed loop over several subscriptions, each with a publisher of its own and its
 * subscribers on one or more nodes: the publishing thread goes round the subscriptions
 * and publishes the next message of each whose window has room. Each subscriber checks
 * its subscription's sequence numbers apart; deliveries are counted by node.
 */
final class TopicsLoop {

	private final LoadTool tool;

	private final Target target;

	private final List<Topic> topics;

	private final int nodes;

	TopicsLoop(LoadTool tool, Target target, List<Topic> topics, int nodes) {
		this.tool = tool;
		this.target = target;
		this.topics = topics;
		this.nodes = nodes;
	}

	TopicsFanout run(int window, Duration warmup, Duration measure, LoadTool.Window measured) throws IOException {
		int count = this.topics.size();
		long[] runs = new long[count];
		int[] sizes = new int[count];
		LongAdder[] byTopic = new LongAdder[count];
		LongAdder[] byNode = new LongAdder[this.nodes];
		for (int n = 0; n < this.nodes; n++) {
			byNode[n] = new LongAdder();
		}
		// checks.get(t).get(n): the checks of topic t's subscribers on node n
		List<List<List<SequenceCheck>>> checks = new ArrayList<>(count);
		for (int t = 0; t < count; t++) {
			Topic topic = this.topics.get(t);
			runs[t] = this.tool.nextRun();
			sizes[t] = topic.size();
			LongAdder topicCounter = new LongAdder();
			byTopic[t] = topicCounter;
			List<List<SequenceCheck>> topicChecks = new ArrayList<>(this.nodes);
			for (int n = 0; n < this.nodes; n++) {
				LongAdder nodeCounter = byNode[n];
				List<WsConnection> subscribers = (n < topic.subscribers().size()) ? topic.subscribers().get(n)
						: List.of();
				topicChecks.add(LoadTool.check(subscribers, runs[t], (r, sequence, intended, sent, received) -> {
					topicCounter.increment();
					nodeCounter.increment();
				}));
			}
			checks.add(topicChecks);
		}
		int closedBefore = this.tool.closedByServer();
		List<Publisher> publishers = new ArrayList<>(count);
		try {
			for (int t = 0; t < count; t++) {
				Topic topic = this.topics.get(t);
				publishers.add(new Publisher(topic.publisher(), this.target, topic.publisherPath(), runs[t]));
			}
			LoadTool.settle();
			ScheduledFuture<?> guard = this.tool.watchdog()
				.schedule(() -> publishers.forEach(Publisher::close), warmup.plus(measure).toSeconds() + 30,
						TimeUnit.SECONDS);
			long start = System.nanoTime();
			long end = start + warmup.toNanos() + measure.toNanos();
			long[] atStart = null;
			long publishedAtStart = 0;
			long measureStart = 0;
			long now;
			while ((now = System.nanoTime()) < end) {
				if (atStart == null && now >= start + warmup.toNanos()) {
					measured.started();
					measureStart = System.nanoTime();
					atStart = LoadTool.sums(byNode);
					publishedAtStart = published(publishers);
				}
				boolean any = false;
				for (int t = 0; t < count; t++) {
					Publisher publisher = publishers.get(t);
					if ((publisher.published() - window) * sizes[t] < byTopic[t].sum()) {
						publisher.publish();
						any = true;
					}
				}
				if (!any) {
					LockSupport.parkNanos(20_000);
				}
			}
			long[] atEnd = LoadTool.sums(byNode);
			long publishedAtEnd = published(publishers);
			double seconds = (System.nanoTime() - measureStart) / 1e9;
			measured.ended();
			guard.cancel(false);
			long expected = 0;
			for (int t = 0; t < count; t++) {
				expected += publishers.get(t).published() * sizes[t];
			}
			LoadTool.drain(() -> sum(LoadTool.sums(byNode)), expected);
			int closed = this.tool.closedByServer() - closedBefore;
			long published = published(publishers);
			List<Fanout> results = new ArrayList<>(this.nodes);
			for (int n = 0; n < this.nodes; n++) {
				long lost = 0;
				long duplicates = 0;
				long reordered = 0;
				long otherRuns = 0;
				for (int t = 0; t < count; t++) {
					long topicPublished = publishers.get(t).published();
					for (SequenceCheck check : checks.get(t).get(n)) {
						Sequences one = check.count(topicPublished);
						lost += one.lost();
						duplicates += one.duplicates();
						reordered += one.reordered();
						otherRuns += one.otherRuns();
					}
				}
				long first = (atStart != null) ? atStart[n] : 0;
				results.add(new Fanout((atEnd[n] - first) / seconds, seconds, published,
						new Sequences(lost, duplicates, reordered, otherRuns), closed));
			}
			return new TopicsFanout(results, published, publishedAtEnd - publishedAtStart, seconds);
		}
		finally {
			publishers.forEach(Publisher::close);
			for (Topic topic : this.topics) {
				topic.subscribers().forEach((node) -> node.forEach((subscriber) -> subscriber.sink(DeliverySink.NONE)));
			}
		}
	}

	private static long published(List<Publisher> publishers) {
		long published = 0;
		for (Publisher publisher : publishers) {
			published += publisher.published();
		}
		return published;
	}

	private static long sum(long[] values) {
		long sum = 0;
		for (long value : values) {
			sum += value;
		}
		return sum;
	}

}
