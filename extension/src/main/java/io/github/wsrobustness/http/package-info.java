/**
 * The HTTP of the opening handshake (RFC 6455 §4): {@link
 * io.github.wsrobustness.http.HandshakeRequest}, the request as a value a test varies one thing at
 * a time, and {@link io.github.wsrobustness.http.HttpStatus}, the statuses and classes of statuses
 * an answer is judged by. Like {@code frame}, it depends on nothing else of the library, so that
 * the catalogue's cases can hold requests as data.
 */
package io.github.wsrobustness.http;
