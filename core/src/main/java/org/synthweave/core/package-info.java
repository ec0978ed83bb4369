/**
 * Core building blocks shared by every stage: content-hash ids and user-facing errors. Stage
 * modules depend on core and never on each other.
 */
package org.synthweave.core;
