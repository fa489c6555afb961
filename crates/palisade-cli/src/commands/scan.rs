use std::path::PathBuf;
use std::sync::Arc;

use anyhow::Context;
use palisade_core::{Report, Severity, SignatureChecker};
use palisade_exceptions::{Date, Exceptions};
use palisade_report::RenderOptions;
use palisade_rules::{
    CheckContext, FRAMEWORKS, Framework, PssVersion, Selection, Suppressor, framework,
    resolve_control,
};
use palisade_scan::{Input, NamespaceFilter, ScanOptions, scan};
use palisade_sign::Verifier;

use crate::Outcome;
use crate::args::{ColorChoice, ScanArgs};
use crate::config::{self, ConfigFile, LoadedConfig, OneOrMany};
use crate::output::{stdout_is_terminal, write_reports};

/// What a scan runs with after flags, environment and the settings file are combined.
struct Settings {
    frameworks: Vec<String>,
    controls: Vec<String>,
    skip_controls: Vec<String>,
    fail_on: Option<Severity>,
    compliance_threshold: Option<f64>,
    pss_version: PssVersion,
    exceptions: Vec<PathBuf>,
    excludes: Vec<String>,
    include_namespaces: Vec<String>,
    exclude_namespaces: Vec<String>,
    params: palisade_rules::ControlParams,
    verify_signatures: bool,
    cosign_keys: Vec<PathBuf>,
}

/// A flag's list when given, else the settings file's.
fn list_or(flag: &[String], file: Option<&OneOrMany>) -> Vec<String> {
    if flag.is_empty() {
        OneOrMany::to_vec(file)
    } else {
        flag.to_vec()
    }
}

/// A flag's paths when given, else the settings file's, resolved against the file's directory.
fn paths_or(
    flag: &[PathBuf],
    loaded: Option<&LoadedConfig>,
    field: impl Fn(&ConfigFile) -> Option<&OneOrMany>,
) -> Vec<PathBuf> {
    match loaded {
        Some(config) if flag.is_empty() => OneOrMany::to_vec(field(&config.file))
            .iter()
            .map(|p| config.relative(p))
            .collect(),
        _ => flag.to_vec(),
    }
}

fn settings(args: &ScanArgs) -> anyhow::Result<Settings> {
    let loaded: Option<LoadedConfig> = if args.no_config {
        None
    } else if let Some(path) = &args.config {
        Some(config::load(path)?)
    } else {
        let root = args
            .paths
            .iter()
            .find(|p| p.as_os_str() != "-")
            .cloned()
            .unwrap_or_else(|| PathBuf::from("."));
        config::discover(&root)
            .map(|path| config::load(&path))
            .transpose()?
    };
    let file = loaded.as_ref().map(|c| &c.file);
    let pss_version = match (
        args.pss_version,
        file.and_then(|f| f.pss_version.as_deref()),
    ) {
        (Some(v), _) => v,
        (None, Some(text)) => text.parse().map_err(|e| {
            anyhow::anyhow!(
                "{}: pss-version: {e}",
                loaded
                    .as_ref()
                    .map_or(String::new(), |c| c.path.display().to_string())
            )
        })?,
        (None, None) => PssVersion::latest(),
    };
    let compliance_threshold = args
        .compliance_threshold
        .or(file.and_then(|f| f.compliance_threshold));
    if let Some(t) = compliance_threshold
        && !(0.0..=100.0).contains(&t)
    {
        anyhow::bail!("--compliance-threshold must be between 0 and 100, got {t}");
    }
    let exceptions = paths_or(&args.exceptions, loaded.as_ref(), |f| f.exceptions.as_ref());
    let cosign_keys = paths_or(&args.cosign_keys, loaded.as_ref(), |f| {
        f.cosign_keys.as_ref()
    });
    Ok(Settings {
        verify_signatures: args.verify_signatures
            || file.and_then(|f| f.verify_signatures).unwrap_or(false)
            || !cosign_keys.is_empty(),
        cosign_keys,
        frameworks: list_or(&args.frameworks, file.and_then(|f| f.frameworks.as_ref())),
        controls: list_or(&args.controls, file.and_then(|f| f.controls.as_ref())),
        skip_controls: list_or(
            &args.skip_controls,
            file.and_then(|f| f.skip_controls.as_ref()),
        ),
        fail_on: args.fail_on.or(file.and_then(|f| f.fail_on)),
        compliance_threshold,
        pss_version,
        exceptions,
        excludes: list_or(&args.excludes, file.and_then(|f| f.exclude.as_ref())),
        include_namespaces: list_or(
            &args.include_namespaces,
            file.and_then(|f| f.include_namespaces.as_ref()),
        ),
        exclude_namespaces: list_or(
            &args.exclude_namespaces,
            file.and_then(|f| f.exclude_namespaces.as_ref()),
        ),
        params: file.map(|f| f.parameters.clone()).unwrap_or_default(),
    })
}

