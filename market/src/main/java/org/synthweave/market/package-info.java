/**
 * The buyer's side of the market, Spark-free: {@link org.synthweave.market.CatalogSync} finds every
 * synthweave dataset listed on an Arweave gateway (GraphQL, from any publisher) and {@link
 * org.synthweave.market.ListingReader} reads each one's signed manifest and card into a {@link
 * org.synthweave.market.Listing}, verified or not with the reason; {@link
 * org.synthweave.market.GatewayListingSource} reads one listing again for its page and its preview
 * (files, fidelity plots, first rows of a hash-checked Parquet file). Listings come from anyone, so
 * every byte read is size-limited and every failure is a value, never a stop.
 */
package org.synthweave.market;
