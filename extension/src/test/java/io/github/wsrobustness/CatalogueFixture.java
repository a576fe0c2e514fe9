package io.github.wsrobustness;

import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.TestFactory;

/**
 * The one line a user writes, for the catalogue's fixture classes: each extends it and says, by its
 * annotations, which server, which cases and which settings.
 */
abstract class CatalogueFixture {
  @TestFactory
  Stream<DynamicNode> autobahn(Catalogue catalogue) {
    return catalogue.tests();
  }
}
