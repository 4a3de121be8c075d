package dev.websocketstarter.internal.transport;

import org.jspecify.annotations.Nullable;

/**
 * The frames a writer hands to a {@link Connection}, taken one at a time.
 */
@FunctionalInterface
public interface FrameSource {

	/**
	 * The next frame, taken off the channel's queue and counted as sent.
	 * @return the frame, or {@code null} when none is left for this batch
	 */
	@Nullable OutboundFrame next();

}
