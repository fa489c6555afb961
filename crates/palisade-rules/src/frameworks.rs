use std::collections::HashMap;
use std::sync::LazyLock;

use crate::{Control, find_control};

/// How a framework's controls are chosen.
#[derive(Debug)]
pub enum Membership {
    /// Exactly these control IDs.
    Listed(&'static [&'static str]),
    /// Every control.
    All,
    /// Controls for which the predicate holds (frameworks defined through references, so a
    /// new control joins them by declaring what it is equivalent to).
    Derived(fn(&Control) -> bool),
}

/// A named set of controls users can select and score against.
#[derive(Debug)]
pub struct Framework {
    pub id: &'static str,
    pub name: &'static str,
    pub description: &'static str,
    pub membership: Membership,
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

/// Kubescape control IDs in its `nsa` and `mitre` frameworks (facts from its catalog).
static KUBESCAPE_FRAMEWORKS: LazyLock<HashMap<&'static str, Vec<&'static str>>> =
    LazyLock::new(|| {
        include_str!("../data/kubescape-frameworks.tsv")
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
            .filter_map(|l| l.split_once('\t'))
            .map(|(id, fws)| (id, fws.split(',').collect()))
            .collect()
    });

fn in_kubescape_framework(control: &Control, framework: &str) -> bool {
    control.references.kubescape.iter().any(|id| {
        KUBESCAPE_FRAMEWORKS
            .get(id)
            .is_some_and(|fws| fws.contains(&framework))
    })
}

/// NSA-CISA Kubernetes Hardening Guidance v1.2: the controls Kubescape maps to it, plus
/// namespace Pod Security Admission labels (the guide's replacement for PSP) and digest
/// pinning (the manifest part of "build secure images").
fn nsa_member(control: &Control) -> bool {
    in_kubescape_framework(control, "nsa")
        || control.id.starts_with("NS-")
        || control.id == "IMG-002"
}

fn mitre_member(control: &Control) -> bool {
    in_kubescape_framework(control, "mitre")
}

/// CIS Kubernetes Benchmark section 5 (Policies): controls that implement a recommendation.
fn cis_member(control: &Control) -> bool {
    control.references.cis.iter().any(|id| id.starts_with("5."))
}

/// The built-in frameworks. Membership is data here, not in the controls, so a control's
/// frameworks are derived from one place.
pub static FRAMEWORKS: &[Framework] = &[
    Framework {
        id: "pss-baseline",
        name: "Pod Security Standards: Baseline",
        description: "Prevents known privilege escalations; what Pod Security Admission enforces at level `baseline`.",
        membership: Membership::Listed(PSS_BASELINE),
    },
    Framework {
        id: "pss-restricted",
        name: "Pod Security Standards: Restricted",
        description: "Current pod hardening best practice; Pod Security Admission level `restricted` (includes baseline).",
        membership: Membership::Listed(PSS_RESTRICTED),
    },
    Framework {
        id: "nsa",
        name: "NSA-CISA Kubernetes Hardening Guidance v1.2",
        description: "The manifest-checkable recommendations of the NSA-CISA guide: pod security, namespaces, network policies, RBAC, secrets, resource limits.",
        membership: Membership::Derived(nsa_member),
    },
    Framework {
        id: "mitre",
        name: "MITRE ATT&CK for Kubernetes",
        description: "Controls that detect techniques of the MITRE ATT&CK containers matrix (privileged containers, exec access, secrets access, exposed services, writable host paths).",
        membership: Membership::Derived(mitre_member),
    },
    Framework {
        id: "cis",
        name: "CIS Kubernetes Benchmark, section 5 (workloads and RBAC)",
        description: "The Policies section of the CIS Kubernetes Benchmark: RBAC and service accounts (5.1), pod security (5.2), network policies (5.3), secrets (5.4), general policies (5.7).",
        membership: Membership::Derived(cis_member),
    },
    Framework {
        id: "all",
        name: "All controls",
        description: "Every built-in control.",
        membership: Membership::All,
    },
];

/// Finds a framework by ID, case-insensitively.
pub fn framework(id: &str) -> Option<&'static Framework> {
    FRAMEWORKS.iter().find(|f| f.id.eq_ignore_ascii_case(id))
}

impl Framework {
    pub fn contains(&self, control_id: &str) -> bool {
        match self.membership {
            Membership::All => true,
            Membership::Listed(ids) => ids.contains(&control_id),
            Membership::Derived(member) => find_control(control_id).is_some_and(member),
        }
    }

    /// True for `all`, which is a selection shortcut rather than a standard to report on.
    pub fn is_everything(&self) -> bool {
        matches!(self.membership, Membership::All)
    }

    /// IDs of the frameworks that include `control_id` (`all` excluded).
    pub fn memberships(control_id: &str) -> Vec<&'static str> {
        FRAMEWORKS
            .iter()
            .filter(|f| !f.is_everything() && f.contains(control_id))
            .map(|f| f.id)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::all_controls;

    #[test]
    fn framework_members_exist_and_restricted_includes_baseline() {
        for fw in FRAMEWORKS {
            if let Membership::Listed(ids) = fw.membership {
                for id in ids {
                    assert!(find_control(id).is_some(), "{} lists unknown {id}", fw.id);
                }
            }
        }
        for id in PSS_BASELINE {
            assert!(PSS_RESTRICTED.contains(id));
        }
    }

    fn members(id: &str) -> Vec<&'static str> {
        let fw = framework(id).unwrap();
        all_controls()
            .iter()
            .filter(|c| fw.contains(c.id))
            .map(|c| c.id)
            .collect()
    }

    #[test]
    fn derived_frameworks_follow_references() {
        let nsa = members("nsa");
        for id in ["POD-001", "POD-002", "RBAC-001", "NET-001", "POD-101"] {
            assert!(nsa.contains(&id), "nsa lacks {id}: {nsa:?}");
        }
        let mitre = members("mitre");
        assert!(
            mitre.contains(&"POD-001") && mitre.contains(&"RBAC-003"),
            "{mitre:?}"
        );
        assert!(
            !mitre.contains(&"WL-005"),
            "probes are not an ATT&CK technique"
        );
        let cis = members("cis");
        for id in ["RBAC-001", "POD-001", "POD-111", "NET-004"] {
            assert!(cis.contains(&id), "cis lacks {id}: {cis:?}");
        }
        assert!(!cis.contains(&"WL-005"));
        for fw in ["nsa", "mitre", "cis"] {
            assert!(members(fw).len() >= 10, "{fw} is implausibly small");
        }
        assert_eq!(members("all").len(), all_controls().len());
        assert!(Framework::memberships("POD-001").contains(&"cis"));
        assert!(!Framework::memberships("POD-001").contains(&"all"));
    }
}
