/**
 * Model files: a trained synthesizer as a small set of named files (model.json with the
 * transformer's metadata, schema, hyperparameters and seed; weights.bin for CTGAN), versioned by
 * the hash of their content, and the schema check that keeps a model to the table it was trained
 * on. Storage-neutral: the Spark adapter writes the files through Hadoop's file system.
 */
package org.synthweave.synthesis.model;
