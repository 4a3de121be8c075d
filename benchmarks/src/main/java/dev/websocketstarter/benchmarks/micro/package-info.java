/**
 * JMH benchmarks of the frame codec and an in-process multicast.
 */
@NullMarked
package dev.websocketstarter.benchmarks.micro;

import org.jspecify.annotations.NullMarked;
