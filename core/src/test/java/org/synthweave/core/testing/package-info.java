/**
 * Test support shared by every module (published as core's test-jar): a shared local SparkSession
 * per test class and helpers to find the committed samples.
 */
package org.synthweave.core.testing;
