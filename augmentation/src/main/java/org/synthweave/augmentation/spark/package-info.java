/**
 * The Spark adapter of the augment stage: {@link
 * org.synthweave.augmentation.spark.SparkAugmentation} plans and writes one dataset; the tabular
 * and time-series ops are built-in Spark SQL expressions (hashed draws, windows, joins) so RAPIDS
 * can run them, the text and image ops wrap the plain-Java ops of the sibling packages in UDFs.
 */
package org.synthweave.augmentation.spark;
