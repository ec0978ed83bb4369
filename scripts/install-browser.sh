#!/usr/bin/env bash
# Installs Debian's Chromium and ChromeDriver for the market page's browser tests
# (org.synthweave.market.browser.HeadlessChromium runs this once per JVM when either is missing).
# Idempotent: does nothing when /usr/bin/chromium and /usr/bin/chromedriver are both there.
# Test tools' own browser downloads are refused on this project's machines; Debian's packages are not.
set -euo pipefail

CHROMIUM=/usr/bin/chromium
CHROMEDRIVER=/usr/bin/chromedriver

if [[ -x "$CHROMIUM" && -x "$CHROMEDRIVER" ]]; then
  echo "install-browser: $CHROMIUM and $CHROMEDRIVER already installed"
  exit 0
fi

if [[ "$(id -u)" -ne 0 ]]; then
  echo "install-browser: $CHROMIUM or $CHROMEDRIVER is missing and this script is not running as root," >&2
  echo "  so it cannot install them. Fix: run 'sudo scripts/install-browser.sh' once" >&2
  echo "  (or 'sudo apt-get install -y chromium chromium-driver'), then run the tests again." >&2
  exit 2
fi

export DEBIAN_FRONTEND=noninteractive
install() {
  apt-get install -y --no-install-recommends chromium chromium-driver
}

echo "install-browser: installing Debian's chromium and chromium-driver"
if ! install; then
  # A fresh machine's package index can be stale or empty: refresh it once and try again.
  echo "install-browser: install failed; running apt-get update and trying once more" >&2
  apt-get update
  install
fi

for bin in "$CHROMIUM" "$CHROMEDRIVER"; do
  if [[ ! -x "$bin" ]]; then
    echo "install-browser: apt-get finished but $bin is still missing." >&2
    echo "  Fix: check 'apt-cache policy chromium chromium-driver' for a Debian source that has them." >&2
    exit 3
  fi
done
"$CHROMIUM" --version || true
"$CHROMEDRIVER" --version || true
