package org.synthweave.synthesis;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.synthweave.core.config.ConfigKey;
import org.synthweave.core.config.Settings;
import org.synthweave.synthesis.ctgan.CtganOptions;
import org.synthweave.synthesis.data.Relation;
import org.synthweave.synthesis.train.TrainingSchedule;
import org.synthweave.synthesis.tvae.TvaeOptions;

/**
 * Every configuration key of the synthesis stage, with its documented default (CTGAN's follow the
 * paper, TVAE's SDV), and the typed view the synthesis jobs use.
 */
public record SynthesisConfig(
    String synthesizer,
    List<String> tables,
    long rows,
    long seed,
    List<String> excludeColumns,
    List<Relation> relations,
    int categoricalMaxDistinct,
    int maxCategories,
    int samplePartitions,
    int trainPartitions,
    long localMaxRows,
    int roundsPerEpoch,
    int torchThreads,
    int checkpointEvery,
    CtganOptions ctgan,
    String target,
    Map<String, String> tableTargets,
    TrainingSchedule.Options schedule,
    double validationShare,
    double targetConditionShare,
    List<String> autoCandidates,
    double autoValidationShare,
    double autoTimeBudgetSeconds,
    TvaeOptions tvae)
    implements Serializable {

  private static final CtganOptions D = CtganOptions.DEFAULTS;
  private static final TvaeOptions V = TvaeOptions.DEFAULTS;

  /** The synthesizers a user can name; {@code auto} trains the candidates and keeps the best. */
  public static final List<String> SYNTHESIZERS = List.of("auto", "ctgan", "tvae", "copula");

  /** Prefix of the per-table keys, {@code synth.table.<name>.target}. */
  public static final String TABLE_PREFIX = "synth.table.";

  public static final ConfigKey<String> SYNTHESIZER =
      ConfigKey.string(
          "synth.synthesizer",
          "auto",
          "auto (train every synthesizer of synth.auto.candidates, score each on real rows none"
              + " of them trained on, keep the best), ctgan (the GAN of Xu et al. 2019), tvae (the"
              + " variational autoencoder of the same paper) or copula (Gaussian copula baseline).");
  public static final ConfigKey<String> TARGET =
      ConfigKey.string(
          "synth.target",
          "",
          "The label column a model will learn from the synthetic rows (per table:"
              + " synth.table.<name>.target). With a target the synthesizers condition on it in"
              + " training, CTGAN adds its auxiliary classifier, sampling keeps the real label"
              + " share, and auto judges candidates by TSTR too. Empty: none.");
  public static final ConfigKey<Integer> MIN_STEPS =
      ConfigKey.integer(
          "synth.train.min-steps",
          1000,
          "Optimizer steps a network trains at least before the validation signal may stop it"
              + " (CTGAN and TVAE, when their epochs are 0).");
  public static final ConfigKey<Integer> MAX_STEPS =
      ConfigKey.integer(
          "synth.train.max-steps", 10_000, "Optimizer steps a network trains at most.");
  public static final ConfigKey<Integer> STEPS_PER_ROUND =
      ConfigKey.integer(
          "synth.train.steps-per-round",
          200,
          "Steps between two validation scores (and checkpoints).");
  public static final ConfigKey<Integer> PATIENCE =
      ConfigKey.integer(
          "synth.train.patience",
          5,
          "Rounds without a better validation score after which training stops (the weights of"
              + " the best round are kept).");
  public static final ConfigKey<Double> TIME_BUDGET =
      ConfigKey.decimal(
          "synth.train.time-budget-s",
          600.0,
          "Seconds of training per network after which it stops at the end of the round; 0: no"
              + " budget.");
  public static final ConfigKey<Double> VALIDATION_SHARE =
      ConfigKey.decimal(
          "synth.train.validation-share",
          0.1,
          "Share of the real rows held out of training to score each round (at least 100 rows,"
              + " at most 5,000).");
  public static final ConfigKey<Double> TARGET_CONDITION_SHARE =
      ConfigKey.decimal(
          "synth.train.target-condition-share",
          0.5,
          "With a target: share of CTGAN's training conditions that are on the target (the rest"
              + " on a categorical column drawn uniformly, as in the paper).");
  public static final ConfigKey<List<String>> AUTO_CANDIDATES =
      ConfigKey.stringList(
          "synth.auto.candidates",
          List.of("copula", "ctgan", "tvae"),
          "Synthesizers synth.synthesizer = auto trains and compares.");
  public static final ConfigKey<Double> AUTO_VALIDATION_SHARE =
      ConfigKey.decimal(
          "synth.auto.validation-share",
          0.2,
          "Share of the real rows auto holds out of every candidate's training to score them.");
  public static final ConfigKey<Double> AUTO_TIME_BUDGET =
      ConfigKey.decimal(
          "synth.auto.time-budget-s",
          1200.0,
          "Seconds of network training auto spends on its candidates together: each network"
              + " candidate trains at most the budget left divided by the networks still to train"
              + " (and at most synth.train.time-budget-s); 0: no budget beyond each network's.");
  public static final ConfigKey<List<String>> TABLES =
      ConfigKey.stringList(
          "synth.tables",
          List.of(),
          "Tables `synthweave run` synthesizes (e.g. silver/telco_churn), each into"
              + " gold/<name>_synthetic; empty: run skips synthesis.");
  public static final ConfigKey<Long> ROWS =
      ConfigKey.longKey(
          "synth.rows", 0, "Rows to sample per table; 0: as many as the source table has.");
  public static final ConfigKey<Long> SEED =
      ConfigKey.longKey(
          "synth.seed",
          42,
          "Seed of training and sampling: the same seed, data and settings give the same model"
              + " and rows.");
  public static final ConfigKey<List<String>> EXCLUDE_COLUMNS =
      ConfigKey.stringList(
          "synth.exclude-columns",
          List.of(),
          "Columns left out of the model (besides provenance columns and unsupported types).");
  public static final ConfigKey<List<String>> RELATIONS =
      ConfigKey.stringList(
          "synth.relations",
          List.of(),
          "Declared products between numeric columns, each 'target = a * b' (e.g. total_charges ="
              + " tenure * monthly_charges): the synthesizers model target / (a * b) and sampling"
              + " multiplies back, so sampled rows keep the rule as closely as the real rows do."
              + " Where a * b is 0 or missing the target is modelled as missing.");
  public static final ConfigKey<Integer> CATEGORICAL_MAX_DISTINCT =
      ConfigKey.integer(
          "synth.categorical-max-distinct",
          10,
          "An integer column with at most this many distinct values is modelled as categorical;"
              + " with more, as continuous. Strings and booleans are always categorical.");
  public static final ConfigKey<Integer> MAX_CATEGORIES =
      ConfigKey.integer(
          "synth.max-categories",
          500,
          "A string column with more distinct values (an id, free text) is left out of the model"
              + " with a note.");
  public static final ConfigKey<Integer> SAMPLE_PARTITIONS =
      ConfigKey.integer(
          "synth.sample.partitions",
          4,
          "Tasks that sample in parallel; each draws its share with seed (seed, partition), so"
              + " the output depends on this value, not on the cluster.");
  public static final ConfigKey<Integer> TRAIN_PARTITIONS =
      ConfigKey.integer(
          "synth.train.partitions",
          1,
          "Data-parallel copies of CTGAN: 1 trains on the driver (tables up to"
              + " synth.train.local-max-rows); N > 1 trains one copy per partition on the"
              + " executors and averages them each round.");
  public static final ConfigKey<Long> LOCAL_MAX_ROWS =
      ConfigKey.longKey(
          "synth.train.local-max-rows",
          200_000,
          "Largest table trained on the driver alone; bigger tables need synth.train.partitions"
              + " > 1.");
  public static final ConfigKey<Integer> ROUNDS_PER_EPOCH =
      ConfigKey.integer(
          "synth.train.rounds-per-epoch",
          1,
          "Weight-averaging rounds per epoch in data-parallel training (each round is one Spark"
              + " job; each copy runs its share of the epoch's steps between rounds).");
  public static final ConfigKey<Integer> TORCH_THREADS =
      ConfigKey.integer(
          "synth.train.torch-threads",
          1,
          "PyTorch intra-op threads per JVM; with 1, Spark's task slots are the parallelism.");
  public static final ConfigKey<Integer> CHECKPOINT_EVERY =
      ConfigKey.integer(
          "synth.train.checkpoint-every",
          1,
          "Epochs between checkpoints; an interrupted training resumes from the last one.");
  public static final ConfigKey<Integer> EMBEDDING_DIM =
      ConfigKey.integer("synth.ctgan.embedding-dim", D.embeddingDim(), "Generator noise width.");
  public static final ConfigKey<List<String>> GENERATOR_DIMS =
      ConfigKey.stringList(
          "synth.ctgan.generator-dims",
          List.of("256", "256"),
          "Widths of the generator's residual layers.");
  public static final ConfigKey<List<String>> DISCRIMINATOR_DIMS =
      ConfigKey.stringList(
          "synth.ctgan.discriminator-dims",
          List.of("256", "256"),
          "Widths of the critic's hidden layers.");
  public static final ConfigKey<Integer> PAC =
      ConfigKey.integer("synth.ctgan.pac", D.pac(), "PacGAN: rows the critic judges together.");
  public static final ConfigKey<Integer> BATCH_SIZE =
      ConfigKey.integer(
          "synth.ctgan.batch-size",
          0,
          "Rows per step (a multiple of synth.ctgan.pac); 0: by the table's size, a tenth of its"
              + " training rows between 50 and 500 (the paper's 500 from 5,000 rows up).");
  public static final ConfigKey<Integer> EPOCHS =
      ConfigKey.integer(
          "synth.ctgan.epochs",
          0,
          "0: train by steps (synth.train.*) and stop on the validation signal; N > 0: the"
              + " paper's schedule, N epochs of rows / batch steps each, no early stop.");
  public static final ConfigKey<Double> GENERATOR_LR =
      ConfigKey.decimal("synth.ctgan.generator-lr", D.generatorLr(), "Adam learning rate of G.");
  public static final ConfigKey<Double> DISCRIMINATOR_LR =
      ConfigKey.decimal(
          "synth.ctgan.discriminator-lr", D.discriminatorLr(), "Adam learning rate of the critic.");
  public static final ConfigKey<Double> BETA1 =
      ConfigKey.decimal("synth.ctgan.beta1", D.beta1(), "Adam beta1.");
  public static final ConfigKey<Double> BETA2 =
      ConfigKey.decimal("synth.ctgan.beta2", D.beta2(), "Adam beta2.");
  public static final ConfigKey<Double> WEIGHT_DECAY =
      ConfigKey.decimal("synth.ctgan.weight-decay", D.weightDecay(), "Adam L2 weight decay.");
  public static final ConfigKey<Double> GRADIENT_PENALTY =
      ConfigKey.decimal("synth.ctgan.gradient-penalty", D.gradientPenalty(), "WGAN-GP lambda.");
  public static final ConfigKey<Double> GUMBEL_TAU =
      ConfigKey.decimal(
          "synth.ctgan.gumbel-tau",
          D.gumbelTau(),
          "Gumbel-softmax temperature of one-hot outputs.");
  public static final ConfigKey<Double> LEAKY_SLOPE =
      ConfigKey.decimal("synth.ctgan.leaky-slope", D.leakySlope(), "Critic LeakyReLU slope.");
  public static final ConfigKey<Double> DROPOUT =
      ConfigKey.decimal("synth.ctgan.dropout", D.dropout(), "Critic dropout probability.");
  public static final ConfigKey<Integer> DISCRIMINATOR_STEPS =
      ConfigKey.integer(
          "synth.ctgan.discriminator-steps",
          D.discriminatorSteps(),
          "Critic updates per generator update.");
  public static final ConfigKey<Integer> MAX_MODES =
      ConfigKey.integer(
          "synth.ctgan.max-modes", D.maxModes(), "Most Gaussian modes per continuous column.");
  public static final ConfigKey<Double> MODE_WEIGHT_THRESHOLD =
      ConfigKey.decimal(
          "synth.ctgan.mode-weight-threshold",
          D.modeWeightThreshold(),
          "Modes with a smaller mixture weight are dropped.");
  public static final ConfigKey<Double> POINT_MASS_SHARE =
      ConfigKey.decimal(
          "synth.ctgan.point-mass-share",
          D.pointMassShare(),
          "A value holding at least this share of a continuous column's non-null values (a"
              + " zero-inflated column's 0) is a mode of its own, generated exactly; 0 turns"
              + " point masses off.");

  public static final ConfigKey<String> CLASSIFIER_TARGET =
      ConfigKey.string(
          "synth.ctgan.classifier-target",
          D.classifierTarget(),
          "A categorical column (the label a model will learn) for CTAB-GAN's auxiliary"
              + " classifier: trained on real rows to predict it from the other columns, it adds"
              + " to the generator's loss the cross-entropy of each generated row's label under"
              + " that prediction. Empty (the default, as in the CTGAN paper) turns it off.");
  public static final ConfigKey<List<String>> CLASSIFIER_DIMS =
      ConfigKey.stringList(
          "synth.ctgan.classifier-dims",
          List.of("256", "256"),
          "Widths of the auxiliary classifier's hidden layers.");
  public static final ConfigKey<Double> CLASSIFIER_WEIGHT =
      ConfigKey.decimal(
          "synth.ctgan.classifier-weight",
          D.classifierWeight(),
          "Weight of the auxiliary classifier's cross-entropy in the generator's loss.");
  public static final ConfigKey<Integer> TVAE_EMBEDDING_DIM =
      ConfigKey.integer(
          "synth.tvae.embedding-dim",
          V.embeddingDim(),
          "TVAE's latent width. TVAE encodes rows with CTGAN's mode-specific normalization"
              + " (synth.ctgan.max-modes, mode-weight-threshold, point-mass-share) and trains on"
              + " the driver (tables up to synth.train.local-max-rows); its defaults are SDV's.");
  public static final ConfigKey<List<String>> TVAE_COMPRESS_DIMS =
      ConfigKey.stringList(
          "synth.tvae.compress-dims",
          List.of("128", "128"),
          "Widths of TVAE's encoder layers (ReLU).");
  public static final ConfigKey<List<String>> TVAE_DECOMPRESS_DIMS =
      ConfigKey.stringList(
          "synth.tvae.decompress-dims",
          List.of("128", "128"),
          "Widths of TVAE's decoder layers (ReLU).");
  public static final ConfigKey<Double> TVAE_L2SCALE =
      ConfigKey.decimal(
          "synth.tvae.l2scale", V.l2scale(), "Adam L2 weight decay of TVAE's encoder and decoder.");
  public static final ConfigKey<Integer> TVAE_BATCH_SIZE =
      ConfigKey.integer(
          "synth.tvae.batch-size",
          0,
          "Rows per TVAE step; 0: by the table's size, a tenth of its training rows between 50"
              + " and 500.");
  public static final ConfigKey<Integer> TVAE_EPOCHS =
      ConfigKey.integer(
          "synth.tvae.epochs",
          0,
          "0: train by steps (synth.train.*) and stop on the validation signal, as CTGAN does; N >"
              + " 0: SDV's schedule, N epochs (one pass over the rows each, rows / batch-size steps"
              + " rounded up), no early stop.");
  public static final ConfigKey<Double> TVAE_LOSS_FACTOR =
      ConfigKey.decimal(
          "synth.tvae.loss-factor",
          V.lossFactor(),
          "Weight of TVAE's reconstruction loss against its KL term.");
  public static final ConfigKey<Double> TVAE_LR =
      ConfigKey.decimal("synth.tvae.lr", V.lr(), "Adam learning rate of TVAE.");

  public static final List<ConfigKey<?>> KEYS =
      List.of(
          SYNTHESIZER,
          TABLES,
          ROWS,
          SEED,
          EXCLUDE_COLUMNS,
          RELATIONS,
          CATEGORICAL_MAX_DISTINCT,
          MAX_CATEGORIES,
          SAMPLE_PARTITIONS,
          TRAIN_PARTITIONS,
          LOCAL_MAX_ROWS,
          ROUNDS_PER_EPOCH,
          TORCH_THREADS,
          CHECKPOINT_EVERY,
          TARGET,
          MIN_STEPS,
          MAX_STEPS,
          STEPS_PER_ROUND,
          PATIENCE,
          TIME_BUDGET,
          VALIDATION_SHARE,
          TARGET_CONDITION_SHARE,
          AUTO_CANDIDATES,
          AUTO_VALIDATION_SHARE,
          AUTO_TIME_BUDGET,
          EMBEDDING_DIM,
          GENERATOR_DIMS,
          DISCRIMINATOR_DIMS,
          PAC,
          BATCH_SIZE,
          EPOCHS,
          GENERATOR_LR,
          DISCRIMINATOR_LR,
          BETA1,
          BETA2,
          WEIGHT_DECAY,
          GRADIENT_PENALTY,
          GUMBEL_TAU,
          LEAKY_SLOPE,
          DROPOUT,
          DISCRIMINATOR_STEPS,
          MAX_MODES,
          MODE_WEIGHT_THRESHOLD,
          POINT_MASS_SHARE,
          CLASSIFIER_TARGET,
          CLASSIFIER_DIMS,
          CLASSIFIER_WEIGHT,
          TVAE_EMBEDDING_DIM,
          TVAE_COMPRESS_DIMS,
          TVAE_DECOMPRESS_DIMS,
          TVAE_L2SCALE,
          TVAE_BATCH_SIZE,
          TVAE_EPOCHS,
          TVAE_LOSS_FACTOR,
          TVAE_LR);

  public static SynthesisConfig from(Settings s) {
    String synthesizer = s.get(SYNTHESIZER);
    if (!SYNTHESIZERS.contains(synthesizer)) {
      throw SynthesisErrors.unknownSynthesizer(synthesizer);
    }
    for (String c : s.get(AUTO_CANDIDATES)) {
      if (!SYNTHESIZERS.contains(c) || c.equals("auto")) {
        throw SynthesisErrors.badOption(
            AUTO_CANDIDATES.name(), s.get(AUTO_CANDIDATES), "'" + c + "' is no synthesizer");
      }
    }
    if (s.get(AUTO_CANDIDATES).isEmpty()) {
      throw SynthesisErrors.badOption(AUTO_CANDIDATES.name(), "[]", "it must name a synthesizer");
    }
    share(s, VALIDATION_SHARE, 0.5);
    share(s, AUTO_VALIDATION_SHARE, 0.5);
    if (!(s.get(AUTO_TIME_BUDGET) >= 0)) {
      throw SynthesisErrors.badOption(
          AUTO_TIME_BUDGET.name(), s.get(AUTO_TIME_BUDGET), "it must be >= 0 (0: none)");
    }
    share(s, TARGET_CONDITION_SHARE, 1);
    TrainingSchedule.Options schedule;
    try {
      schedule =
          new TrainingSchedule.Options(
              s.get(MIN_STEPS),
              s.get(MAX_STEPS),
              s.get(STEPS_PER_ROUND),
              s.get(PATIENCE),
              s.get(TIME_BUDGET));
    } catch (IllegalArgumentException e) {
      throw SynthesisErrors.badOption("synth.train.*", "", e.getMessage());
    }
    Map<String, String> tableTargets = new LinkedHashMap<>();
    s.withPrefix(TABLE_PREFIX)
        .forEach(
            (k, v) -> {
              if (!k.endsWith(".target") || k.length() == ".target".length()) {
                throw SynthesisErrors.badOption(
                    TABLE_PREFIX + k, v, "the only per-table key is synth.table.<name>.target");
              }
              tableTargets.put(k.substring(0, k.length() - ".target".length()), v.trim());
            });
    positive(s, CATEGORICAL_MAX_DISTINCT);
    positive(s, MAX_CATEGORIES);
    positive(s, SAMPLE_PARTITIONS);
    positive(s, TRAIN_PARTITIONS);
    positive(s, ROUNDS_PER_EPOCH);
    positive(s, TORCH_THREADS);
    positive(s, CHECKPOINT_EVERY);
    if (s.get(ROWS) < 0) {
      throw SynthesisErrors.badOption(ROWS.name(), s.get(ROWS), "it must be >= 0");
    }
    List<Relation> relations = new ArrayList<>();
    for (String r : s.get(RELATIONS)) {
      try {
        relations.add(Relation.parse(r));
      } catch (IllegalArgumentException e) {
        throw SynthesisErrors.badOption(RELATIONS.name(), r, e.getMessage());
      }
    }
    CtganOptions ctgan;
    try {
      ctgan =
          new CtganOptions(
              s.get(EMBEDDING_DIM),
              ints(s, GENERATOR_DIMS),
              ints(s, DISCRIMINATOR_DIMS),
              s.get(PAC),
              s.get(BATCH_SIZE),
              s.get(EPOCHS),
              s.get(GENERATOR_LR),
              s.get(DISCRIMINATOR_LR),
              s.get(BETA1),
              s.get(BETA2),
              s.get(WEIGHT_DECAY),
              s.get(GRADIENT_PENALTY),
              s.get(GUMBEL_TAU),
              s.get(LEAKY_SLOPE),
              s.get(DROPOUT),
              s.get(DISCRIMINATOR_STEPS),
              s.get(MAX_MODES),
              s.get(MODE_WEIGHT_THRESHOLD),
              s.get(POINT_MASS_SHARE),
              s.get(CLASSIFIER_TARGET),
              ints(s, CLASSIFIER_DIMS),
              s.get(CLASSIFIER_WEIGHT),
              0);
    } catch (IllegalArgumentException e) {
      throw SynthesisErrors.badOption("synth.ctgan.*", "", e.getMessage());
    }
    TvaeOptions tvae;
    try {
      tvae =
          new TvaeOptions(
              s.get(TVAE_EMBEDDING_DIM),
              ints(s, TVAE_COMPRESS_DIMS),
              ints(s, TVAE_DECOMPRESS_DIMS),
              s.get(TVAE_L2SCALE),
              s.get(TVAE_BATCH_SIZE),
              s.get(TVAE_EPOCHS),
              s.get(TVAE_LOSS_FACTOR),
              s.get(TVAE_LR));
    } catch (IllegalArgumentException e) {
      throw SynthesisErrors.badOption("synth.tvae.*", "", e.getMessage());
    }
    return new SynthesisConfig(
        synthesizer,
        s.get(TABLES),
        s.get(ROWS),
        s.get(SEED),
        s.get(EXCLUDE_COLUMNS),
        List.copyOf(relations),
        s.get(CATEGORICAL_MAX_DISTINCT),
        s.get(MAX_CATEGORIES),
        s.get(SAMPLE_PARTITIONS),
        s.get(TRAIN_PARTITIONS),
        s.get(LOCAL_MAX_ROWS),
        s.get(ROUNDS_PER_EPOCH),
        s.get(TORCH_THREADS),
        s.get(CHECKPOINT_EVERY),
        ctgan,
        s.get(TARGET).trim(),
        Map.copyOf(tableTargets),
        schedule,
        s.get(VALIDATION_SHARE),
        s.get(TARGET_CONDITION_SHARE),
        List.copyOf(s.get(AUTO_CANDIDATES)),
        s.get(AUTO_VALIDATION_SHARE),
        s.get(AUTO_TIME_BUDGET),
        tvae);
  }

  private static void share(Settings s, ConfigKey<Double> key, double max) {
    double v = s.get(key);
    if (!(v >= 0 && v <= max)) {
      throw SynthesisErrors.badOption(key.name(), v, "it must be in [0, " + max + "]");
    }
  }

  /**
   * The label column of {@code table} ({@code silver/x} or {@code x}): its {@code
   * synth.table.<x>.target}, else {@code synth.target}; empty when none.
   */
  public String targetOf(String table) {
    int slash = table.lastIndexOf('/');
    String name = slash < 0 ? table : table.substring(slash + 1);
    return tableTargets.getOrDefault(name, target);
  }

  private static void positive(Settings s, ConfigKey<Integer> key) {
    if (s.get(key) < 1) {
      throw SynthesisErrors.badOption(key.name(), s.get(key), "it must be >= 1");
    }
  }

  private static List<Integer> ints(Settings s, ConfigKey<List<String>> key) {
    List<Integer> out = new ArrayList<>();
    for (String v : s.get(key)) {
      try {
        out.add(Integer.parseInt(v.trim()));
      } catch (NumberFormatException e) {
        throw SynthesisErrors.badOption(key.name(), s.get(key), "it must list whole numbers");
      }
    }
    return out;
  }

  /** This configuration with another synthesizer (the command line's --synthesizer). */
  public SynthesisConfig withSynthesizer(String name) {
    if (!SYNTHESIZERS.contains(name)) {
      throw SynthesisErrors.unknownSynthesizer(name);
    }
    return copy(name, target, tableTargets, ctgan, schedule, samplePartitions);
  }

  /** This configuration with {@code column} as the target of every table (--target). */
  public SynthesisConfig withTarget(String column) {
    return copy(synthesizer, column.trim(), Map.of(), ctgan, schedule, samplePartitions);
  }

  /**
   * This configuration sampling in {@code partitions} tasks: the partition count is part of every
   * sampled row's seed and id, so a reproduction must use the one the rows were drawn with.
   */
  public SynthesisConfig withSamplePartitions(int partitions) {
    if (partitions < 1) {
      throw new IllegalArgumentException("partitions must be at least 1, not " + partitions);
    }
    return copy(synthesizer, target, tableTargets, ctgan, schedule, partitions);
  }

  /** This configuration with other CTGAN options (resolved for one table). */
  public SynthesisConfig withCtgan(CtganOptions o) {
    return copy(synthesizer, target, tableTargets, o, schedule, samplePartitions);
  }

  /**
   * This configuration with each network's training stopped after {@code seconds} at most (auto's
   * share of its budget); the configured budget stays when it is shorter.
   */
  public SynthesisConfig withTimeBudgetAtMost(double seconds) {
    double b = schedule.timeBudgetSeconds();
    double budget = b > 0 ? Math.min(b, seconds) : seconds;
    TrainingSchedule.Options o =
        new TrainingSchedule.Options(
            schedule.minSteps(),
            schedule.maxSteps(),
            schedule.stepsPerRound(),
            schedule.patience(),
            budget);
    return copy(synthesizer, target, tableTargets, ctgan, o, samplePartitions);
  }

  private SynthesisConfig copy(
      String name,
      String target,
      Map<String, String> targets,
      CtganOptions ctganOptions,
      TrainingSchedule.Options scheduleOptions,
      int partitions) {
    return new SynthesisConfig(
        name,
        tables,
        rows,
        seed,
        excludeColumns,
        relations,
        categoricalMaxDistinct,
        maxCategories,
        partitions,
        trainPartitions,
        localMaxRows,
        roundsPerEpoch,
        torchThreads,
        checkpointEvery,
        ctganOptions,
        target,
        targets,
        scheduleOptions,
        validationShare,
        targetConditionShare,
        autoCandidates,
        autoValidationShare,
        autoTimeBudgetSeconds,
        tvae);
  }
}
