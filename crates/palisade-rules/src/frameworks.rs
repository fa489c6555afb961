/// A named set of controls users can select and score against.
#[derive(Debug)]
pub struct Framework {
    pub id: &'static str,
    pub name: &'static str,
    pub description: &'static str,
    /// Control IDs; empty with `all_controls` set means every control.
    pub controls: &'static [&'static str],
    pub all_controls: bool,
}

const PSS_BASELINE: &[&str] = &[
    "POD-001", "POD-002", "POD-003", "POD-004", "POD-005", "POD-006", "POD-007", "POD-008",
    "POD-009", "POD-010", "POD-011", "POD-012", "POD-013", "POD-014",
];

const PSS_RESTRICTED: &[&str] = &[
    "POD-001", "POD-002", "POD-003", "POD-004", "POD-005", "POD-006", "POD-007", "POD-008",
    "POD-009", "POD-010", "POD-011", "POD-012", "POD-013", "POD-014", "POD-015", "POD-016",
    "POD-017", "POD-018", "POD-019", "POD-020", "POD-021",
];

/// The built-in frameworks. Membership is data here, not in the controls, so a control's
/// frameworks are derived from one place.
pub static FRAMEWORKS: &[Framework] = &[
    Framework {
        id: "pss-baseline",
        name: "Pod Security Standards: Baseline",
        description: "Prevents known privilege escalations; what Pod Security Admission enforces at level `baseline`.",
        controls: PSS_BASELINE,
        all_controls: false,
    },
    Framework {
        id: "pss-restricted",
        name: "Pod Security Standards: Restricted",
        description: "Current pod hardening best practice; Pod Security Admission level `restricted` (includes baseline).",
        controls: PSS_RESTRICTED,
        all_controls: false,
    },
    Framework {
        id: "all",
        name: "All controls",
        description: "Every built-in control.",
        controls: &[],
        all_controls: true,
    },
];

/// Finds a framework by ID, case-insensitively.
pub fn framework(id: &str) -> Option<&'static Framework> {
    FRAMEWORKS.iter().find(|f| f.id.eq_ignore_ascii_case(id))
}

impl Framework {
    pub fn contains(&self, control_id: &str) -> bool {
        self.all_controls || self.controls.contains(&control_id)
    }

    /// IDs of the frameworks that include `control_id` (`all` excluded).
    pub fn memberships(control_id: &str) -> Vec<&'static str> {
        FRAMEWORKS
            .iter()
            .filter(|f| !f.all_controls && f.contains(control_id))
            .map(|f| f.id)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::find_control;

    #[test]
    fn framework_members_exist_and_restricted_includes_baseline() {
        for fw in FRAMEWORKS {
            for id in fw.controls {
                assert!(find_control(id).is_some(), "{} lists unknown {id}", fw.id);
            }
        }
        for id in PSS_BASELINE {
            assert!(PSS_RESTRICTED.contains(id));
        }
    }
}
