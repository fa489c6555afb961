//! CVSS v4.0 score (CVSS v4.0 specification §8, "CVSS v4.0 Scoring"): the vector falls into a
//! MacroVector (EQ1..EQ6), whose score comes from the lookup table; the score is then lowered
//! by the mean, over the EQs that have a lower MacroVector, of the available score difference
//! times the vector's severity distance from the MacroVector's highest-severity vector divided by
//! the MacroVector's depth. Threat and environmental metrics take part when present (E defaults
//! to A, CR/IR/AR to H, modified metrics replace base ones); supplemental metrics do not.

use std::collections::BTreeMap;

use super::v4_table::LOOKUP;
use super::{CvssError, parse_metrics};

const X: &str = "X";

const ALLOWED: &[(&str, &[&str])] = &[
    ("AV", &["N", "A", "L", "P"]),
    ("AC", &["L", "H"]),
    ("AT", &["N", "P"]),
    ("PR", &["N", "L", "H"]),
    ("UI", &["N", "P", "A"]),
    ("VC", &["H", "L", "N"]),
    ("VI", &["H", "L", "N"]),
    ("VA", &["H", "L", "N"]),
    ("SC", &["H", "L", "N"]),
    ("SI", &["H", "L", "N"]),
    ("SA", &["H", "L", "N"]),
    ("E", &[X, "A", "P", "U"]),
    ("CR", &[X, "H", "M", "L"]),
    ("IR", &[X, "H", "M", "L"]),
    ("AR", &[X, "H", "M", "L"]),
    ("MAV", &[X, "N", "A", "L", "P"]),
    ("MAC", &[X, "L", "H"]),
    ("MAT", &[X, "N", "P"]),
    ("MPR", &[X, "N", "L", "H"]),
    ("MUI", &[X, "N", "P", "A"]),
    ("MVC", &[X, "H", "L", "N"]),
    ("MVI", &[X, "H", "L", "N"]),
    ("MVA", &[X, "H", "L", "N"]),
    ("MSC", &[X, "H", "L", "N"]),
    ("MSI", &[X, "S", "H", "L", "N"]),
    ("MSA", &[X, "S", "H", "L", "N"]),
    ("S", &[X, "N", "P"]),
    ("AU", &[X, "N", "Y"]),
    ("R", &[X, "A", "U", "I"]),
    ("V", &[X, "D", "C"]),
    ("RE", &[X, "L", "M", "H"]),
    ("U", &[X, "Clear", "Green", "Amber", "Red"]),
];

const BASE: [&str; 11] = [
    "AV", "AC", "AT", "PR", "UI", "VC", "VI", "VA", "SC", "SI", "SA",
];

/// The metrics whose severity distance counts, in the order the distances are summed.
const DISTANCE_METRICS: [&str; 14] = [
    "AV", "PR", "UI", "AC", "AT", "VC", "VI", "VA", "SC", "SI", "SA", "CR", "IR", "AR",
];

/// Severity level of a metric value (0.0 is the most severe), per the specification.
fn level(metric: &str, value: &str) -> f64 {
    let order: &[&str] = match metric {
        "AV" => &["N", "A", "L", "P"],
        "PR" => &["N", "L", "H"],
        "UI" => &["N", "P", "A"],
        "AC" => &["L", "H"],
        "AT" => &["N", "P"],
        "VC" | "VI" | "VA" => &["H", "L", "N"],
        // SC has no Safety value, so its levels start one step down.
        "SC" => &["", "H", "L", "N"],
        "SI" | "SA" => &["S", "H", "L", "N"],
        "CR" | "IR" | "AR" => &["H", "M", "L"],
        _ => &[],
    };
    let steps = [0.0, 0.1, 0.2, 0.3];
    order
        .iter()
        .position(|v| *v == value)
        .map_or(0.0, |i| steps[i])
}

/// Highest-severity vectors of each EQ level (`maxComposed`), as `METRIC:VALUE/…` pieces.
fn eq_maxes(eq: usize, level: u8) -> &'static [&'static str] {
    match (eq, level) {
        (1, 0) => &["AV:N/PR:N/UI:N"],
        (1, 1) => &["AV:A/PR:N/UI:N", "AV:N/PR:L/UI:N", "AV:N/PR:N/UI:P"],
        (1, _) => &["AV:P/PR:N/UI:N", "AV:A/PR:L/UI:P"],
        (2, 0) => &["AC:L/AT:N"],
        (2, _) => &["AC:H/AT:N", "AC:L/AT:P"],
        (4, 0) => &["SC:H/SI:S/SA:S"],
        (4, 1) => &["SC:H/SI:H/SA:H"],
        (4, _) => &["SC:L/SI:L/SA:L"],
        (5, 0) => &["E:A"],
        (5, 1) => &["E:P"],
        _ => &["E:U"],
    }
}

