/**
 * The table catalog: every Delta table's name, path under the warehouse root and, where fixed, its
 * schema with column comments. Jobs and notebooks find tables only through here.
 */
package org.synthweave.core.catalog;
