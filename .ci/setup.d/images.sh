#!/usr/bin/env bash
# Image-scanning tests (crates/palisade/tests/image.rs) need real images and a real registry:
# debootstrap/umoci/skopeo/Go build them (scripts/build-test-images.sh, cached under
# $HOME/.cache/palisade-ci/images/), Debian's docker-registry serves them on 127.0.0.1.
# Idempotent: installs only what is missing, builds only when the cache is absent.
set -euo pipefail
cd "$(dirname "$0")/../.."

missing=()
command -v debootstrap >/dev/null 2>&1 || missing+=(debootstrap)
command -v umoci >/dev/null 2>&1 || missing+=(umoci)
command -v skopeo >/dev/null 2>&1 || missing+=(skopeo)
command -v go >/dev/null 2>&1 || missing+=(golang-go)
command -v docker-registry >/dev/null 2>&1 || missing+=(docker-registry)
command -v htpasswd >/dev/null 2>&1 || missing+=(apache2-utils)
if [ "${#missing[@]}" -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
  # The package starts a registry on :5000 as a service; tests run their own.
  if command -v systemctl >/dev/null 2>&1; then
    systemctl disable --now docker-registry >/dev/null 2>&1 || true
  fi
fi

bash scripts/build-test-images.sh
