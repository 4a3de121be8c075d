/**
 * Scale-out: several nodes act as one through Redis pub/sub, with cluster-wide
 * subscriptions kept in Redis under a per-node heartbeat.
 */
@NullMarked
package dev.websocketstarter.cluster;

import org.jspecify.annotations.NullMarked;
