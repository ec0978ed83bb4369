package org.synthweave.jobs;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.synthweave.arweave.tx.Tag;

/**
 * The license of a published dataset as Arweave tools read it: per ANS-105, the {@code License} tag
 * holds the transaction id of a license definition, here the Universal Data License (UDL), and the
 * UDL's terms are tags of their own. A term left out is not granted (the UDL's defaults: copy and
 * display, no commercial use, no derivative works). The SPDX id stays in the dataset card.
 *
 * @param commercialUse the Commercial-Use term, or null
 * @param derivation the Derivation term, or null
 * @param dataModelTraining the Data-Model-Training term, or null
 * @param licenseFee the License-Fee term (e.g. {@code One-Time-0.5}), or null for no fee
 * @param currency the Currency of the fee; tagged only with a fee
 */
record UdlTerms(
    String commercialUse,
    String derivation,
    String dataModelTraining,
    String licenseFee,
    String currency) {

  /** Transaction id of the Universal Data License definition on Arweave mainnet. */
  static final String UDL_TX_ID = "yRj4a5KMctX_uOmKWCFJIjmY8DeJcusVk6-HzLiM_t8";

  private static final String FEE = "(One-Time|Monthly)-[0-9]+(\\.[0-9]+)?";
  static final Pattern COMMERCIAL_USE =
      Pattern.compile("Allowed|Allowed-With-Credit|Allowed-With-Fee-" + FEE);
  static final Pattern DERIVATION =
      Pattern.compile(
          "Allowed-With-Credit|Allowed-With-Indication|Allowed-With-License-Passthrough"
              + "|Allowed-With-RevenueShare-[0-9]+(\\.[0-9]+)?%");
  // The UDL defines no credit form for training: it is allowed, allowed for a fee, or not granted.
  static final Pattern DATA_MODEL_TRAINING = Pattern.compile("Allowed|Allowed-With-Fee-" + FEE);
  static final Pattern LICENSE_FEE = Pattern.compile(FEE);
  static final Pattern CURRENCY = Pattern.compile("[A-Za-z$][A-Za-z0-9$]{0,15}");

  /** The License tag and the terms that are set, in that order. */
  List<Tag> tags() {
    List<Tag> tags = new ArrayList<>();
    tags.add(Tag.of("License", UDL_TX_ID));
    add(tags, "Commercial-Use", commercialUse);
    add(tags, "Derivation", derivation);
    add(tags, "Data-Model-Training", dataModelTraining);
    if (licenseFee != null) {
      tags.add(Tag.of("License-Fee", licenseFee));
      add(tags, "Currency", currency);
    }
    return tags;
  }

  private static void add(List<Tag> tags, String name, String value) {
    if (value != null) {
      tags.add(Tag.of(name, value));
    }
  }

  /**
   * The terms closest to SPDX license {@code spdx} that grant no more than it does: an open license
   * without a non-commercial clause allows commercial use with credit and training, a share-alike
   * one passes its license on to derivative works, a no-derivatives one allows none; any other
   * license (UNLICENSED, proprietary, unknown) grants nothing beyond the UDL's defaults.
   *
   * @return {commercial use, derivation, data model training}, each possibly null
   */
  static String[] fromSpdx(String spdx) {
    String id = spdx.toUpperCase(Locale.ROOT);
    if (id.equals("CC0-1.0") || id.equals("PDDL-1.0") || id.equals("UNLICENSE")) {
      return new String[] {"Allowed", "Allowed-With-Indication", "Allowed"};
    }
    boolean attribution =
        id.startsWith("CC-BY-")
            || id.equals("ODC-BY-1.0")
            || id.equals("ODBL-1.0")
            || id.equals("MIT")
            || id.equals("APACHE-2.0")
            || id.startsWith("BSD-")
            || id.startsWith("CDLA-PERMISSIVE")
            || id.startsWith("CDLA-SHARING");
    if (!attribution) {
      return new String[] {null, null, null};
    }
    boolean nonCommercial = id.contains("-NC");
    boolean noDerivatives = id.contains("-ND");
    boolean shareAlike =
        id.contains("-SA") || id.equals("ODBL-1.0") || id.startsWith("CDLA-SHARING");
    String derivation =
        noDerivatives
            ? null
            : shareAlike ? "Allowed-With-License-Passthrough" : "Allowed-With-Credit";
    return new String[] {
      nonCommercial ? null : "Allowed-With-Credit",
      derivation,
      nonCommercial || noDerivatives ? null : "Allowed"
    };
  }
}
