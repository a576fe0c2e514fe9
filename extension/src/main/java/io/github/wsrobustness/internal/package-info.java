/**
 * Plumbing behind the public API: the JUnit extension and its settings, the handshake (reading the
 * HTTP answer and checking the upgrade), the transcript, the process launcher, TLS and delivery
 * helpers.
 *
 * <p>No compatibility promise: anything here may change in any release.
 */
package io.github.wsrobustness.internal;
