package dev.websocketstarter.cluster;

/**
 * The relay's Redis keys and pub/sub channels, all under one prefix, {@code websocket} by
 * default.
 * <p>
 * Keys are hash-tagged for Redis Cluster, where a script's keys must share one slot: the
 * control keys carry the tag <code>&#123;websocket&#125;</code>, so they share one slot,
 * and each subscription's history keys and shard channel carry a tag of their own,
 * <code>&#123;websocket:&lt;scope length&gt;:&lt;scope&gt;:&lt;subscription&gt;&#125;</code>,
 * so that histories and multicasts spread over the shards while the script that keeps a
 * message publishes it in its own slot. On a single Redis the tags change nothing.
 * <ul>
 * <li><code>&#123;websocket&#125;:nodes</code>: sorted set of live nodes, scored by the
 * time (epoch milliseconds) after which a node that stops beating is forgotten</li>
 * <li><code>&#123;websocket&#125;:node:&lt;node&gt;:channels</code>: hash of a node's
 * open channels to their subscriptions and shared attributes, as {@link ChannelState}
 * writes them</li>
 * <li><code>&#123;websocket&#125;:node:&lt;node&gt;:sequence</code>: the number of the
 * last change a node made to its channels hash</li>
 * <li><code>&#123;websocket&#125;:claims:&lt;scope length&gt;:&lt;scope&gt;:&lt;namespace&gt;</code>:
 * hash of the values claimed in a namespace to the channels that hold them, as
 * {@link RedisClaims} writes them</li>
 * <li><code>&#123;websocket&#125;:node:&lt;node&gt;:run</code>: the run of a node, new
 * each time it starts</li>
 * <li><code>&#123;websocket&#125;:node:&lt;node&gt;:claims</code>: hash of the claims a
 * node made, so that it can take back those it no longer holds after an outage or a
 * restart</li>
 * <li><code>&#123;websocket:&lt;scope length&gt;:&lt;scope&gt;:&lt;subscription&gt;&#125;:history</code>:
 * list of the messages a subscription keeps, each
 * {@code <offset> <epoch milliseconds> <text>}, and {@code ...:history-meta} beside it:
 * hash of its {@code epoch}, last {@code offset} and {@code bytes} kept, as
 * {@link RedisHistory} writes them</li>
 * <li>shard channel
 * <code>&#123;websocket:&lt;scope length&gt;:&lt;scope&gt;:&lt;subscription&gt;&#125;:multicast</code>
 * (sharded pub/sub, Redis 7): a subscription's multicasts, plain ones and those with
 * history, which only the nodes with subscribers of it receive</li>
 * <li>pub/sub {@code websocket:node:<node>} for what is meant for one node (sends,
 * subscribes, unsubscribes, closes), {@code websocket:multicast} for messages and closes
 * to a user's channels, and {@code websocket:channels} for the changes every node makes
 * to its channels: every node receives the last two</li>
 * </ul>
 * The scope's length keeps scope {@code a:b} with subscription {@code c} apart from scope
 * {@code a} with {@code b:c}.
 *
 * @param prefix the prefix; nodes sharing one form one cluster
 */
record RedisKeys(String prefix) {

	/**
	 * What every control key starts with: the prefix as a hash tag.
	 */
	private String control() {
		return "{" + this.prefix + "}";
	}

	/**
	 * The hash tag of one subscription's keys and shard channel.
	 */
	private String subscription(String scope, String subscription) {
		return "{" + this.prefix + ":" + scope.length() + ":" + scope + ":" + subscription + "}";
	}

	String nodes() {
		return control() + ":nodes";
	}

	String multicastTopic() {
		return this.prefix + ":multicast";
	}

	/**
	 * The shard channel of a subscription's multicasts.
	 */
	String shardChannel(String scope, String subscription) {
		return subscription(scope, subscription) + ":multicast";
	}

	/**
	 * A shard channel nothing subscribes to, for asking whether Redis has sharded
	 * pub/sub.
	 */
	String probeChannel() {
		return "{" + this.prefix + ":probe}";
	}

	String history(String scope, String subscription) {
		return subscription(scope, subscription) + ":history";
	}

	String historyMeta(String scope, String subscription) {
		return subscription(scope, subscription) + ":history-meta";
	}

	String changesTopic() {
		return this.prefix + ":channels";
	}

	String nodeTopic(String node) {
		return this.prefix + ":node:" + node;
	}

	String channels(String node) {
		return nodePrefix() + node + ":channels";
	}

	String claims(String scope, String namespace) {
		return control() + ":claims:" + scope.length() + ":" + scope + ":" + namespace;
	}

	String nodeClaims(String node) {
		return nodePrefix() + node + ":claims";
	}

	String run(String node) {
		return nodePrefix() + node + ":run";
	}

	/**
	 * What every key of one node starts with, followed by the node.
	 */
	String nodePrefix() {
		return control() + ":node:";
	}

	String sequence(String node) {
		return nodePrefix() + node + ":sequence";
	}

}
