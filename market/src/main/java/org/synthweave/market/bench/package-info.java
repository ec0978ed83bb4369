/**
 * Measurements of the market's search, kept apart from the code they measure: {@link
 * org.synthweave.market.bench.RankingEval} is the known-item evaluation of {@link
 * org.synthweave.market.CatalogSearch}'s three rankings on real dataset metadata.
 */
package org.synthweave.market.bench;
