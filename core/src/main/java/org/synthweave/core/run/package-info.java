/**
 * Run summaries: records in, out, quarantined and duplicates per stage and source file, checked to
 * balance, printed at the end of every job and appended to the _runs table.
 */
package org.synthweave.core.run;
