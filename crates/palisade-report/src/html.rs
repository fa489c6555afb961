//! One self-contained HTML page: no external assets (a Content-Security-Policy forbids them),
//! works offline from a file or a CI artifact. Score cards, inline SVG charts of findings by
//! severity and of framework compliance, and a findings table filterable by text, minimum
//! severity, control and suppression, with the source lines around each finding read from
//! disk at render time.
//!
//! The filters can be preset from the URL (`report.html?severity=high&q=web&control=POD-001
//! &suppressed=1`, or the same after `#`), which makes a filtered view linkable.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io;

use palisade_core::{Finding, Report, Scores, Severity};

use crate::RenderOptions;
use crate::diff::{position, target_name};
use crate::escape::xml as esc;
use crate::source::SourceCache;

const STYLE: &str = r#"
:root { --critical:#7b1fa2; --high:#c62828; --medium:#ef6c00; --low:#0277bd; --info:#607d8b; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 0; color: #1b1f23; background: #f6f8fa; }
header, main { max-width: 1280px; margin: 0 auto; padding: 16px 24px; }
header { border-bottom: 1px solid #d0d7de; background: #fff; max-width: none; }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 17px; margin: 24px 0 8px; }
.meta { color: #57606a; margin: 0; }
.cards { display: flex; gap: 12px; flex-wrap: wrap; }
.card { background: #fff; border: 1px solid #d0d7de; border-radius: 8px; padding: 12px 16px; min-width: 150px; }
.card .value { display: block; font-size: 26px; font-weight: 600; }
.card .label { color: #57606a; }
.charts { display: flex; gap: 16px; flex-wrap: wrap; margin-top: 16px; }
figure { background: #fff; border: 1px solid #d0d7de; border-radius: 8px; margin: 0; padding: 12px; }
figcaption { font-weight: 600; margin-bottom: 6px; }
svg text { font: 12px system-ui, sans-serif; fill: #1b1f23; }
#filters { display: flex; gap: 8px; align-items: center; flex-wrap: wrap; margin: 8px 0; }
#filters input[type=search] { min-width: 260px; padding: 4px 8px; }
#visible-count { color: #57606a; margin-left: auto; }
table { border-collapse: collapse; width: 100%; background: #fff; border: 1px solid #d0d7de; }
th, td { text-align: left; vertical-align: top; padding: 6px 8px; border-bottom: 1px solid #eaeef2; }
th { background: #f6f8fa; position: sticky; top: 0; }
tr[hidden] { display: none; }
tr.suppressed td { opacity: .6; }
.badge { display: inline-block; padding: 1px 8px; border-radius: 10px; color: #fff; font-size: 12px; font-weight: 600; }
.sev-critical { background: var(--critical); } .sev-high { background: var(--high); }
.sev-medium { background: var(--medium); } .sev-low { background: var(--low); } .sev-info { background: var(--info); }
small, .evidence, .fix, .note { color: #57606a; }
code, pre { font: 12px/1.4 ui-monospace, SFMono-Regular, Menlo, monospace; }
pre.snippet { background: #f6f8fa; border: 1px solid #eaeef2; padding: 6px 0; margin: 6px 0 0; overflow-x: auto; }
pre.snippet span.line { display: block; padding: 0 8px; white-space: pre; }
pre.snippet span.hl { background: #fff8c5; }
pre.snippet span.ln { display: inline-block; width: 4em; color: #8c959f; user-select: none; }
.empty { padding: 24px; text-align: center; color: #57606a; }
"#;

const SCRIPT: &str = r"
(function () {
  var rank = { info: 0, low: 1, medium: 2, high: 3, critical: 4 };
  var text = document.getElementById('filter-text');
  var severity = document.getElementById('filter-severity');
  var control = document.getElementById('filter-control');
  var suppressed = document.getElementById('filter-suppressed');
  var rows = Array.prototype.slice.call(document.querySelectorAll('tr.finding'));
  function apply() {
    var needle = text.value.trim().toLowerCase();
    var min = rank[severity.value] || 0;
    var shown = 0;
    rows.forEach(function (row) {
      var ok = Number(row.dataset.rank) >= min
        && (!control.value || row.dataset.control === control.value)
        && (suppressed.checked || row.dataset.suppressed !== 'true')
        && (!needle || row.dataset.search.indexOf(needle) !== -1);
      row.hidden = !ok;
      if (ok) { shown += 1; }
    });
    document.getElementById('visible-count').textContent =
      shown + ' of ' + rows.length + ' findings shown';
    document.body.setAttribute('data-filtered', 'true');
  }
  var query = window.location.search ? window.location.search.slice(1) : window.location.hash.slice(1);
  var params = new URLSearchParams(query);
  if (params.has('q')) { text.value = params.get('q'); }
  if (params.has('severity') && rank.hasOwnProperty(params.get('severity'))) { severity.value = params.get('severity'); }
  if (params.has('control')) { control.value = params.get('control'); }
  if (params.get('suppressed') === '1') { suppressed.checked = true; }
  [text, severity, control, suppressed].forEach(function (el) {
    el.addEventListener('input', apply);
    el.addEventListener('change', apply);
  });
  apply();
})();
";

/// Writes the HTML report.
pub fn write_html(
    report: &Report,
    options: &RenderOptions<'_>,
    out: &mut dyn io::Write,
) -> io::Result<()> {
    let mut html = String::with_capacity(64 * 1024);
    let title = format!("Palisade {} report", report.command);
    let _ = write!(
        html,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n",
        esc(&title)
    );
    let summary = &report.summary;
    let _ = write!(
        html,
        "<header><h1>{}</h1><p class=\"meta\">{} {} · {} file(s) · {} object(s) · {} finding(s) · {} suppressed</p></header>\n<main>\n",
        esc(&title),
        esc(&report.tool.name),
        esc(&report.tool.version),
        summary.files,
        summary.objects,
        summary.total,
        summary.suppressed
    );
    cards(report, &mut html);
    html.push_str("<section class=\"charts\">\n");
    severity_chart(report, &mut html);
    if let Some(scores) = &report.scores {
        framework_chart(scores, &mut html);
    }
    html.push_str("</section>\n");
    if let Some(scores) = &report.scores {
        control_table(scores, &mut html);
    }
    findings_table_head(report, options, &mut html);
    out.write_all(html.as_bytes())?;
    // Rows are written as they are made: a report can hold tens of thousands of findings.
    let mut sources = SourceCache::default();
    let mut row = String::with_capacity(4096);
    for finding in &report.findings {
        row.clear();
        finding_row(finding, &mut sources, &mut row);
        out.write_all(row.as_bytes())?;
    }
    write!(
        out,
        "</tbody></table>\n</main>\n<script>{SCRIPT}</script>\n</body>\n</html>\n"
    )
}

fn cards(report: &Report, html: &mut String) {
    html.push_str("<section class=\"cards\">\n");
    card(
        html,
        "card-findings",
        &report.summary.total.to_string(),
        "findings",
    );
    let worst = report
        .max_severity()
        .map_or_else(|| "none".to_string(), |s| s.to_string());
    card(html, "card-worst", &worst, "highest severity");
    if let Some(scores) = &report.scores {
        card(
            html,
            "card-compliance",
            &format!("{:.1}%", scores.compliance),
            "compliance",
        );
        card(
            html,
            "card-risk",
            &format!("{:.1}", scores.risk),
            "risk score (0–100)",
        );
    }
    html.push_str("</section>\n");
}

fn card(html: &mut String, id: &str, value: &str, label: &str) {
    let _ = writeln!(
        html,
        "<div class=\"card\" id=\"{id}\"><span class=\"value\">{}</span><span class=\"label\">{}</span></div>",
        esc(value),
        esc(label)
    );
}

/// Longest chart label shown in full; longer ones are cut and keep the full text as tooltip.
const MAX_LABEL_CHARS: usize = 40;

/// Horizontal bars, one per row: (label, bar fraction 0..=1, CSS colour, value text).
fn bar_chart(html: &mut String, id: &str, caption: &str, rows: &[(String, f64, String, String)]) {
    const BAR_WIDTH: f64 = 260.0;
    const ROW: usize = 26;
    let longest = rows
        .iter()
        .map(|r| r.0.chars().count().min(MAX_LABEL_CHARS))
        .max()
        .unwrap_or(0);
    // About 7 px per character at 12 px, plus a gap before the bar.
    let label_width = longest * 7 + 12;
    let height = rows.len().max(1) * ROW + 8;
    let width = label_width + 260 + 70;
    let _ = writeln!(
        html,
        "<figure id=\"{id}\"><figcaption>{}</figcaption>\n<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-label=\"{}\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\">",
        esc(caption),
        esc(caption)
    );
    for (i, (label, fraction, colour, value)) in rows.iter().enumerate() {
        let y = i * ROW + 4;
        let bar = (fraction.clamp(0.0, 1.0) * BAR_WIDTH).round();
        let shown: String = if label.chars().count() > MAX_LABEL_CHARS {
            let cut: String = label.chars().take(MAX_LABEL_CHARS - 1).collect();
            format!("{cut}…")
        } else {
            label.clone()
        };
        let _ = writeln!(
            html,
            "<g class=\"bar\" data-label=\"{label}\"><title>{label}: {value}</title><text x=\"0\" y=\"{}\">{}</text><rect x=\"{label_width}\" y=\"{y}\" width=\"{BAR_WIDTH}\" height=\"18\" fill=\"#eaeef2\"/><rect x=\"{label_width}\" y=\"{y}\" width=\"{bar}\" height=\"18\" fill=\"{colour}\"/><text x=\"{}\" y=\"{}\">{value}</text></g>",
            y + 14,
            esc(&shown),
            label_width + 260 + 8,
            y + 14,
            label = esc(label),
            value = esc(value),
        );
    }
    html.push_str("</svg></figure>\n");
}

fn severity_colour(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical => "#7b1fa2",
        Severity::High => "#c62828",
        Severity::Medium => "#ef6c00",
        Severity::Low => "#0277bd",
        Severity::Info => "#607d8b",
    }
}

fn severity_chart(report: &Report, html: &mut String) {
    let counts: Vec<(Severity, usize)> = Severity::ALL
        .iter()
        .rev()
        .map(|s| (*s, report.summary.by_severity.get(s).copied().unwrap_or(0)))
        .collect();
    let max = counts.iter().map(|(_, n)| *n).max().unwrap_or(0).max(1);
    #[allow(clippy::cast_precision_loss)]
    let rows: Vec<(String, f64, String, String)> = counts
        .iter()
        .map(|(s, n)| {
            (
                s.to_string(),
                *n as f64 / max as f64,
                severity_colour(*s).to_string(),
                n.to_string(),
            )
        })
        .collect();
    bar_chart(html, "chart-severity", "Findings by severity", &rows);
}

fn framework_chart(scores: &Scores, html: &mut String) {
    let mut rows: Vec<(String, f64, String, String)> = vec![(
        "all controls".to_string(),
        scores.compliance / 100.0,
        compliance_colour(scores.compliance).to_string(),
        format!("{:.1}%", scores.compliance),
    )];
    rows.extend(scores.frameworks.iter().map(|f| {
        (
            f.name.clone(),
            f.compliance / 100.0,
            compliance_colour(f.compliance).to_string(),
            format!("{:.1}%", f.compliance),
        )
    }));
    bar_chart(html, "chart-frameworks", "Compliance by framework", &rows);
}

fn compliance_colour(percent: f64) -> &'static str {
    if percent >= 90.0 {
        "#2e7d32"
    } else if percent >= 70.0 {
        "#ef6c00"
    } else {
        "#c62828"
    }
}

fn control_table(scores: &Scores, html: &mut String) {
    let mut controls: Vec<_> = scores.controls.iter().collect();
    controls.sort_by(|a, b| {
        a.compliance
            .total_cmp(&b.compliance)
            .then_with(|| b.severity.cmp(&a.severity))
    });
    let _ = writeln!(
        html,
        "<h2>Controls</h2>\n<details id=\"controls\"><summary>{} control(s) ran; {} with failed resources</summary>\n<table><thead><tr><th>Control</th><th>Severity</th><th>Compliance</th><th>Passed</th><th>Failed</th><th>Suppressed</th></tr></thead><tbody>",
        controls.len(),
        controls.iter().filter(|c| c.failed > 0).count()
    );
    for c in controls {
        let _ = writeln!(
            html,
            "<tr><td>{} <small>{}</small></td><td><span class=\"badge sev-{sev}\">{sev}</span></td><td>{:.1}%</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(&c.id),
            esc(&c.slug),
            c.compliance,
            c.passed,
            c.failed,
            c.suppressed,
            sev = c.severity
        );
    }
    html.push_str("</tbody></table></details>\n");
}

/// The filters and the findings table up to its first row.
fn findings_table_head(report: &Report, options: &RenderOptions<'_>, html: &mut String) {
    html.push_str("<h2>Findings</h2>\n<form id=\"filters\" onsubmit=\"return false\">\n");
    html.push_str("<input type=\"search\" id=\"filter-text\" placeholder=\"Filter by text (resource, file, message…)\" aria-label=\"Filter by text\">\n");
    html.push_str("<select id=\"filter-severity\" aria-label=\"Minimum severity\">");
    for severity in Severity::ALL {
        let label = if severity == Severity::Info {
            "all severities".to_string()
        } else {
            format!("{severity} and above")
        };
        let _ = write!(html, "<option value=\"{severity}\">{label}</option>");
    }
    html.push_str("</select>\n<select id=\"filter-control\" aria-label=\"Control\"><option value=\"\">all controls</option>");
    let controls: BTreeMap<&str, &str> =
        report.findings.iter().map(|f| (&*f.id, &*f.slug)).collect();
    for (id, slug) in &controls {
        let _ = write!(
            html,
            "<option value=\"{}\">{} {}</option>",
            esc(id),
            esc(id),
            esc(slug)
        );
    }
    let checked = if options.show_suppressed {
        " checked"
    } else {
        ""
    };
    let _ = writeln!(
        html,
        "</select>\n<label><input type=\"checkbox\" id=\"filter-suppressed\"{checked}> show suppressed</label>\n<span id=\"visible-count\"></span>\n</form>"
    );
    if report.findings.is_empty() {
        html.push_str("<p class=\"empty\" id=\"no-findings\">No findings.</p>\n");
    }
    html.push_str("<table id=\"findings-table\"><thead><tr><th>Severity</th><th>Control</th><th>Resource</th><th>Location</th><th>Message</th></tr></thead>\n<tbody>\n");
}

fn finding_row(finding: &Finding, sources: &mut SourceCache, html: &mut String) {
    let target = target_name(finding);
    let position = position(finding);
    let search = format!(
        "{} {} {} {} {} {}",
        finding.id,
        finding.slug,
        target,
        position,
        finding.message,
        finding.evidence.as_deref().unwrap_or("")
    )
    .to_lowercase();
    let rank = Severity::ALL
        .iter()
        .position(|s| *s == finding.severity)
        .unwrap_or(0);
    let _ = write!(
        html,
        "<tr class=\"finding{}\" data-severity=\"{sev}\" data-rank=\"{rank}\" data-control=\"{}\" data-suppressed=\"{}\" data-search=\"{}\">",
        if finding.suppressed {
            " suppressed"
        } else {
            ""
        },
        esc(&finding.id),
        finding.suppressed,
        esc(&search),
        sev = finding.severity
    );
    let _ = write!(
        html,
        "<td><span class=\"badge sev-{sev}\">{sev}</span></td><td>{}<br><small>{}</small></td><td>{}</td><td><code>{}</code></td><td>{}",
        esc(&finding.id),
        esc(&finding.slug),
        esc(&target),
        esc(&position),
        esc(&finding.message),
        sev = finding.severity
    );
    if let Some(evidence) = &finding.evidence {
        let _ = write!(
            html,
            "<div class=\"evidence\">found: <code>{}</code></div>",
            esc(evidence)
        );
    }
    if !finding.remediation.is_empty() {
        let _ = write!(
            html,
            "<div class=\"fix\">fix: {}</div>",
            esc(&finding.remediation)
        );
    }
    if let Some(suppression) = &finding.suppression {
        let _ = write!(
            html,
            "<div class=\"note\">suppressed ({}): {}</div>",
            esc(&suppression.kind),
            esc(&suppression.reason)
        );
    }
    if let Some(location) = &finding.location {
        match sources.snippet(&location.path, location.line, location.end_line) {
            Some(lines) => {
                html.push_str(
                    "<details class=\"source\"><summary>source</summary><pre class=\"snippet\">",
                );
                for line in lines {
                    let _ = write!(
                        html,
                        "<span class=\"line{}\"><span class=\"ln\">{}</span>{}</span>",
                        if line.highlighted { " hl" } else { "" },
                        line.number,
                        esc(&line.text)
                    );
                }
                html.push_str("</pre></details>");
            }
            None if location.line > 0 => {
                html.push_str("<div class=\"note\">source not available</div>");
            }
            None => {}
        }
    }
    html.push_str("</td></tr>\n");
}
