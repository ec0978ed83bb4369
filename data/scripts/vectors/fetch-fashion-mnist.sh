#!/usr/bin/env bash
# Fetches Fashion-MNIST (ann-benchmarks' fashion-mnist-784-euclidean: 60,000 + 10,000 images of
# 28x28 bytes, with labels; MIT) from Debian's dataset-fashion-mnist package into
# data/bench/fashion-mnist/ (idx format, gzipped). Needs apt-get and dpkg; idempotent.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
out="${root}/data/bench/fashion-mnist"
if [ -f "${out}/t10k-labels-idx1-ubyte.gz" ] && [ -f "${out}/train-images-idx3-ubyte.gz" ]; then
  exit 0
fi
mkdir -p "${out}"
work="$(mktemp -d)"
trap 'rm -rf "${work}"' EXIT
cd "${work}"
apt-get download dataset-fashion-mnist >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get download dataset-fashion-mnist >/dev/null; }
dpkg -x dataset-fashion-mnist_*.deb x
cp x/usr/share/datasets/fashion-mnist/*.gz "${out}/"
ls "${out}"
