#!/usr/bin/env bash
# RPM-database tests (crates/palisade/tests/rpm.rs) build real packages with rpmbuild and
# install them into a real SQLite rpmdb with `rpm --justdb`; sqlite3 writes the SQLite-reader
# fixtures. Idempotent: installs only what is missing.
set -euo pipefail
missing=()
command -v rpmbuild >/dev/null 2>&1 || missing+=(rpm)
command -v sqlite3 >/dev/null 2>&1 || missing+=(sqlite3)
if [ "${#missing[@]}" -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
