package com.example.chat;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * A chat with two rooms, on websocket-starter.
 */
@SpringBootApplication
@EnableScheduling // for RoomCount's @Scheduled job: scheduling is the application's to turn on
public class ChatApplication {

	/**
	 * Start the chat, on port 8080 unless told otherwise.
	 * @param args the command line, such as {@code --server.port=8081}
	 */
	public static void main(String[] args) {
		SpringApplication.run(ChatApplication.class, args);
	}

}
