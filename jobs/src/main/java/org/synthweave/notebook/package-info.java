/**
 * The helper API of the analysts' notebooks (notebooks/*.ipynb, run by a Java kernel with the
 * project jar on its classpath): {@link org.synthweave.notebook.Workbench} opens the warehouse and
 * reads its tables by name, runs SQL, searches the vector indexes and the market, and fetches and
 * verifies a published dataset; {@link org.synthweave.notebook.Charts} draws PNG charts the kernel
 * shows inline, {@link org.synthweave.notebook.Html} HTML tables.
 *
 * <p>Everything that Spark runs lives here, compiled into the jar, because lambdas defined in a
 * notebook cell cannot be shipped to executors. Each method reuses what the matching command does
 * ({@code synthweave sql}, {@code search}, {@code market search}, {@code market get}, {@code
 * evaluate-synthetic}), so a notebook and the command line agree.
 */
package org.synthweave.notebook;
