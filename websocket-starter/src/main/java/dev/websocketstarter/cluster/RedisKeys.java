package dev.websocketstarter.cluster;

/**
 * The relay's Redis keys and pub/sub channels, all under one prefix, {@code websocket} by
 * default.
 * <ul>
 * <li>{@code websocket:nodes}: sorted set of live nodes, scored by the time (epoch
 * milliseconds) after which a node that stops beating is forgotten</li>
 * <li>{@code websocket:node:<node>:channels}: hash of a node's open channels to their
 * subscriptions and shared attributes, as {@link ChannelState} writes them</li>
 * <li>{@code websocket:node:<node>:sequence}: the number of the last change a node made
 * to its channels hash</li>
 * <li>{@code websocket:claims:<scope length>:<scope>:<namespace>}: hash of the values
 * claimed in a namespace to the channels that hold them, as {@link RedisClaims} writes
 * them</li>
 * <li>{@code websocket:node:<node>:run}: the run of a node, new each time it starts</li>
 * <li>{@code websocket:node:<node>:claims}: hash of the claims a node made, so that it
 * can take back those it no longer holds after an outage or a restart</li>
 * <li>{@code websocket:history:<scope length>:<scope>:<subscription>}: list of the
 * messages a subscription keeps, each {@code <offset> <epoch milliseconds> <text>}, and
 * {@code websocket:history-meta:...} beside it: hash of its {@code epoch}, last
 * {@code offset} and {@code bytes} kept, as {@link RedisHistory} writes them</li>
 * <li>pub/sub {@code websocket:multicast}, which every node receives,
 * {@code websocket:history} for the multicasts to subscriptions with history, with their
 * offsets, {@code websocket:node:<node>} for what is meant for one node, and
 * {@code websocket:channels} for the changes every node makes to its channels</li>
 * </ul>
 *
 * @param prefix the prefix; nodes sharing one form one cluster
 */
record RedisKeys(String prefix) {

	String nodes() {
		return this.prefix + ":nodes";
	}

	String multicastTopic() {
		return this.prefix + ":multicast";
	}

	String historyTopic() {
		return this.prefix + ":history";
	}

	String history(String scope, String subscription) {
		return this.prefix + ":history:" + scope.length() + ":" + scope + ":" + subscription;
	}

	String historyMeta(String scope, String subscription) {
		return this.prefix + ":history-meta:" + scope.length() + ":" + scope + ":" + subscription;
	}

	String changesTopic() {
		return this.prefix + ":channels";
	}

	String nodeTopic(String node) {
		return this.prefix + ":node:" + node;
	}

	String channels(String node) {
		return this.prefix + ":node:" + node + ":channels";
	}

	String claims(String scope, String namespace) {
		// The scope's length keeps scope "a:b" with namespace "c" apart from "a" with
		// "b:c"
		return this.prefix + ":claims:" + scope.length() + ":" + scope + ":" + namespace;
	}

	String nodeClaims(String node) {
		return this.prefix + ":node:" + node + ":claims";
	}

	String run(String node) {
		return nodePrefix() + node + ":run";
	}

	/**
	 * What every key of one node starts with, followed by the node.
	 */
	String nodePrefix() {
		return this.prefix + ":node:";
	}

	String sequence(String node) {
		return this.prefix + ":node:" + node + ":sequence";
	}

}
