//! Alpine, Wolfi and Chainguard packages: `lib/apk/db/installed`.

use palisade_core::Ecosystem;

use super::os::Distro;
use super::{Catalog, FileIndex, Installed, installed_since, paragraphs};
use crate::purl;

pub(super) const INSTALLED: &str = "lib/apk/db/installed";

pub(super) fn catalog(index: &FileIndex, distro: Option<&Distro>, catalog: &mut Catalog) {
    let Some((layer, text)) = index.text(INSTALLED) else {
        if index.files.contains_key(INSTALLED) {
            catalog
                .warnings
                .push(format!("/{INSTALLED}: not valid UTF-8; not read"));
        }
        return;
    };
    let ecosystem = distro
        .and_then(|d| d.ecosystem.clone())
        .filter(|e| {
            matches!(
                e,
                Ecosystem::Alpine(_) | Ecosystem::Wolfi | Ecosystem::Chainguard
            )
        })
        .unwrap_or_else(|| {
            catalog.warnings.push(format!(
                "/{INSTALLED}: apk packages but no Alpine, Wolfi or Chainguard release \
                 identified; they are listed but cannot be matched to advisories"
            ));
            Ecosystem::Alpine(None)
        });
    let namespace = distro.map_or("alpine", |d| d.namespace.as_str());
    let qualifier = distro.map_or("", |d| d.qualifier.as_str());
    let history = installed_since(index, INSTALLED, |text| {
        paragraphs(text)
            .iter()
            .filter_map(|p| Some((p.get("P")?.to_string(), p.get("V")?.to_string())))
            .collect()
    });
    for paragraph in paragraphs(text) {
        let (Some(name), Some(version)) = (paragraph.get("P"), paragraph.get("V")) else {
            continue;
        };
        let purl = purl::build(
            "apk",
            Some(namespace),
            name,
            Some(version),
            &[
                ("arch", paragraph.get("A").unwrap_or_default()),
                ("distro", qualifier),
            ],
        );
        let mut package = Installed {
            ecosystem: ecosystem.clone(),
            name,
            version,
            path: INSTALLED,
            line: paragraph.line_of("P"),
            layer: history(name, version).unwrap_or(layer),
        }
        .into_package(purl);
        // Alpine's secdb and OSV name the origin (source) package.
        package.source_name = Some(paragraph.get("o").unwrap_or(name).to_string());
        package.source_version = Some(version.to_string());
        catalog.packages.push(package);
    }
}
