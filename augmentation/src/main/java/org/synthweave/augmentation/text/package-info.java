/**
 * Text augmentation without Spark: the EDA operations (synonym replacement, random insertion, swap
 * and deletion; Wei and Zou, 2019) plus sentence shuffling, with synonyms from WordNet 3.0's data
 * files, which {@link org.synthweave.augmentation.text.WordNetThesaurus} parses itself.
 */
package org.synthweave.augmentation.text;