/// Highest-severity vectors for the joint EQ3/EQ6 level.
fn eq3eq6_maxes(eq3: u8, eq6: u8) -> &'static [&'static str] {
    match (eq3, eq6) {
        (0, 0) => &["VC:H/VI:H/VA:H/CR:H/IR:H/AR:H"],
        (0, _) => &[
            "VC:H/VI:H/VA:L/CR:M/IR:M/AR:H",
            "VC:H/VI:H/VA:H/CR:M/IR:M/AR:M",
        ],
        (1, 0) => &[
            "VC:L/VI:H/VA:H/CR:H/IR:H/AR:H",
            "VC:H/VI:L/VA:H/CR:H/IR:H/AR:H",
        ],
        (1, _) => &[
            "VC:L/VI:H/VA:L/CR:H/IR:M/AR:H",
            "VC:L/VI:H/VA:H/CR:H/IR:M/AR:M",
            "VC:H/VI:L/VA:H/CR:M/IR:H/AR:M",
            "VC:H/VI:L/VA:L/CR:M/IR:H/AR:H",
            "VC:L/VI:L/VA:H/CR:H/IR:H/AR:M",
        ],
        _ => &["VC:L/VI:L/VA:L/CR:H/IR:H/AR:H"],
    }
}

/// Depth of each MacroVector level in "steps" (`maxSeverity`).
fn max_severity_eq(eq: usize, level: u8) -> f64 {
    match (eq, level) {
        (1, 1) | (4, 2) => 4.0,
        (1, _) | (4, 1) => 5.0,
        (2, 1) => 2.0,
        (4, 0) => 6.0,
        _ => 1.0,
    }
}

fn max_severity_eq3eq6(eq3: u8, eq6: u8) -> f64 {
    match (eq3, eq6) {
        (0, 0) => 7.0,
        (0, _) => 6.0,
        (1, _) => 8.0,
        _ => 10.0,
    }
}

fn lookup(mv: [u8; 6]) -> Option<f64> {
    let key: String = mv.iter().map(|d| char::from(b'0' + d)).collect();
    LOOKUP
        .binary_search_by(|(k, _)| (*k).cmp(key.as_str()))
        .ok()
        .map(|i| LOOKUP[i].1)
}

/// A parsed CVSS v4.0 vector.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CvssV4 {
    metrics: BTreeMap<String, String>,
}

impl CvssV4 {
    pub fn parse(vector: &str) -> Result<CvssV4, CvssError> {
        let metrics = parse_metrics(vector, "CVSS:4.0/", ALLOWED)?;
        for key in BASE {
            if !metrics.contains_key(key) {
                return Err(CvssError::invalid(
                    vector,
                    format!("base metric `{key}` missing"),
                ));
            }
        }
        Ok(CvssV4 {
            metrics: metrics
                .into_iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        })
    }

    /// The effective value of a metric: modified values replace base ones; E defaults to A and
    /// CR/IR/AR to H (the worst case).
    fn m(&self, metric: &str) -> &str {
        let selected = self.metrics.get(metric).map_or(X, String::as_str);
        match (metric, selected) {
            ("E", X) => return "A",
            ("CR" | "IR" | "AR", X) => return "H",
            _ => {}
        }
        match self.metrics.get(&format!("M{metric}")) {
            Some(modified) if modified != X => modified,
            _ => selected,
        }
    }

    /// The MacroVector: EQ1..EQ6.
    pub fn macro_vector(&self) -> [u8; 6] {
        let is = |metric: &str, value: &str| self.m(metric) == value;
        let all_n = is("AV", "N") && is("PR", "N") && is("UI", "N");
        let any_n = is("AV", "N") || is("PR", "N") || is("UI", "N");
        let eq1 = if all_n {
            0
        } else if any_n && !is("AV", "P") {
            1
        } else {
            2
        };
        let eq2 = u8::from(!(is("AC", "L") && is("AT", "N")));
        let eq3 = if is("VC", "H") && is("VI", "H") {
            0
        } else if is("VC", "H") || is("VI", "H") || is("VA", "H") {
            1
        } else {
            2
        };
        let eq4 = if is("MSI", "S") || is("MSA", "S") {
            0
        } else if is("SC", "H") || is("SI", "H") || is("SA", "H") {
            1
        } else {
            2
        };
        let eq5 = match self.m("E") {
            "A" => 0,
            "P" => 1,
            _ => 2,
        };
        let eq6 = u8::from(
            !((is("CR", "H") && is("VC", "H"))
                || (is("IR", "H") && is("VI", "H"))
                || (is("AR", "H") && is("VA", "H"))),
        );
        [eq1, eq2, eq3, eq4, eq5, eq6]
    }

