#!/usr/bin/env bash
# Renders notebooks as HTML (with their plots) into docs/notebooks/, for people who want to read
# them without running anything: executes them headless on the configured warehouse, which should
# be one of `bin/synthweave run` on the bundled samples (run that first).
#   scripts/render-notebooks.sh                                  # every notebooks/*.ipynb
#   scripts/render-notebooks.sh notebooks/00-kernel-check.ipynb  # just these
#   scripts/render-notebooks.sh --set warehouse=/tmp/wh ...      # options go before the files
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
opts=()
files=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --set|--conf) opts+=("$1" "$2"); shift 2 ;;
    *) files+=("$1"); shift ;;
  esac
done
exec "${root}/bin/synthweave" "${opts[@]}" notebook execute --html "${root}/docs/notebooks" "${files[@]}"
