/**
 * The augment stage's Spark-free heart: the catalogue of ops with their parameters ({@link
 * org.synthweave.augmentation.AugmentOp}), the per-dataset plan read from configuration ({@link
 * org.synthweave.augmentation.DatasetSpec}) and the stage's config keys and errors. The Spark
 * adapters live in {@code spark}, the plain-Java text and image ops in {@code text} and {@code
 * image}.
 */
package org.synthweave.augmentation;
