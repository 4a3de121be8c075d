package dev.websocketstarter.cluster;

import java.lang.management.ManagementFactory;
import java.lang.ref.Reference;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import javax.management.ObjectName;

import dev.websocketstarter.registry.Channel;
import org.jspecify.annotations.Nullable;

/**
 * A diagnostic, not part of the table: the live heap a node's {@link ClusterView} holds
 * per channel of the other nodes, and the bytes each channel change costs on
 * {@code websocket:channels}. Four other nodes publish their channels in batches of 100,
 * as {@link RedisMirror#write} does; each batch is encoded and decoded, as the receiving
 * node reads it, and applied to the view. At two counts of remote channels the probe
 * takes a class histogram (which runs a full GC first) and prints the live heap per
 * remote channel between them with the classes that grew most. Two variants: each channel
 * in one subscription, {@code room-} and the channel's number modulo 1,000; and in that
 * and {@code team-} and its number modulo 50, with one shared attribute, {@code name}, a
 * user name of its own. Run from the project's root after
 * {@code ./mvnw -B -o -Pbench -pl benchmarks -am package
 * -DskipTests}, with the counts as optional arguments: <pre>
 * java -Xmx2g -cp websocket-starter/target/classes:benchmarks/target/classes:$(cat benchmarks/target/cp.txt) \
 *     dev.websocketstarter.cluster.ViewProbe 50000 200000
 * </pre> where {@code cp.txt} is written by {@code ./mvnw -q -B -o -Pbench -pl benchmarks
 * dependency:build-classpath -Dmdep.outputFile=target/cp.txt}.
 */
public final class ViewProbe {

	private static final int NODES = 4;

	private static final int BATCH = 100;

	private ViewProbe() {
	}

	/**
	 * Run the probe.
	 * @param args the two counts of remote channels, 50,000 and 200,000 if none
	 * @throws Exception if the class histogram fails
	 */
	public static void main(String[] args) throws Exception {
		int low = (args.length > 0) ? Integer.parseInt(args[0]) : 50_000;
		int high = (args.length > 1) ? Integer.parseInt(args[1]) : 200_000;
		measure("1 subscription", false, low, high);
		measure("2 subscriptions, 1 attribute", true, low, high);
	}

	private static void measure(String variant, boolean rich, int low, int high) throws Exception {
		ClusterView view = new ClusterView((node) -> true, (app) -> "chat", (channel, state) -> {
		});
		long[] sequences = new long[NODES];
		long[] ids = new long[NODES];
		long wire = 0;
		int count = 0;
		Map<String, long[]> before = null;
		for (int target : new int[] { low, high }) {
			while (count < target) {
				int node = (count / BATCH) % NODES;
				Map<Channel, @Nullable ChannelState> states = new LinkedHashMap<>();
				for (int i = 0; i < BATCH; i++, count++) {
					Channel channel = new Channel("chat", "node-" + (node + 2), 10_000 + ++ids[node]);
					states.put(channel,
							rich ? new ChannelState(Set.of("room-" + count % 1000, "team-" + count % 50),
									Map.of("name", "user-" + count))
									: new ChannelState(Set.of("room-" + count % 1000), Map.of()));
				}
				byte[] batch = new ChannelChanges("node-" + (node + 2), 1_700_000_000_000_000L + ++sequences[node],
						states)
					.encode();
				wire += batch.length;
				view.apply(ChannelChanges.decode(batch));
			}
			Map<String, long[]> after = histogram();
			if (before != null) {
				print(variant, before, after, high - low, (double) wire / count);
			}
			before = after;
		}
		Reference.reachabilityFence(view);
	}

	/** Instances and bytes by class, after a full GC. */
	private static Map<String, long[]> histogram() throws Exception {
		String text = (String) ManagementFactory.getPlatformMBeanServer()
			.invoke(new ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
					new Object[] { null }, new String[] { String[].class.getName() });
		Map<String, long[]> classes = new HashMap<>();
		for (String line : text.split("\n")) {
			String[] columns = line.trim().split("\\s+");
			if (columns.length >= 4 && columns[0].endsWith(":")) {
				classes.put(columns[3], new long[] { Long.parseLong(columns[1]), Long.parseLong(columns[2]) });
			}
			else if (columns[0].equals("Total")) {
				classes.put("Total", new long[] { Long.parseLong(columns[1]), Long.parseLong(columns[2]) });
			}
		}
		return classes;
	}

	private static void print(String variant, Map<String, long[]> before, Map<String, long[]> after, int channels,
			double wire) {
		long[] total = difference(before, after, "Total");
		System.out.printf(
				"%s: %.1f bytes of live heap per remote channel (%d bytes for %d more), %.1f bytes per"
						+ " channel on the wire per change (batches of %d, unsealed)%n",
				variant, (double) total[1] / channels, total[1], channels, wire, BATCH);
		after.keySet()
			.stream()
			.filter((name) -> !name.equals("Total"))
			.sorted((a, b) -> Long.compare(difference(before, after, b)[1], difference(before, after, a)[1]))
			.limit(10)
			.forEach((name) -> {
				long[] grown = difference(before, after, name);
				System.out.printf("  %7.1f bytes %5.2f instances  %s%n", (double) grown[1] / channels,
						(double) grown[0] / channels, name);
			});
	}

	private static long[] difference(Map<String, long[]> before, Map<String, long[]> after, String name) {
		long[] was = before.getOrDefault(name, new long[2]);
		long[] now = after.get(name);
		return new long[] { now[0] - was[0], now[1] - was[1] };
	}

}
