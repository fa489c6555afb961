#!/usr/bin/env bash
# Report-format tests: headless Chromium renders the HTML report (crates/palisade-report/tests/html.rs)
# and xmllint validates JUnit XML against the Jenkins JUnit XSD (tests/junit.rs).
# Idempotent: installs only what is missing.
set -euo pipefail

missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v xmllint >/dev/null 2>&1 || missing+=(libxml2-utils)
# A font so the screenshot has glyphs (Chromium renders boxes without any).
[ -e /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || missing+=(fonts-dejavu-core)

if [ "${#missing[@]}" -eq 0 ]; then
  echo "chromium, xmllint and fonts already installed"
  exit 0
fi

export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}"
chromium --version
xmllint --version 2>&1 | head -1
