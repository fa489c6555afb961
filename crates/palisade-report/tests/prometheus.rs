//! Prometheus text exposition: checked by a strict parser of the 0.0.4 text format written
//! here (metric and label name syntax, label value escapes, sample values, one HELP and TYPE
//! per family before its samples, families contiguous, no duplicate series).

mod common;

use std::collections::{BTreeMap, HashMap, HashSet};

use palisade_report::Format;

use common::{render, sample_report};

#[derive(Debug, Clone, PartialEq)]
struct Sample {
    name: String,
    labels: BTreeMap<String, String>,
    value: f64,
}

fn is_metric_name(s: &str) -> bool {
    let mut chars = s.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_' || c == ':')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == ':')
}

fn is_label_name(s: &str) -> bool {
    let mut chars = s.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

fn parse_value(s: &str) -> Result<f64, String> {
    match s {
        "NaN" => Ok(f64::NAN),
        "+Inf" => Ok(f64::INFINITY),
        "-Inf" => Ok(f64::NEG_INFINITY),
        _ => s
            .parse::<f64>()
            .map_err(|e| format!("bad value `{s}`: {e}")),
    }
}

/// Parses `{a="x",b="y"}` starting after the `{`; returns labels and the rest after `}`.
fn parse_labels(mut rest: &str) -> Result<(BTreeMap<String, String>, &str), String> {
    let mut labels = BTreeMap::new();
    loop {
        if let Some(after) = rest.strip_prefix('}') {
            return Ok((labels, after));
        }
        let eq = rest.find('=').ok_or("label without `=`")?;
        let name = &rest[..eq];
        if !is_label_name(name) {
            return Err(format!("bad label name `{name}`"));
        }
        rest = rest[eq + 1..]
            .strip_prefix('"')
            .ok_or("label value must be quoted")?;
        let mut value = String::new();
        let mut chars = rest.char_indices();
        let end = loop {
            match chars.next().ok_or("unterminated label value")? {
                (i, '"') => break i,
                (_, '\\') => match chars.next().ok_or("dangling escape")?.1 {
                    '\\' => value.push('\\'),
                    '"' => value.push('"'),
                    'n' => value.push('\n'),
                    other => return Err(format!("bad escape `\\{other}`")),
                },
                (_, '\n') => return Err("raw newline in label value".into()),
                (_, c) => value.push(c),
            }
        };
        if labels.insert(name.to_string(), value).is_some() {
            return Err(format!("duplicate label `{name}`"));
        }
        rest = &rest[end + 1..];
        if let Some(after) = rest.strip_prefix(',') {
            rest = after;
        } else if !rest.starts_with('}') {
            return Err("expected `,` or `}` after a label".into());
        }
    }
}

/// Strictly parses an exposition; returns the samples and each family's type.
fn parse(text: &str) -> Result<(Vec<Sample>, HashMap<String, String>), String> {
    let mut samples = Vec::new();
    let mut types: HashMap<String, String> = HashMap::new();
    let mut helps: HashSet<String> = HashSet::new();
    let mut finished: HashSet<String> = HashSet::new();
    let mut current: Option<String> = None;
    let mut series: HashSet<(String, Vec<(String, String)>)> = HashSet::new();
    assert!(text.ends_with('\n'), "exposition must end with a newline");
    for (n, line) in text.lines().enumerate() {
        let at = |e: String| format!("line {}: {e}: {line}", n + 1);
        if line.is_empty() {
            continue;
        }
        if let Some(comment) = line.strip_prefix('#') {
            let mut parts = comment.trim_start().splitn(3, ' ');
            match (parts.next(), parts.next(), parts.next()) {
                (Some("HELP"), Some(name), Some(_))
                    if !is_metric_name(name) || !helps.insert(name.to_string()) =>
                {
                    return Err(at("bad or repeated HELP".into()));
                }
                (Some("TYPE"), Some(name), Some(kind)) => {
                    if !["counter", "gauge", "histogram", "summary", "untyped"].contains(&kind) {
                        return Err(at(format!("unknown type `{kind}`")));
                    }
                    if types.insert(name.to_string(), kind.to_string()).is_some() {
                        return Err(at("repeated TYPE".into()));
                    }
                    if samples.iter().any(|s: &Sample| s.name == name) {
                        return Err(at("TYPE after samples".into()));
                    }
                }
                _ => {}
            }
            continue;
        }
        let name_end = line
            .find(['{', ' '])
            .ok_or_else(|| at("sample without value".into()))?;
        let name = &line[..name_end];
        if !is_metric_name(name) {
            return Err(at(format!("bad metric name `{name}`")));
        }
        let (labels, rest) = if let Some(after) = line[name_end..].strip_prefix('{') {
            parse_labels(after).map_err(at)?
        } else {
            (BTreeMap::new(), &line[name_end..])
        };
        let mut fields = rest
            .strip_prefix(' ')
            .ok_or_else(|| at("expected a space before the value".into()))?
            .split(' ');
        let value = parse_value(fields.next().unwrap_or("")).map_err(at)?;
        if let Some(ts) = fields.next() {
            ts.parse::<i64>()
                .map_err(|e| at(format!("bad timestamp: {e}")))?;
        }
        if fields.next().is_some() {
            return Err(at("trailing fields".into()));
        }
        if current.as_deref() != Some(name) {
            if finished.contains(name) {
                return Err(at("family samples are not contiguous".into()));
            }
            if let Some(previous) = current.replace(name.to_string()) {
                finished.insert(previous);
            }
        }
        let key = (
            name.to_string(),
            labels.iter().map(|(k, v)| (k.clone(), v.clone())).collect(),
        );
        if !series.insert(key) {
            return Err(at("duplicate series".into()));
        }
        samples.push(Sample {
            name: name.to_string(),
            labels,
            value,
        });
    }
    Ok((samples, types))
}

fn find<'a>(samples: &'a [Sample], name: &str, labels: &[(&str, &str)]) -> Option<&'a Sample> {
    samples.iter().find(|s| {
        s.name == name
            && s.labels.len() == labels.len()
            && labels
                .iter()
                .all(|(k, v)| s.labels.get(*k).map(String::as_str) == Some(*v))
    })
}