/// Loads the exceptions files; expired entries and unknown control names become warnings.
fn load_exceptions(paths: &[PathBuf], warnings: &mut Vec<String>) -> anyhow::Result<Exceptions> {
    let mut all = Exceptions::default();
    for path in paths {
        all.extend(Exceptions::load(path)?);
    }
    warnings.extend(all.expired(Date::today()).iter().map(ToString::to_string));
    for entry in all.entries() {
        for name in entry.controls() {
            if resolve_control(name).is_err() {
                warnings.push(format!(
                    "{}:{}: exception names unknown control `{name}`; it suppresses nothing",
                    entry.source(),
                    entry.line()
                ));
            }
        }
    }
    Ok(all)
}

/// Frameworks reported in the scores: the selected ones, or every standard when none is.
fn score_frameworks(selected: &[String]) -> Vec<&'static Framework> {
    let chosen: Vec<&'static Framework> = selected
        .iter()
        .filter_map(|id| framework(id))
        .filter(|f| !f.is_everything())
        .collect();
    if chosen.is_empty() && selected.iter().all(|id| framework(id).is_some()) {
        FRAMEWORKS.iter().filter(|f| !f.is_everything()).collect()
    } else {
        chosen
    }
}

pub fn run(args: &ScanArgs) -> anyhow::Result<Outcome> {
    let settings = settings(args)?;
    let baseline = args
        .baseline
        .as_deref()
        .map(super::diff::read_report)
        .transpose()?;
    let selection = Selection::new(
        &settings.frameworks,
        &settings.controls,
        &settings.skip_controls,
    )?;
    let mut warnings = Vec::new();
    let signatures: Option<Arc<dyn SignatureChecker>> = if settings.verify_signatures {
        let verifier = Verifier::with_key_files(&settings.cosign_keys, args.registry.options())?;
        Some(Arc::new(verifier))
    } else {
        // The scan leaves these controls out; say so when they were asked for by name.
        let asked: Vec<&str> = selection
            .registry_controls()
            .filter(|c| settings.controls.iter().any(|name| names_control(name, c)))
            .map(|c| c.id)
            .collect();
        if !asked.is_empty() {
            warnings.push(format!(
                "{} need registry access and did not run; add --verify-signatures",
                asked.join(", ")
            ));
        }
        None
    };
    let exceptions = load_exceptions(&settings.exceptions, &mut warnings)?;
    let mut options = ScanOptions::new(selection);
    options.context = CheckContext {
        pss_version: settings.pss_version,
        params: Arc::new(settings.params),
        show_secrets: args.show_secrets,
        signatures: None,
    };
    options.suppressor = Suppressor {
        exceptions: (!exceptions.is_empty()).then(|| Arc::new(exceptions)),
        today: Date::today(),
    };
    options.namespaces =
        NamespaceFilter::new(&settings.include_namespaces, &settings.exclude_namespaces)?;
    options.score_frameworks = score_frameworks(&settings.frameworks);
    options.render = args.render.settings();
    options.signatures = signatures;
    let inputs: Vec<Input> = args
        .paths
        .iter()
        .map(|p| {
            if p.as_os_str() == "-" {
                Input::Stdin
            } else {
                Input::Path(p.clone())
            }
        })
        .collect();
    let outcome = scan(&inputs, &settings.excludes, &options).context("cannot scan")?;
    warnings.extend(outcome.warnings);
    if !args.quiet {
        for warning in &warnings {
            #[allow(clippy::print_stderr)]
            {
                eprintln!("warning: {warning}");
            }
        }
    }
    let color = match args.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => stdout_is_terminal() && std::env::var_os("NO_COLOR").is_none(),
    };
    let render = RenderOptions {
        color,
        show_suppressed: args.show_suppressed,
        sarif_root: args.sarif_root.as_deref(),
        rule_docs: Some(super::diff::rule_doc),
        baseline: baseline.as_ref(),
    };
    write_reports(&outcome.report, &args.formats, render)?;
    // --fail-on-new: the severity gate looks only at findings the baseline does not have.
    let new_gate = baseline
        .as_ref()
        .filter(|_| args.fail_on_new)
        .map(|base| super::diff::new_findings_gate(base, &outcome.report, settings.fail_on));
    let fail_on = settings.fail_on.filter(|_| new_gate.is_none());
    Ok(
        if new_gate == Some(true)
            || gate_reached(&outcome.report, fail_on, settings.compliance_threshold)
        {
            Outcome::GateFailed
        } else {
            Outcome::Clean
        },
    )
}

/// Whether the user-given control `name` (ID, slug or alias) names `control`.
fn names_control(name: &str, control: &palisade_rules::Control) -> bool {
    resolve_control(name).is_ok_and(|found| found.iter().any(|c| c.id == control.id))
}

/// The CI gate: a counting finding at or above `fail_on`, or a reported framework (the
/// overall score when none was selected) below the compliance threshold.
fn gate_reached(report: &Report, fail_on: Option<Severity>, threshold: Option<f64>) -> bool {
    let severity_gate = match (fail_on, report.max_severity()) {
        (Some(threshold), Some(worst)) => worst >= threshold,
        _ => false,
    };
    let compliance_gate = match (threshold, &report.scores) {
        (Some(threshold), Some(scores)) => {
            if scores.frameworks.is_empty() {
                scores.compliance < threshold
            } else {
                scores.frameworks.iter().any(|f| f.compliance < threshold)
            }
        }
        _ => false,
    };
    severity_gate || compliance_gate
}
