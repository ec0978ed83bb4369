/**
 * Run summaries: records in, out, quarantined and duplicates per stage and source file, checked to
 * balance, printed at the end of every job and appended to the _runs table; and the lineage a stage
 * records in the Delta commit it makes (what it read, at which version).
 */
package org.synthweave.core.run;
