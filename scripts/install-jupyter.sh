#!/usr/bin/env bash
# Installs Debian's Jupyter for the notebooks: the classic notebook server (`jupyter notebook`) and
# nbconvert (`jupyter nbconvert --execute`, which runs notebooks headless). `synthweave notebook` and
# the jobs module's NotebooksTest run this once when /usr/bin/jupyter-notebook or
# /usr/bin/jupyter-nbconvert is missing. The Java kernel itself is not a Debian package: the build
# copies it to jobs/target/notebook-lib/ and `synthweave notebook` writes its kernel spec.
# Idempotent: does nothing when both are there. We use Debian's Python (/usr/bin/python3) on
# purpose, by absolute paths, so that a pyenv or virtualenv python3 on PATH does not get in the way.
set -euo pipefail

NOTEBOOK=/usr/bin/jupyter-notebook
NBCONVERT=/usr/bin/jupyter-nbconvert
PACKAGES=(jupyter-notebook jupyter-nbconvert)

if [[ -x "$NOTEBOOK" && -x "$NBCONVERT" ]]; then
  echo "install-jupyter: $NOTEBOOK and $NBCONVERT already installed"
  exit 0
fi

if [[ "$(id -u)" -ne 0 ]]; then
  echo "install-jupyter: $NOTEBOOK or $NBCONVERT is missing and this script is not running as root," >&2
  echo "  so it cannot install them. Fix: run 'sudo scripts/install-jupyter.sh' once" >&2
  echo "  (or 'sudo apt-get install -y ${PACKAGES[*]}'), then run the command again." >&2
  exit 2
fi

export DEBIAN_FRONTEND=noninteractive
install() {
  apt-get install -y --no-install-recommends "${PACKAGES[@]}"
}

echo "install-jupyter: installing Debian's ${PACKAGES[*]}"
if ! install; then
  # A fresh machine's package index can be stale or empty: refresh it once and try again.
  echo "install-jupyter: install failed; running apt-get update and trying once more" >&2
  apt-get update
  install
fi

for bin in "$NOTEBOOK" "$NBCONVERT"; do
  if [[ ! -x "$bin" ]]; then
    echo "install-jupyter: apt-get finished but $bin is still missing." >&2
    echo "  Fix: check 'apt-cache policy ${PACKAGES[*]}' for a Debian source that has them." >&2
    exit 3
  fi
done
/usr/bin/jupyter --version || true
