use std::io::{self, Write};

use anyhow::anyhow;
use palisade_rules::{Framework, find_control};

use crate::Outcome;
use crate::args::ExplainArgs;

pub fn run(args: &ExplainArgs) -> anyhow::Result<Outcome> {
    let control = find_control(&args.control).ok_or_else(|| {
        anyhow!(
            "unknown control `{}` (see `palisade list controls`)",
            args.control
        )
    })?;
    let mut out = io::BufWriter::new(io::stdout().lock());
    writeln!(out, "# {} {}: {}", control.id, control.slug, control.title)?;
    writeln!(out)?;
    writeln!(out, "Severity: {}", control.severity)?;
    writeln!(out, "Category: {}", control.category)?;
    let frameworks = Framework::memberships(control.id);
    if !frameworks.is_empty() {
        writeln!(out, "Frameworks: {}", frameworks.join(", "))?;
    }
    let refs = control.references;
    if let Some(pss) = refs.pss {
        writeln!(out, "Pod Security Admission check: {pss}")?;
    }
    for (tool, ids) in [
        ("Kubescape", refs.kubescape),
        ("CIS", refs.cis),
        ("checkov", refs.checkov),
        ("Trivy", refs.trivy),
        ("kube-linter", refs.kube_linter),
        ("Polaris", refs.polaris),
    ] {
        if !ids.is_empty() {
            writeln!(out, "{tool}: {}", ids.join(", "))?;
        }
    }
    writeln!(out)?;
    for line in control.docs.lines() {
        writeln!(out, "{}", line.strip_prefix(' ').unwrap_or(line))?;
    }
    out.flush()?;
    Ok(Outcome::Clean)
}
