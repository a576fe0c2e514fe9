/**
 * The conformance catalogue: RFC 6455 cases as data, the rules that judge them, and the report.
 *
 * <ul>
 *   <li>The cases: {@link io.github.wsrobustness.catalog.AutobahnCases} (Autobahn|Testsuite's
 *       server cases, same ids), each a {@link io.github.wsrobustness.catalog.CatalogueCase} with a
 *       script of {@link io.github.wsrobustness.catalog.Step}s and an {@link
 *       io.github.wsrobustness.catalog.Expectation}. Data only: no I/O.
 *   <li>The verdict rules: {@link io.github.wsrobustness.catalog.VerdictRules}, pure functions from
 *       an {@link io.github.wsrobustness.catalog.Observation} to a {@link
 *       io.github.wsrobustness.catalog.Judgement}. {@code Observation}, {@code Received} and {@code
 *       VerdictRules} are the runner's contract with the rules: public so that the runner (in the
 *       root package) can use them, with no compatibility promise.
 *   <li>What users touch: {@link io.github.wsrobustness.catalog.CatalogueCases} and {@link
 *       io.github.wsrobustness.catalog.Waive} to choose and waive, {@link
 *       io.github.wsrobustness.catalog.CaseResult} and {@link
 *       io.github.wsrobustness.catalog.Verdict} to read results, {@link
 *       io.github.wsrobustness.catalog.CatalogueReport} to write them.
 * </ul>
 *
 * <p>The cases run through the root package's {@code Catalogue}, injected by the {@code
 * WebSocketRobustness} extension (this package does not depend on that one).
 */
package io.github.wsrobustness.catalog;
