//! `palisade sbom`: a CycloneDX or SPDX bill of materials of an image or a directory, and
//! `palisade sbom scan`: match an SBOM (Palisade's or another tool's) against the database.

use std::fs;
use std::io::{self, Write as _};
use std::os::unix::fs::PermissionsExt as _;
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use anyhow::Context as _;
use clap::{Args, Subcommand, ValueEnum};
use palisade_core::Location;
use palisade_image::{ScanOptions, layer_ref};
use palisade_pkg::Package;
use palisade_pkg::rootfs::{self, Catalog, FileIndex, Interest};
use palisade_report::sbom::{
    Component, OperatingSystem, Sbom, Subject as SbomSubject, SubjectKind, write_cyclonedx,
    write_spdx,
};
use palisade_vuln::Subject;

use super::image::{ImageSource, Inventory, inventory};
use super::registry::RegistryArgs;
use super::vulns::{self, Scanned, VulnArgs};
use crate::Outcome;

#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
pub struct SbomArgs {
    #[command(subcommand)]
    pub action: Option<SbomAction>,
    /// An image reference, an image archive or OCI layout, or a directory (a project or an
    /// unpacked root filesystem). With `--input`, the image to pick inside it.
    #[arg(value_name = "TARGET", required_unless_present = "input")]
    pub target: Option<String>,
    #[command(flatten)]
    pub source: ImageSource,
    /// SBOM format.
    #[arg(short = 'f', long, value_enum, default_value_t = SbomFormat::CyclonedxJson)]
    pub format: SbomFormat,
    /// Write the SBOM to this file instead of standard output.
    #[arg(short = 'o', long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SbomFormat {
    /// CycloneDX 1.6 JSON.
    CyclonedxJson,
    /// SPDX 2.3 JSON.
    SpdxJson,
}

#[derive(Debug, Subcommand)]
pub enum SbomAction {
    /// Find known vulnerabilities in the packages an SBOM lists (CycloneDX or SPDX JSON).
    Scan(SbomScanArgs),
}

#[derive(Debug, Args)]
pub struct SbomScanArgs {
    /// The SBOM file.
    pub file: PathBuf,
    #[command(flatten)]
    pub vuln: VulnArgs,
}

pub fn run(args: &SbomArgs) -> anyhow::Result<Outcome> {
    if let Some(SbomAction::Scan(scan)) = &args.action {
        return run_scan(scan);
    }
    let sbom = match directory_target(args) {
        Some(dir) => directory_sbom(dir)?,
        None => image_sbom(args)?,
    };
    let mut out: Box<dyn io::Write> = match &args.output {
        Some(path) => Box::new(io::BufWriter::new(
            fs::File::create(path).with_context(|| format!("cannot write {}", path.display()))?,
        )),
        None => Box::new(io::BufWriter::new(io::stdout().lock())),
    };
    match args.format {
        SbomFormat::CyclonedxJson => write_cyclonedx(&mut out, &sbom),
        SbomFormat::SpdxJson => write_spdx(&mut out, &sbom),
    }
    .and_then(|()| out.flush())?;
    Ok(Outcome::Clean)
}

/// The target as a directory to catalog, when it is one that is not an OCI layout.
fn directory_target(args: &SbomArgs) -> Option<&Path> {
    if args.source.input.is_some() {
        return None;
    }
    let path = Path::new(args.target.as_deref()?);
    (path.is_dir() && !path.join("oci-layout").is_file()).then_some(path)
}

fn image_sbom(args: &SbomArgs) -> anyhow::Result<Sbom> {
    let (reference, source) = match (&args.source.input, &args.target) {
        // An existing file or OCI layout directory given as TARGET is read like `--input`.
        (None, Some(target)) if Path::new(target).exists() => (
            None,
            ImageSource {
                input: Some(PathBuf::from(target)),
                platform: args.source.platform.clone(),
                registry: RegistryArgs::default(),
            },
        ),
        _ => (args.target.as_deref(), args.source.clone()),
    };
    let options = ScanOptions::default();
    let Inventory { scan, catalog } = inventory(reference, &source, &options)?;
    warn(scan.warnings.iter().chain(&catalog.warnings));
    let components = catalog
        .packages
        .iter()
        .map(|package| {
            let mut component = component(package, "/");
            component.layer = package.layer.and_then(|l| layer_ref(&scan.layers, l));
            component
        })
        .collect();
    Ok(Sbom {
        subject: SbomSubject {
            kind: SubjectKind::Image,
            name: scan.name.clone(),
            version: Some(
                scan.manifest_digest
                    .clone()
                    .unwrap_or_else(|| scan.config_digest.clone()),
            ),
        },
        os: operating_system(&catalog),
        components,
        tool_version: env!("CARGO_PKG_VERSION").to_string(),
        created: created(),
    })
}