    /// The score, 0.0–10.0 with one decimal.
    pub fn score(&self) -> f64 {
        if ["VC", "VI", "VA", "SC", "SI", "SA"]
            .iter()
            .all(|k| self.m(k) == "N")
        {
            return 0.0;
        }
        let mv = self.macro_vector();
        let Some(value) = lookup(mv) else {
            return 0.0;
        };
        let [eq1, eq2, eq3, eq4, eq5, eq6] = mv;
        let lower = |i: usize, j: Option<usize>| {
            let mut next = mv;
            next[i] += 1;
            if let Some(j) = j {
                next[j] += 1;
            }
            lookup(next)
        };
        let eq3eq6_lower = match (eq3, eq6) {
            (0 | 1, 1) => lower(2, None),
            (1, 0) => lower(5, None),
            (0, 0) => match (lower(5, None), lower(2, None)) {
                (Some(l), Some(r)) => Some(if l > r { l } else { r }),
                (l, r) => l.or(r),
            },
            _ => lower(2, Some(5)),
        };
        let next_lower = [
            lower(0, None),
            lower(1, None),
            eq3eq6_lower,
            lower(3, None),
            lower(4, None),
        ];

        // The first highest-severity vector of the MacroVector that the vector does not exceed.
        let mut distances = [0.0_f64; 14];
        'candidates: for a in eq_maxes(1, eq1) {
            for b in eq_maxes(2, eq2) {
                for c in eq3eq6_maxes(eq3, eq6) {
                    for d in eq_maxes(4, eq4) {
                        for e in eq_maxes(5, eq5) {
                            let max: BTreeMap<&str, &str> = [a, b, c, d, e]
                                .iter()
                                .flat_map(|piece| piece.split('/'))
                                .filter_map(|kv| kv.split_once(':'))
                                .collect();
                            for (slot, metric) in distances.iter_mut().zip(DISTANCE_METRICS) {
                                let max_value = max.get(metric).copied().unwrap_or_default();
                                *slot = level(metric, self.m(metric)) - level(metric, max_value);
                            }
                            if distances.iter().all(|d| *d >= 0.0) {
                                break 'candidates;
                            }
                        }
                    }
                }
            }
        }
        let [av, pr, ui, ac, at, vc, vi, va, sc, si, sa, cr, ir, ar] = distances;
        let current = [
            av + pr + ui,
            ac + at,
            vc + vi + va + cr + ir + ar,
            sc + si + sa,
            0.0,
        ];
        let step = 0.1;
        let depth = [
            max_severity_eq(1, eq1) * step,
            max_severity_eq(2, eq2) * step,
            max_severity_eq3eq6(eq3, eq6) * step,
            max_severity_eq(4, eq4) * step,
            max_severity_eq(5, eq5) * step,
        ];
        let mut existing = 0_u32;
        let mut normalized = [0.0_f64; 5];
        for i in 0..5 {
            if let Some(next) = next_lower[i] {
                existing += 1;
                let available = value - next;
                // EQ5's severity distance is always 0.
                let percent = if i == 4 { 0.0 } else { current[i] / depth[i] };
                normalized[i] = available * percent;
            }
        }
        let mean = if existing == 0 {
            0.0
        } else {
            normalized.iter().sum::<f64>() / f64::from(existing)
        };
        let score = (value - mean).clamp(0.0, 10.0);
        // Round half up, lifted by an epsilon so x.x4999999 ties land where the exact value would.
        ((score + 1e-6) * 10.0 + 0.5).floor() / 10.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn score(v: &str) -> f64 {
        CvssV4::parse(v).unwrap().score()
    }

    fn assert_score(v: &str, expected: f64) {
        let got = score(v);
        assert!((got - expected).abs() < 1e-9, "{v}: {got} != {expected}");
    }

    #[test]
    fn reference_examples() {
        assert_score(
            "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N",
            9.3,
        );
        assert_score(
            "CVSS:4.0/AV:N/AC:L/AT:P/PR:N/UI:N/VC:N/VI:N/VA:H/SC:N/SI:N/SA:N",
            8.2,
        );
        assert_score(
            "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:N/SC:N/SI:N/SA:N",
            0.0,
        );
        let v = CvssV4::parse("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N")
            .unwrap();
        assert_eq!(v.macro_vector(), [0, 0, 0, 2, 0, 0]);
    }

    #[test]
    fn rejects_bad_vectors() {
        assert!(
            CvssV4::parse("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N").is_err()
        );
        assert!(
            CvssV4::parse("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:X/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N")
                .is_err()
        );
    }

    #[test]
    fn table_is_sorted_and_complete() {
        assert!(LOOKUP.windows(2).all(|w| w[0].0 < w[1].0));
        assert!(lookup([2, 1, 2, 2, 2, 1]).is_some_and(|s| (s - 0.1).abs() < 1e-9));
        assert_eq!(lookup([0, 0, 2, 0, 0, 0]), None);
    }
}
