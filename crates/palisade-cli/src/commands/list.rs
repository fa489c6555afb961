use std::io::{self, Write};

use palisade_rules::{FRAMEWORKS, Framework, all_controls};
use serde_json::json;

use crate::Outcome;
use crate::args::{ListArgs, ListFormat, ListWhat};

pub fn run(args: &ListArgs) -> anyhow::Result<Outcome> {
    let mut out = io::BufWriter::new(io::stdout().lock());
    match (args.what, args.format) {
        (ListWhat::Controls, ListFormat::Json) => {
            let controls: Vec<_> = all_controls()
                .iter()
                .map(|c| {
                    json!({
                        "id": c.id,
                        "slug": c.slug,
                        "title": c.title,
                        "severity": c.severity,
                        "category": c.category,
                        "frameworks": Framework::memberships(c.id),
                        "references": c.references.to_references(),
                        "remediation": c.remediation,
                    })
                })
                .collect();
            serde_json::to_writer_pretty(&mut out, &controls)?;
            writeln!(out)?;
        }
        (ListWhat::Controls, ListFormat::Table) => {
            let slug_width = all_controls()
                .iter()
                .map(|c| c.slug.len())
                .max()
                .unwrap_or(0);
            for c in all_controls() {
                writeln!(
                    out,
                    "{:<9} {:<slug_width$} {:<9} {}",
                    c.id,
                    c.slug,
                    c.severity.as_str(),
                    c.title
                )?;
            }
        }
        (ListWhat::Frameworks, ListFormat::Json) => {
            let frameworks: Vec<_> = FRAMEWORKS
                .iter()
                .map(|f| {
                    let controls: Vec<&str> = all_controls().iter().filter(|c| f.contains(c.id)).map(|c| c.id).collect();
                    json!({ "id": f.id, "name": f.name, "description": f.description, "controls": controls })
                })
                .collect();
            serde_json::to_writer_pretty(&mut out, &frameworks)?;
            writeln!(out)?;
        }
        (ListWhat::Frameworks, ListFormat::Table) => {
            for f in FRAMEWORKS {
                let count = all_controls().iter().filter(|c| f.contains(c.id)).count();
                writeln!(out, "{:<16} {:>3} controls  {}", f.id, count, f.name)?;
            }
        }
    }
    out.flush()?;
    Ok(Outcome::Clean)
}
