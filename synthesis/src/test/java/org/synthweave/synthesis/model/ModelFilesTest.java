package org.synthweave.synthesis.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.synthweave.synthesis.Fidelity;
import org.synthweave.synthesis.RealTables;
import org.synthweave.synthesis.ctgan.CtganModel;
import org.synthweave.synthesis.ctgan.CtganNetwork;
import org.synthweave.synthesis.ctgan.CtganOptions;
import org.synthweave.synthesis.data.DataTransformer;
import org.synthweave.synthesis.tvae.TvaeModel;
import org.synthweave.synthesis.tvae.TvaeOptions;
import org.synthweave.synthesis.tvae.TvaeTrainer;

/**
 * Model files of a CTGAN whose columns have point masses and that trained with an auxiliary
 * classifier, and of one written before either existed.
 */
class ModelFilesTest {

  @Test
  void pointMassesSurviveTheModelFileAndOlderFilesReadWithoutThem() throws Exception {
    RealTables credit = RealTables.load("credit-data.csv");
    CtganOptions d = CtganOptions.DEFAULTS.withEpochs(1);
    CtganOptions options =
        new CtganOptions(
            d.embeddingDim(),
            d.generatorDims(),
            d.discriminatorDims(),
            d.pac(),
            d.batchSize(),
            d.epochs(),
            d.generatorLr(),
            d.discriminatorLr(),
            d.beta1(),
            d.beta2(),
            d.weightDecay(),
            d.gradientPenalty(),
            d.gumbelTau(),
            d.leakySlope(),
            d.dropout(),
            d.discriminatorSteps(),
            d.maxModes(),
            d.modeWeightThreshold(),
            d.pointMassShare(),
            "Status",
            List.of(64),
            0.5,
            0.5);
    DataTransformer t =
        DataTransformer.fit(
            credit.specs(), credit.rows(), 10, 0.005, CtganOptions.DEFAULTS.pointMassShare());
    CtganModel model =
        new CtganModel(
            t, options, CtganNetwork.initialState(t, options, new SplittableRandom(4)), 1);
    Map<String, byte[]> files = ModelFiles.encode(model, "credit_data", 4, 1);
    CtganModel back = (CtganModel) ModelFiles.decode(files, "mem", 1).model();
    assertEquals(t, back.transformer());
    assertEquals(0.1, back.options().pointMassShare());
    assertEquals("Status", back.options().classifierTarget());
    assertEquals(List.of(64), back.options().classifierDims());
    assertEquals(0.5, back.options().classifierWeight());
    // The classifier only shapes training: the model file keeps the generator alone.
    assertEquals(
        List.of(), back.generator().names().stream().filter(n -> !n.startsWith("g.")).toList());
    int debt = Fidelity.index(credit.specs(), "Debt");
    assertArrayEquals(
        new double[] {0}, back.transformer().columns().get(debt).continuous().points());
    List<Object[]> a = model.sample(200, 9, null);
    List<Object[]> b = back.sample(200, 9, null);
    for (int i = 0; i < a.size(); i++) {
      assertArrayEquals(a.get(i), b.get(i));
    }

    // A file from before point masses and the classifier: no "points" per column and no
    // "pointMassShare", "classifierTarget" or "classifierDims" option.
    DataTransformer plain = DataTransformer.fit(credit.specs(), credit.rows(), 10, 0.005, 0);
    CtganModel old =
        new CtganModel(plain, d, CtganNetwork.initialState(plain, d, new SplittableRandom(4)), 1);
    Map<String, byte[]> oldFiles = new HashMap<>(ModelFiles.encode(old, "credit_data", 4, 1));
    String json = new String(oldFiles.get(ModelFiles.MODEL_JSON), StandardCharsets.UTF_8);
    String stripped =
        json.replaceAll(",\\s*\"points\"\\s*:\\s*\\[\\s*\\]", "")
            .replaceAll(",\\s*\"pointMassShare\"\\s*:\\s*[0-9.]+", "")
            .replaceAll(",\\s*\"classifierTarget\"\\s*:\\s*\"\"", "")
            .replaceAll(",\\s*\"classifierDims\"\\s*:\\s*\\[[0-9, ]*\\]", "")
            .replaceAll(",\\s*\"classifierWeight\"\\s*:\\s*[0-9.]+", "");
    assertEquals(-1, stripped.indexOf("point"), "the file still names point masses");
    assertEquals(-1, stripped.indexOf("classifier"), "the file still names the classifier");
    oldFiles.put(ModelFiles.MODEL_JSON, stripped.getBytes(StandardCharsets.UTF_8));
    CtganModel read = (CtganModel) ModelFiles.decode(oldFiles, "mem", 1).model();
    assertEquals(plain, read.transformer());
    assertEquals(0.0, read.options().pointMassShare());
    assertEquals("", read.options().classifierTarget());
    assertEquals(List.of(256, 256), read.options().classifierDims());
  }

  @Test
  void aTvaeModelSurvivesItsFilesWithTheDecoderAlone() throws Exception {
    RealTables credit = RealTables.load("credit-data.csv");
    DataTransformer t = DataTransformer.fit(credit.specs(), credit.rows(), 10, 0.005, 0.1);
    TvaeOptions options = new TvaeOptions(16, List.of(32), List.of(24, 24), 1e-5, 100, 7, 2, 1e-3);
    TvaeModel model = new TvaeModel(t, options, TvaeTrainer.initialState(t, options, 4), 1);
    Map<String, byte[]> files = ModelFiles.encode(model, "credit_data", 4, 7);
    ModelFiles.Loaded loaded = ModelFiles.decode(files, "mem", 1);
    assertEquals("tvae", loaded.info().kind());
    assertEquals(7, loaded.info().epochs());
    TvaeModel back = (TvaeModel) loaded.model();
    assertEquals(t, back.transformer());
    assertEquals(options, back.options());
    // The encoder and the Adam moments only serve training: the file keeps the decoder.
    assertEquals(
        List.of(), back.decoder().names().stream().filter(n -> !n.startsWith("d.")).toList());
    assertTrue(back.decoder().has("d.sigma"));
    List<Object[]> a = model.sample(300, 9, null);
    List<Object[]> b = back.sample(300, 9, null);
    for (int i = 0; i < a.size(); i++) {
      assertArrayEquals(a.get(i), b.get(i));
    }
    assertEquals(loaded.info().version(), ModelFiles.decode(files, "mem", 1).info().version());
  }
}
