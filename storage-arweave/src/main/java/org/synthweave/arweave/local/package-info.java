/**
 * A local Arweave gateway (arlocal, from npm) run as a child process on loopback: a throw-away one
 * for tests and benchmarks, and a persistent one whose data lives in a folder of the warehouse, so
 * that {@code publish.gateway = local} works on a machine with nothing else running.
 */
package org.synthweave.arweave.local;
