#!/usr/bin/env bash
# The official CycloneDX 1.6 and SPDX 2.3 JSON schemas, which the SBOM tests validate against.
# They ship inside the lib4sbom wheel (PyPI); only the schema files are extracted, to
# $HOME/.cache/palisade-ci/schemas/lib4sbom-<version>/{cyclonedx,spdx}/. Idempotent.
set -euo pipefail
version=0.10.4
dest="${PALISADE_SCHEMA_DIR:-$HOME/.cache/palisade-ci/schemas/lib4sbom-$version}"
if [[ -f "$dest/cyclonedx/bom-1.6.schema.json" && -f "$dest/spdx/2.3-schema.json" ]]; then
    exit 0
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 -m pip download --quiet --no-deps "lib4sbom==$version" -d "$work"
python3 - "$work"/lib4sbom-"$version"-*.whl "$dest" <<'PY'
import sys, zipfile, pathlib
wheel, dest = sys.argv[1], pathlib.Path(sys.argv[2])
wanted = {
    "lib4sbom/schemas/cyclonedx/bom-1.6.schema.json": "cyclonedx/bom-1.6.schema.json",
    "lib4sbom/schemas/cyclonedx/spdx.schema.json": "cyclonedx/spdx.schema.json",
    "lib4sbom/schemas/cyclonedx/jsf-0.82.schema.json": "cyclonedx/jsf-0.82.schema.json",
    "lib4sbom/schemas/spdx/2.3-schema.json": "spdx/2.3-schema.json",
}
with zipfile.ZipFile(wheel) as z:
    for member, target in wanted.items():
        path = dest / target
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(z.read(member))
PY
echo "sbom-schemas: $dest"
