/**
 * Measurements of the market's search, kept apart from the code they measure: {@link
 * org.synthweave.market.bench.RankingEval} is the known-item evaluation of {@link
 * org.synthweave.market.CatalogSearch}'s three rankings on real dataset metadata; {@link
 * org.synthweave.market.bench.DebianPackages} turns Debian's package index (real, offline metadata
 * text) into listings and queries, and {@link org.synthweave.market.bench.SearchBench} times {@link
 * org.synthweave.market.CatalogSearch} over them. {@code synthweave bench market} runs them and
 * prints one JSON line; they assert nothing.
 */
package org.synthweave.market.bench;