fn directory_sbom(dir: &Path) -> anyhow::Result<Sbom> {
    let mut index = FileIndex::default();
    let mut warnings = Vec::new();
    index_directory(dir, dir, &mut index, &mut warnings)
        .with_context(|| format!("cannot read {}", dir.display()))?;
    let catalog = rootfs::catalog(&index);
    warn(warnings.iter().chain(&catalog.warnings));
    let components = catalog
        .packages
        .iter()
        .map(|package| component(package, ""))
        .collect();
    let name = fs::canonicalize(dir)
        .ok()
        .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_else(|| dir.display().to_string());
    Ok(Sbom {
        subject: SbomSubject {
            kind: SubjectKind::Directory,
            name,
            version: None,
        },
        os: operating_system(&catalog),
        components,
        tool_version: env!("CARGO_PKG_VERSION").to_string(),
        created: created(),
    })
}

/// Feeds a directory tree to the file index as if it were one image layer. Symbolic links are
/// not followed and `.git` is skipped; unreadable entries become warnings.
fn index_directory(
    root: &Path,
    dir: &Path,
    index: &mut FileIndex,
    warnings: &mut Vec<String>,
) -> io::Result<()> {
    let mut entries: Vec<_> = fs::read_dir(dir)?.filter_map(Result::ok).collect();
    entries.sort_by_key(fs::DirEntry::file_name);
    for entry in entries {
        let path = entry.path();
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        if kind.is_dir() {
            if entry.file_name() != ".git"
                && let Err(err) = index_directory(root, &path, index, warnings)
            {
                warnings.push(format!("{}: {err}", path.display()));
            }
            continue;
        }
        if !kind.is_file() {
            continue;
        }
        let Ok(relative) = path.strip_prefix(root) else {
            continue;
        };
        let relative = relative.to_string_lossy().replace('\\', "/");
        let Ok(metadata) = entry.metadata() else {
            continue;
        };
        let executable = metadata.permissions().mode() & 0o111 != 0;
        let interest = rootfs::interest(&relative, executable, metadata.len());
        if interest == Interest::Skip {
            continue;
        }
        match fs::read(&path) {
            Ok(contents) if interest == Interest::Binary => {
                index.insert_binary(&relative, 0, &contents);
            }
            Ok(contents) => index.insert(&relative, 0, contents),
            Err(err) => warnings.push(format!("{}: {err}", path.display())),
        }
    }
    Ok(())
}

fn warn<'a>(warnings: impl Iterator<Item = &'a String>) {
    for warning in warnings {
        #[allow(clippy::print_stderr)]
        {
            eprintln!("warning: {warning}");
        }
    }
}

fn component(package: &Package, root: &str) -> Component {
    let path = package.location.path.trim_start_matches('/');
    Component {
        name: package.name.clone(),
        version: package.version.clone(),
        purl: package.purl.clone(),
        ecosystem: package.ecosystem.to_string(),
        source: package
            .source_name
            .clone()
            .map(|name| (name, package.source_version.clone().unwrap_or_default())),
        locations: vec![(format!("{root}{path}"), package.location.line)],
        layer: None,
    }
}

fn operating_system(catalog: &Catalog) -> Option<OperatingSystem> {
    catalog.os.as_ref().map(|os| OperatingSystem {
        id: os.id.clone(),
        version: os.version_id.clone(),
        pretty_name: os.pretty_name.clone(),
    })
}

/// Now in UTC as `YYYY-MM-DDThh:mm:ssZ`, or `SOURCE_DATE_EPOCH` for reproducible documents.
fn created() -> String {
    let secs = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<u64>().ok())
        .unwrap_or_else(|| {
            SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map_or(0, |d| d.as_secs())
        });
    let day =
        palisade_exceptions::Date::from_days_since_epoch(i64::try_from(secs / 86_400).unwrap_or(0));
    let of_day = secs % 86_400;
    format!(
        "{day}T{:02}:{:02}:{:02}Z",
        of_day / 3600,
        of_day % 3600 / 60,
        of_day % 60
    )
}

fn run_scan(args: &SbomScanArgs) -> anyhow::Result<Outcome> {
    let enrichment = args.vuln.load()?;
    let display = args.file.display().to_string();
    let bytes = fs::read(&args.file).with_context(|| format!("cannot read {display}"))?;
    let contents = palisade_pkg::sbom::read(&display, &bytes)
        .map_err(|err| anyhow::anyhow!("{display}:{err}"))?;
    let warnings = contents
        .warnings
        .iter()
        .map(|w| format!("{display}:{w}"))
        .collect();
    let subjects = contents
        .packages
        .iter()
        .filter(|p| p.package.pinned)
        .map(|p| Subject {
            package: p.package.to_package_ref(),
            location: Some(Location::at(&display, p.package.location.line, 1)),
            layer: p.layer.clone(),
        })
        .collect();
    let scanned = Scanned {
        command: "sbom",
        subjects,
        other_findings: Vec::new(),
        files: 1,
        warnings,
    };
    vulns::report(&args.vuln, enrichment, scanned, |_| {})
}
