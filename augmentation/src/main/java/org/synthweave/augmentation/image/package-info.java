/**
 * Image augmentation without Spark on grayscale images of 8-bit pixels (Fashion-MNIST, or one
 * channel of Spark's image data source): rotation, reflection, crop-and-resize, translation,
 * Gaussian noise, brightness and contrast, each with its own seeded random numbers.
 */
package org.synthweave.augmentation.image;
