package dev.websocketstarter.benchmarks;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.concurrent.TimeUnit;

/**
 * What the processes the runner starts (servers, Redis, the log-view sample) share.
 */
public final class Processes {

	private Processes() {
	}

	/**
	 * A loopback port free at the time of the call, for a process to listen on.
	 */
	public static int freeLoopbackPort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
	}

	/**
	 * Ask the process to stop, and kill it when it has not within 10 seconds.
	 */
	public static void stop(Process process) throws InterruptedException {
		process.destroy();
		if (!process.waitFor(10, TimeUnit.SECONDS)) {
			process.destroyForcibly();
			process.waitFor(10, TimeUnit.SECONDS);
		}
	}

}
