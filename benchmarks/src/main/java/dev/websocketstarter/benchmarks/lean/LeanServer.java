package dev.websocketstarter.benchmarks.lean;

import jakarta.servlet.http.HttpServlet;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;

/**
 * The lean relay: every text message a client sends at {@code /lean} goes to every other
 * client, as with the starter's bench handler, but through a WebSocket transport of its
 * own on the Servlet upgrade API rather than Tomcat's WebSocket layer. The starter stays
 * on the class path, as for the floor target, so Tomcat's socket buffers are the
 * starter's.
 */
@SpringBootApplication
public class LeanServer {

	/** The starter's default writer threads on 2 cores: max(4, 2 x CPUs). */
	static final int WRITER_THREADS = Math.max(4, 2 * Runtime.getRuntime().availableProcessors());

	public static void main(String[] args) {
		SpringApplication.run(LeanServer.class, args);
	}

	@Bean(destroyMethod = "close")
	LeanRelay leanRelay() {
		return new LeanRelay(WRITER_THREADS);
	}

	@Bean
	ServletRegistrationBean<HttpServlet> lean(LeanRelay relay) {
		return new ServletRegistrationBean<>(new LeanHandshakeServlet(relay), "/lean");
	}

}
