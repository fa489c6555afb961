# syntax=docker/dockerfile:1
#
# Palisade's container image: built from source in a Rust stage, shipped on distroless.
#
#   docker build -t palisade .
#   docker run --rm -v "$PWD:/work:ro" palisade scan /work/k8s --fail-on high
#
# The final stage is gcr.io/distroless/cc-debian12 (glibc and libgcc, which the binary links
# against; no shell, no package manager) running as its `nonroot` user (65532). Palisade
# needs nothing else at run time: TLS is rustls, compression is pure Rust or vendored.
#
# Base images are referenced by tag, not digest: a digest cannot be verified where this file
# is written (no registry access), and an unverified digest is worse than none. Pin them in
# your build (`docker buildx imagetools inspect gcr.io/distroless/cc-debian12:nonroot`) and
# let Renovate or Dependabot keep the pins current.

ARG RUST_VERSION=1.95

FROM docker.io/library/rust:${RUST_VERSION}-slim-bookworm AS builder
WORKDIR /src
COPY . .
RUN --mount=type=cache,target=/usr/local/cargo/registry \
    --mount=type=cache,target=/src/target \
    cargo build --release --locked -p palisade \
    && install -D -m 0755 target/release/palisade /out/palisade

FROM gcr.io/distroless/cc-debian12:nonroot
LABEL org.opencontainers.image.title="palisade" \
      org.opencontainers.image.description="Kubernetes supply-chain security scanner" \
      org.opencontainers.image.licenses="Apache-2.0"
COPY --from=builder /out/palisade /usr/local/bin/palisade
USER nonroot:nonroot
WORKDIR /work
ENTRYPOINT ["/usr/local/bin/palisade"]
CMD ["--help"]
