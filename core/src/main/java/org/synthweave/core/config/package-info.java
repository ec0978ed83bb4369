/**
 * Typed configuration: keys with documented defaults, the registry of all known keys, and the
 * loader that resolves --set, --conf and the embedded conf/local.conf in one fixed order.
 */
package org.synthweave.core.config;
