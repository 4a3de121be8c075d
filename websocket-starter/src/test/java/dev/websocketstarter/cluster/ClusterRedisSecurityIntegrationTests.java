package dev.websocketstarter.cluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.websocketstarter.test.EchoApp;
import dev.websocketstarter.test.client.WebSocketTestClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The relay through a Redis server that speaks only TLS to it and knows it as an ACL
 * user, as the README's Scale-out section configures it: Boot's SSL bundle trusts the
 * server's certificate, and {@code spring.data.redis.username} and {@code password} name
 * the user. The certificates are made with {@code openssl}.
 */
class ClusterRedisSecurityIntegrationTests {

	private static final String PASSWORD = "relay-user-password";

	@TempDir
	static Path directory;

	private static int tlsPort;

	private static RedisServer redis;

	@BeforeAll
	static void startRedisWithTlsAndAnAclUser() throws Exception {
		openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.crt", "-days", "2",
				"-subj", "/CN=test-ca");
		openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", "redis.key", "-out", "redis.csr", "-subj",
				"/CN=localhost");
		Files.writeString(directory.resolve("san.cnf"), "subjectAltName=IP:127.0.0.1,DNS:localhost\n");
		openssl("x509", "-req", "-in", "redis.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial", "-out",
				"redis.crt", "-days", "2", "-extfile", "san.cnf");
		tlsPort = RedisServer.freeLoopbackPort();
		redis = RedisServer.start(List.of("--tls-port", String.valueOf(tlsPort), "--tls-cert-file", file("redis.crt"),
				"--tls-key-file", file("redis.key"), "--tls-ca-cert-file", file("ca.crt"), "--tls-auth-clients", "no",
				"--user", "default", "off", "--user", "relay", "on", ">" + PASSWORD, "~{tls}:*", "~{tls:*", "&tls:*",
				"&{tls:*", "+@all"));
	}

	@AfterAll
	static void stopRedis() {
		if (redis != null) {
			redis.stop();
		}
	}

	@Test
	void nodesRelayOverTlsAsAnAclUser() {
		try (ClusterNode a = start("tls-a", PASSWORD); ClusterNode b = start("tls-b", PASSWORD)) {
			ClusterNode.awaitAlive(a, b);
			WebSocketTestClient client = b.connect("over-tls");
			await().until(() -> a.registry().app("echo").subscriberCount("/ws/echo") == 1);
			a.registry().app("echo").multicast("/ws/echo", "through TLS");
			client.awaitText("through TLS");
		}
	}

	@Test
	void nodeWithTheWrongPasswordNeverJoins() {
		try (ClusterNode wrong = start("tls-wrong", "not the password")) {
			await().during(Duration.ofSeconds(2))
				.atMost(Duration.ofSeconds(5))
				.until(() -> wrong.relay().state() != ClusterRelay.State.UP);
		}
	}

	private static ClusterNode start(String node, String password) {
		return ClusterNode.start(node, tlsPort, "tls", EchoApp.class, "websocket.apps.echo.urls=/ws/echo",
				"spring.data.redis.username=relay", "spring.data.redis.password=" + password,
				"spring.data.redis.ssl.bundle=redis",
				"spring.ssl.bundle.pem.redis.truststore.certificate=file:" + file("ca.crt"),
				"websocket.cluster.secret=the secret of the TLS cluster test, 32+ characters");
	}

	private static String file(String name) {
		return directory.resolve(name).toString();
	}

	private static void openssl(String... arguments) throws IOException, InterruptedException {
		List<String> command = new ArrayList<>(List.of("openssl"));
		command.addAll(List.of(arguments));
		Process process = new ProcessBuilder(command).directory(directory.toFile())
			.redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.DISCARD)
			.start();
		assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("openssl %s finished", arguments[0]).isTrue();
		assertThat(process.exitValue()).as("openssl %s exit code", arguments[0]).isZero();
	}

}
