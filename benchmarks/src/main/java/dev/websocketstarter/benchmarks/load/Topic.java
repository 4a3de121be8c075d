package dev.websocketstarter.benchmarks.load;

import java.net.InetSocketAddress;
import java.util.List;

/**
 * One subscription of a run with several: where its publisher connects, and its
 * subscribers on each node.
 *
 * @param publisher the node the publisher connects to
 * @param publisherPath the path and query the publisher asks for
 * @param subscribers the subscription's subscribers on each node, by node, empty lists
 * for nodes that hold none
 */
public record Topic(InetSocketAddress publisher, String publisherPath, List<List<WsConnection>> subscribers) {

	int size() {
		int size = 0;
		for (List<WsConnection> node : this.subscribers) {
			size += node.size();
		}
		return size;
	}

}
