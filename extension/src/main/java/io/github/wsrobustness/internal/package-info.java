/**
 * Plumbing behind the public API: the transcript, the handshake, TLS and delivery helpers.
 *
 * <p>No compatibility promise: anything here may change in any release.
 */
package io.github.wsrobustness.internal;
