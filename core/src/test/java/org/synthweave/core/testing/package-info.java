/**
 * Test support shared by every module (published as core's test-jar): a shared local SparkSession
 * per test class, helpers to find the committed samples, and seeded mutations for fuzz tests.
 */
package org.synthweave.core.testing;
