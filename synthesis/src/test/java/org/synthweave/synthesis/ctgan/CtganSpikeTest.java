package org.synthweave.synthesis.ctgan;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.synthweave.synthesis.RealTables;
import org.synthweave.synthesis.data.DataTransformer;
import org.synthweave.synthesis.data.EncodedTable;

class CtganSpikeTest {
  @Test
  void spike() throws Exception {
    RealTables t = RealTables.load("telco-churn.csv");
    long t0 = System.nanoTime();
    DataTransformer tr = DataTransformer.fit(t.specs(), t.rows(), 10, 0.005);
    System.out.println(
        "fit " + (System.nanoTime() - t0) / 1e9 + " dim " + tr.dim() + " cond " + tr.condDim());
    EncodedTable enc = EncodedTable.encode(tr, t.rows(), new SplittableRandom(1));
    CtganOptions o = CtganOptions.DEFAULTS.withEpochs(3);
    var runner = CtganTrainer.localRunner(tr, o, enc, 7, 1);
    long c0 = java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
    t0 = System.nanoTime();
    ParamState s = CtganTrainer.train(tr, o, 7, runner, Checkpoint.NONE, 100, "telco", System.out);
    double wall = (System.nanoTime() - t0) / 1e9;
    System.out.println(
        "train wall "
            + wall
            + " cpu ms/row-epoch "
            + (java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime()
                    - c0)
                / 1e6
                / (3.0 * 7043));
    List<Object[]> rows = new CtganSampler(tr, o, s, 1).sample(5, 3, null);
    for (Object[] r : rows) System.out.println(java.util.Arrays.toString(r));
  }
}
