//! CVSS v3.0 / v3.1 base score (CVSS v3.1 specification §7.1 and Appendix A).

use super::{CvssError, CvssVersion, parse_metrics};

const ALLOWED: &[(&str, &[&str])] = &[
    ("AV", &["N", "A", "L", "P"]),
    ("AC", &["L", "H"]),
    ("PR", &["N", "L", "H"]),
    ("UI", &["N", "R"]),
    ("S", &["U", "C"]),
    ("C", &["N", "L", "H"]),
    ("I", &["N", "L", "H"]),
    ("A", &["N", "L", "H"]),
    ("E", &["X", "U", "P", "F", "H"]),
    ("RL", &["X", "O", "T", "W", "U"]),
    ("RC", &["X", "U", "R", "C"]),
    ("CR", &["X", "L", "M", "H"]),
    ("IR", &["X", "L", "M", "H"]),
    ("AR", &["X", "L", "M", "H"]),
    ("MAV", &["X", "N", "A", "L", "P"]),
    ("MAC", &["X", "L", "H"]),
    ("MPR", &["X", "N", "L", "H"]),
    ("MUI", &["X", "N", "R"]),
    ("MS", &["X", "U", "C"]),
    ("MC", &["X", "N", "L", "H"]),
    ("MI", &["X", "N", "L", "H"]),
    ("MA", &["X", "N", "L", "H"]),
];

const BASE: [&str; 8] = ["AV", "AC", "PR", "UI", "S", "C", "I", "A"];

/// The base metrics of a CVSS v3 vector.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CvssV3 {
    minor: u8,
    base: [char; 8],
}

impl CvssV3 {
    pub fn parse(vector: &str) -> Result<CvssV3, CvssError> {
        let minor = if vector.starts_with("CVSS:3.1/") {
            1
        } else if vector.starts_with("CVSS:3.0/") {
            0
        } else {
            return Err(CvssError::invalid(
                vector,
                "expected prefix `CVSS:3.0/` or `CVSS:3.1/`",
            ));
        };
        let metrics = parse_metrics(vector, &vector[..9], ALLOWED)?;
        let mut base = ['?'; 8];
        for (slot, key) in base.iter_mut().zip(BASE) {
            let value = metrics.get(key).ok_or_else(|| {
                CvssError::invalid(vector, format!("base metric `{key}` missing"))
            })?;
            *slot = value.chars().next().unwrap_or('?');
        }
        Ok(CvssV3 { minor, base })
    }

    pub fn version(&self) -> CvssVersion {
        if self.minor == 1 {
            CvssVersion::V3_1
        } else {
            CvssVersion::V3_0
        }
    }

    /// The base score, 0.0–10.0 with one decimal.
    pub fn base_score(&self) -> f64 {
        let [av, ac, pr, ui, s, c, i, a] = self.base;
        let changed = s == 'C';
        let av = match av {
            'N' => 0.85,
            'A' => 0.62,
            'L' => 0.55,
            _ => 0.2,
        };
        let ac = if ac == 'L' { 0.77 } else { 0.44 };
        let pr = match (pr, changed) {
            ('N', _) => 0.85,
            ('L', false) => 0.62,
            ('L', true) => 0.68,
            (_, false) => 0.27,
            (_, true) => 0.5,
        };
        let ui = if ui == 'N' { 0.85 } else { 0.62 };
        let cia = |x: char| match x {
            'H' => 0.56,
            'L' => 0.22,
            _ => 0.0,
        };
        let iss: f64 = 1.0 - ((1.0 - cia(c)) * (1.0 - cia(i)) * (1.0 - cia(a)));
        let impact: f64 = if changed {
            7.52 * (iss - 0.029) - 3.25 * (iss - 0.02).powi(15)
        } else {
            6.42 * iss
        };
        let exploitability: f64 = 8.22 * av * ac * pr * ui;
        if impact <= 0.0 {
            return 0.0;
        }
        let raw = if changed {
            (1.08 * (impact + exploitability)).min(10.0)
        } else {
            (impact + exploitability).min(10.0)
        };
        roundup(raw)
    }
}

/// "Roundup" (CVSS v3.1 Appendix A): the smallest one-decimal number ≥ the input, computed on
/// integers so floating-point noise (4.0000000001) does not push a score up a tenth.
fn roundup(x: f64) -> f64 {
    // Scores are at most 10.8 here, so the integers stay far below 2^31.
    let int_input = (x * 100_000.0).round() as i32;
    if int_input % 10_000 == 0 {
        f64::from(int_input) / 100_000.0
    } else {
        f64::from((int_input / 10_000) + 1) / 10.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assert_score(v: &str, expected: f64) {
        let got = CvssV3::parse(v).unwrap().base_score();
        assert!((got - expected).abs() < 1e-9, "{v}: {got} != {expected}");
    }

    #[test]
    fn well_known_scores() {
        assert_score("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 9.8);
        assert_score("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H", 10.0);
        assert_score("CVSS:3.0/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:H", 8.1);
        assert_score("CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N", 6.1);
        assert_score("CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:N/I:N/A:N", 0.0);
        assert!((roundup(4.000_000_000_01) - 4.0).abs() < 1e-9);
        assert!((roundup(4.02) - 4.1).abs() < 1e-9);
    }

    #[test]
    fn rejects_bad_vectors() {
        assert!(CvssV3::parse("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H").is_err());
        assert!(CvssV3::parse("CVSS:3.1/AV:N/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H").is_err());
        assert!(CvssV3::parse("CVSS:3.1/AV:Q/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H").is_err());
        assert!(CvssV3::parse("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:P").is_ok());
    }
}