#[test]
fn parser_rejects_malformed_expositions() {
    for bad in [
        "metric{a=\"x\" 1\n",
        "metric{a=\"\\q\"} 1\n",
        "1metric 1\n",
        "metric one\n",
        "a 1\nb 1\na 2\n",
        "a 1\na 1\n",
        "a 1\n# TYPE a gauge\n",
    ] {
        assert!(parse(bad).is_err(), "accepted: {bad:?}");
    }
    assert!(parse("# HELP a x\n# TYPE a gauge\na{b=\"c\\\"d\\\\\\n\"} +Inf 123\n").is_ok());
}

#[test]
fn exposes_findings_by_severity_control_and_namespace() {
    let text = render(Format::Prometheus, &sample_report("web.yaml"));
    let (samples, types) = parse(&text).unwrap_or_else(|e| panic!("{e}\n{text}"));
    assert!(types.values().all(|t| t == "gauge"));
    let value = |name: &str, labels: &[(&str, &str)]| {
        find(&samples, name, labels)
            .unwrap_or_else(|| panic!("no {name}{labels:?} in\n{text}"))
            .value
    };
    assert!((value("palisade_findings", &[("severity", "critical")]) - 2.0).abs() < f64::EPSILON);
    assert!((value("palisade_findings", &[("severity", "high")]) - 2.0).abs() < f64::EPSILON);
    assert!((value("palisade_findings", &[("severity", "info")])).abs() < f64::EPSILON);
    assert!((value("palisade_findings_suppressed", &[]) - 2.0).abs() < f64::EPSILON);
    assert!(
        (value(
            "palisade_control_findings",
            &[
                ("control", "POD-001"),
                ("slug", "privileged-container"),
                ("severity", "critical")
            ]
        ) - 1.0)
            .abs()
            < f64::EPSILON
    );
    assert!(
        (value(
            "palisade_namespace_findings",
            &[("namespace", "shop"), ("severity", "high")]
        ) - 1.0)
            .abs()
            < f64::EPSILON
    );
    // Cluster-scoped objects count under the empty namespace; suppressed findings nowhere.
    assert!(
        find(
            &samples,
            "palisade_namespace_findings",
            &[("namespace", ""), ("severity", "critical")]
        )
        .is_some()
    );
    assert!(
        samples
            .iter()
            .all(|s| s.labels.get("namespace").map(String::as_str) != Some("monitoring"))
    );
    assert!((value("palisade_scanned_objects", &[]) - 5.0).abs() < f64::EPSILON);
}

#[test]
fn exposes_compliance_gauges_when_scored() {
    let report = sample_report("web.yaml");
    let text = render(Format::Prometheus, &report);
    let (samples, _) = parse(&text).unwrap();
    let value = |name: &str, labels: &[(&str, &str)]| find(&samples, name, labels).unwrap().value;
    assert!((value("palisade_compliance_ratio", &[]) - 0.625).abs() < 1e-9);
    assert!((value("palisade_risk_score", &[]) - 41.25).abs() < 1e-9);
    assert!(
        (value(
            "palisade_framework_compliance_ratio",
            &[("framework", "pss-baseline")]
        ) - 0.75)
            .abs()
            < 1e-9
    );
    assert!(
        (value(
            "palisade_control_compliance_ratio",
            &[
                ("control", "POD-001"),
                ("slug", "privileged-container"),
                ("severity", "critical")
            ]
        ) - 0.75)
            .abs()
            < 1e-9
    );
    // Without scores the gauges are absent, and the rest still parses.
    let mut unscored = report.clone();
    unscored.scores = None;
    let (samples, _) = parse(&render(Format::Prometheus, &unscored)).unwrap();
    assert!(samples.iter().all(|s| !s.name.contains("compliance")));
}

#[test]
fn escapes_label_values() {
    let mut report = sample_report("web.yaml");
    report.findings[0].id = "X\"1\\\n".into();
    report.findings[0].suppressed = false;
    let text = render(Format::Prometheus, &report);
    let (samples, _) = parse(&text).unwrap_or_else(|e| panic!("{e}\n{text}"));
    assert!(
        samples
            .iter()
            .any(|s| s.labels.get("control").map(String::as_str) == Some("X\"1\\\n"))
    );
}
