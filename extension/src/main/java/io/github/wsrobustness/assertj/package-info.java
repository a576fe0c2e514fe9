/**
 * AssertJ assertions for outcomes, received frames, handshake responses and servers under test,
 * entered through {@link io.github.wsrobustness.assertj.WebSocketAssertions#assertThat}; soft
 * assertions through {@link io.github.wsrobustness.assertj.WebSocketSoftAssertions}.
 */
package io.github.wsrobustness.assertj;
