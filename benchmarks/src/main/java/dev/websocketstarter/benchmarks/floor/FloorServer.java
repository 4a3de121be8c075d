package dev.websocketstarter.benchmarks.floor;

import java.io.IOException;

import dev.websocketstarter.autoconfigure.WebSocketProperties;
import dev.websocketstarter.benchmarks.WebSocketUpgrade;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpUpgradeHandler;
import jakarta.servlet.http.WebConnection;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.tomcat.TomcatConnectorCustomizer;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;

/**
 * The floor of the connections phase: a Servlet upgrade that answers the WebSocket
 * handshake and then only reads and discards, with no WebSocket layer. Its memory per
 * idle connection is what Tomcat itself holds for an upgraded connection, with the
 * starter's socket buffers, and so the least any WebSocket layer on Tomcat can hold.
 */
@SpringBootApplication
public class FloorServer {

	public static void main(String[] args) {
		SpringApplication.run(FloorServer.class, args);
	}

	/**
	 * The starter's socket buffers, set here: the starter sets them only while an app of
	 * its own is on, and this server has none, so Tomcat's 8 KiB would apply otherwise.
	 */
	@Bean
	TomcatConnectorCustomizer starterSocketBuffers() {
		String size = Long.toString(new WebSocketProperties().getSocketBufferSize().toBytes());
		return (connector) -> {
			connector.setProperty("socket.appReadBufSize", size);
			connector.setProperty("socket.appWriteBufSize", size);
		};
	}

	@Bean
	ServletRegistrationBean<HttpServlet> floor() {
		return new ServletRegistrationBean<>(new UpgradeServlet(), "/floor");
	}

	static class UpgradeServlet extends HttpServlet {

		@Override
		protected void doGet(HttpServletRequest request, HttpServletResponse response)
				throws IOException, ServletException {
			WebSocketUpgrade.accept(request.getHeader("Sec-WebSocket-Key"), response);
			request.upgrade(Idle.class);
		}

	}

	public static class Idle implements HttpUpgradeHandler {

		@Override
		public void init(WebConnection connection) {
			try {
				ServletInputStream input = connection.getInputStream();
				input.setReadListener(new ReadListener() {

					@Override
					public void onDataAvailable() throws IOException {
						byte[] buffer = new byte[256];
						while (input.isReady() && input.read(buffer) != -1) {
							// The load tool sends nothing on idle connections but its
							// close
						}
					}

					@Override
					public void onAllDataRead() {
					}

					@Override
					public void onError(Throwable ex) {
					}

				});
			}
			catch (IOException ex) {
				throw new IllegalStateException(ex);
			}
		}

		@Override
		public void destroy() {
		}

	}

}
