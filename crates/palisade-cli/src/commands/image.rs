//! `palisade image`: pull or open an image, stream its layers into the package catalogers,
//! match the packages against the vulnerability database, and report secrets left in layers.

use std::path::PathBuf;
use std::time::Instant;

use anyhow::Context;
use clap::Args;
use palisade_core::Location;
use palisade_image::source::{OpenedImage, RegistryClient, open_local};
use palisade_image::{
    BaseSplit, FileSink, ImageReference, ImageScan, Platform, ScanOptions, Want, layer_ref,
    scan_image, secret_finding,
};
use palisade_pkg::rootfs::{Catalog, FileIndex, Interest, catalog, interest};
use palisade_vuln::Subject;

use super::registry::RegistryArgs;
use super::vulns::{self, Scanned, VulnArgs};
use crate::Outcome;

#[derive(Debug, Args)]
pub struct ImageArgs {
    /// Image reference (`nginx:1.25`, `registry:5000/team/app@sha256:…`), or with `--input`,
    /// the image to pick inside an archive or layout that holds several.
    #[arg(value_name = "REF", required_unless_present = "input")]
    pub reference: Option<String>,
    #[command(flatten)]
    pub source: ImageSource,
    /// Treat the first N layers as the base image (default: told from the image history).
    #[arg(long, value_name = "N")]
    pub base_layers: Option<usize>,
    /// Do not search image files for secrets.
    #[arg(long)]
    pub no_secrets: bool,
    #[command(flatten)]
    pub vuln: VulnArgs,
}

/// Where an image comes from, besides its reference (shared by `image` and `sbom`).
#[derive(Debug, Clone, Args)]
pub struct ImageSource {
    /// Read the image from a docker-archive (`docker save`) or OCI-archive tar, or an OCI
    /// layout directory, instead of a registry.
    #[arg(long, value_name = "PATH")]
    pub input: Option<PathBuf>,
    /// Platform to pick from a multi-platform image.
    #[arg(long, value_name = "OS/ARCH[/VARIANT]", default_value = "linux/amd64")]
    pub platform: Platform,
    #[command(flatten)]
    pub registry: RegistryArgs,
}

/// Feeds the image's files into palisade-pkg's file index.
struct IndexSink(FileIndex);

impl FileSink for IndexSink {
    fn interest(&self, path: &str, executable: bool, size: u64) -> Want {
        match interest(path, executable, size) {
            Interest::Skip => Want::Skip,
            Interest::Keep => Want::Keep,
            Interest::Binary => Want::Binary,
        }
    }

    fn keep(&mut self, path: &str, layer: usize, contents: Vec<u8>) {
        self.0.insert(path, layer, contents);
    }

    fn binary(&mut self, path: &str, layer: usize, contents: &[u8]) {
        self.0.insert_binary(path, layer, contents);
    }

    fn remove(&mut self, path: &str, layer: usize) {
        self.0.remove(path, layer);
    }

    fn remove_dir_contents(&mut self, dir: &str, layer: usize) {
        self.0.remove_dir_contents(dir, layer);
    }

    fn lookup(&self, path: &str) -> Option<(usize, Vec<u8>)> {
        self.0.lookup(path)
    }
}

/// An image's packages and what the layer walk found.
pub struct Inventory {
    pub scan: ImageScan,
    pub catalog: Catalog,
}

/// Opens the image `reference` names, or the one inside `--input`.
fn open(reference: Option<&str>, args: &ImageSource) -> anyhow::Result<OpenedImage> {
    if let Some(path) = &args.input {
        return open_local(path, reference, &args.platform)
            .with_context(|| format!("cannot open {}", path.display()));
    }
    let text = reference.unwrap_or_default();
    let reference: ImageReference = text
        .parse()
        .with_context(|| format!("invalid image reference `{text}`"))?;
    RegistryClient::new(&reference, args.registry.options())
        .and_then(|client| client.open(&args.platform))
        .with_context(|| format!("cannot pull {reference}"))
}

/// Opens and catalogs the image: the part `image` and `sbom` share.
pub fn inventory(
    reference: Option<&str>,
    source: &ImageSource,
    options: &ScanOptions,
) -> anyhow::Result<Inventory> {
    let started = Instant::now();
    let opened = open(reference, source)?;
    let mut sink = IndexSink(FileIndex::default());
    let scan = scan_image(&opened, &mut sink, options)
        .with_context(|| format!("cannot read {}", opened.image.name))?;
    let catalog = catalog(&sink.0);
    tracing::info!(
        elapsed_ms = started.elapsed().as_millis(),
        layers = scan.layers.len(),
        packages = catalog.packages.len(),
        "image cataloged"
    );
    Ok(Inventory { scan, catalog })
}

pub fn run(args: &ImageArgs) -> anyhow::Result<Outcome> {
    let enrichment = args.vuln.load()?;
    let options = ScanOptions {
        secrets: !args.no_secrets,
        base_layers: args.base_layers,
        ..ScanOptions::default()
    };
    let Inventory { scan, catalog } = inventory(args.reference.as_deref(), &args.source, &options)?;
    let mut warnings = scan.warnings.clone();
    warnings.extend(catalog.warnings.iter().cloned());
    if !args.vuln.quiet {
        #[allow(clippy::print_stderr)]
        {
            eprintln!("{}", describe(&scan, &catalog));
        }
    }
    if catalog.os.is_none() {
        warnings.push(
            "no operating system identified (no os-release): only language packages are matched"
                .to_string(),
        );
    }
    let subjects = catalog
        .packages
        .iter()
        .filter(|package| package.pinned)
        .map(|package| Subject {
            package: package.to_package_ref(),
            location: Some(Location::at(
                format!("/{}", package.location.path.trim_start_matches('/')),
                package.location.line,
                1,
            )),
            layer: package.layer.and_then(|l| layer_ref(&scan.layers, l)),
        })
        .collect();
    let other_findings = scan
        .secrets
        .iter()
        .map(|hit| secret_finding(hit, &scan.layers))
        .collect();
    let scanned = Scanned {
        command: "image",
        subjects,
        other_findings,
        files: scan.files,
        warnings,
    };
    vulns::report(&args.vuln, enrichment, scanned, |_| {})
}

/// One line for the user: what was scanned and where the base image ends.
fn describe(scan: &ImageScan, catalog: &Catalog) -> String {
    let os = catalog
        .os
        .as_ref()
        .and_then(|os| os.pretty_name.clone().or_else(|| Some(os.id.clone())))
        .unwrap_or_else(|| "unknown OS".to_string());
    let base = match &scan.base {
        BaseSplit::Given(n) => format!("first {n} layers are the base image (--base-layers)"),
        BaseSplit::History(n, why) => format!("first {n} layers are the base image ({why})"),
        BaseSplit::None => "no base image told apart".to_string(),
    };
    format!(
        "image {} ({}, {}): {} layers, {} packages; {base}",
        scan.name,
        scan.platform,
        os,
        scan.layers.len(),
        catalog.packages.len()
    )
}
