/**
 * The RFC 6455 §5 frame layer: {@link io.github.wsrobustness.frame.Frame} (anything the wire
 * allows, legal or not), a permissive {@link io.github.wsrobustness.frame.FrameWriter}, a strict
 * {@link io.github.wsrobustness.frame.FrameReader} that reports every violation of a server's
 * frames, and the protocol's constants.
 */
package io.github.wsrobustness.frame;
