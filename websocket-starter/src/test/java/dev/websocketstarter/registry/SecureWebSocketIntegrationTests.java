package dev.websocketstarter.registry;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import dev.websocketstarter.test.EchoApp;
import dev.websocketstarter.test.client.WebSocketTestClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@code wss://} through Boot's {@code server.ssl.*}, with a self-signed
 * certificate made at test time.
 */
@SpringBootTest(classes = EchoApp.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = "websocket.apps.echo.urls=/ws/echo")
class SecureWebSocketIntegrationTests {

	private static final String PASSWORD = "changeit";

	@TempDir
	static Path directory;

	@LocalServerPort
	private int port;

	@DynamicPropertySource
	static void serverSsl(DynamicPropertyRegistry registry) throws Exception {
		Path keyStore = directory.resolve("server.p12");
		generateSelfSignedKeyStore(keyStore);
		registry.add("server.ssl.key-store", () -> keyStore.toUri().toString());
		registry.add("server.ssl.key-store-type", () -> "PKCS12");
		registry.add("server.ssl.key-store-password", () -> PASSWORD);
		registry.add("server.ssl.key-alias", () -> "server");
	}

	private static void generateSelfSignedKeyStore(Path keyStore) throws IOException, InterruptedException {
		Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
		Process process = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", "server", "-keyalg", "EC",
				"-groupname", "secp256r1", "-validity", "2", "-dname", "CN=localhost", "-ext",
				"SAN=dns:localhost,ip:127.0.0.1", "-storetype", "PKCS12", "-keystore", keyStore.toString(),
				"-storepass", PASSWORD, "-keypass", PASSWORD)
			.redirectErrorStream(true)
			.start();
		String output = new String(process.getInputStream().readAllBytes());
		assertThat(process.waitFor()).as(output).isZero();
	}

	private static SSLContext trusting(Path keyStorePath) throws Exception {
		KeyStore keyStore = KeyStore.getInstance("PKCS12");
		try (InputStream input = Files.newInputStream(keyStorePath)) {
			keyStore.load(input, PASSWORD.toCharArray());
		}
		KeyStore trustStore = KeyStore.getInstance("PKCS12");
		trustStore.load(null, null);
		trustStore.setCertificateEntry("server", keyStore.getCertificate("server"));
		TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
		trust.init(trustStore);
		SSLContext context = SSLContext.getInstance("TLS");
		context.init(null, trust.getTrustManagers(), null);
		return context;
	}

	@Test
	void secureClientExchangesMessages() throws Exception {
		HttpClient httpClient = HttpClient.newBuilder().sslContext(trusting(directory.resolve("server.p12"))).build();
		try (WebSocketTestClient client = WebSocketTestClient
			.to(URI.create("wss://localhost:" + this.port + "/ws/echo?id=secure"))
			.httpClient(httpClient)
			.open()) {
			client.send("echo:" + "secret ".repeat(1000));
			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(client.texts()).containsExactly("secret ".repeat(1000)));
		}
	}

	@Test
	void plainClientCannotConnectToSecurePort() {
		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(() -> WebSocketTestClient.to(this.port, "/ws/echo?id=plain").open())
			.withMessageStartingWith("Could not open a WebSocket to ws://localhost:" + this.port);
	}

}
