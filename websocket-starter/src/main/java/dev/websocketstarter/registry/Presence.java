package dev.websocketstarter.registry;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * Who is subscribed to a subscription: its channels, cluster-wide, each with its user and
 * shared attributes, and how many distinct users they are (one user in two tabs is one
 * user, two channels).
 *
 * @param subscription the subscription
 * @param channels the number of channels subscribed
 * @param users the number of distinct users among them; a channel without a user counts
 * as a user of its own
 * @param members the channels listed, sorted by handle, at most as many as were asked for
 */
public record Presence(String subscription, int channels, int users, List<Member> members) {

	/**
	 * Create a presence, copying the members.
	 * @param subscription the subscription
	 * @param channels the number of channels subscribed
	 * @param users the number of distinct users
	 * @param members the channels listed
	 */
	public Presence {
		members = List.copyOf(members);
	}

	/**
	 * Count and list the members of a subscription.
	 * @param subscription the subscription
	 * @param members every channel subscribed, each once
	 * @param maxMembers the most members to list; 0 for the counts only
	 * @return the presence
	 */
	public static Presence of(String subscription, Collection<Member> members, int maxMembers) {
		Set<String> users = new HashSet<>();
		for (Member member : members) {
			users.add(member.userKey());
		}
		List<Member> listed = new ArrayList<>();
		if (maxMembers > 0) {
			listed.addAll(members);
			listed.sort(Comparator.comparing((Member member) -> member.channel().app())
				.thenComparing((member) -> member.channel().node())
				.thenComparingLong((member) -> member.channel().id()));
			if (listed.size() > maxMembers) {
				listed = listed.subList(0, maxMembers);
			}
		}
		return new Presence(subscription, members.size(), users.size(), listed);
	}

	/**
	 * One channel subscribed.
	 *
	 * @param channel the channel
	 * @param user the name of the principal who opened it, or {@code null}
	 * @param attributes its shared attributes, as text
	 */
	public record Member(Channel channel, @Nullable String user, Map<String, String> attributes) {

		/**
		 * Create a member, copying the attributes.
		 * @param channel the channel
		 * @param user the user, or {@code null}
		 * @param attributes its shared attributes
		 */
		public Member {
			attributes = Map.copyOf(attributes);
		}

		/**
		 * Who the member is when users are counted: its user, or its channel when it has
		 * none.
		 * @return the key
		 */
		public String userKey() {
			return (this.user != null) ? "u:" + this.user : "c:" + this.channel;
		}

	}

}
