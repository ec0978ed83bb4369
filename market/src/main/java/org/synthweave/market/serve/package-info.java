/**
 * {@code synthweave market serve}: the catalog as a web page and a JSON/Arrow API on Jetty 12 core
 * (its Handler API, no servlet container). Every listing text comes from an unknown publisher, so
 * everything that reaches a page goes through {@link org.synthweave.market.serve.Html#escape} and
 * the pages carry no script at all.
 */
package org.synthweave.market.serve;
