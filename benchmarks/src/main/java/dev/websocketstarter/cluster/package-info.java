/**
 * Diagnostics of the starter's cluster package, placed in it to reach its package-private
 * classes.
 */
@NullMarked
package dev.websocketstarter.cluster;

import org.jspecify.annotations.NullMarked;
