/**
 * The augmentation benchmark: throughput of each op family against a plain copy of the same rows in
 * the same run (process CPU time, so a busy machine does not skew the ratio), and usefulness (train
 * on real + augmented, test on real) with a Spark MLlib classifier.
 */
package org.synthweave.augmentation.bench;
