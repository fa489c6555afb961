use std::borrow::Cow;
use std::sync::{Arc, OnceLock};

use palisade_core::{Finding, References, Severity, SignatureVerdicts};
use palisade_k8s::{Object, ObjectSet, PodView};

use crate::{ControlParams, PssVersion};

/// Settings the checks read.
#[derive(Debug, Clone)]
pub struct CheckContext {
    /// The Pod Security Standards policy version to evaluate, like PSA's `enforce-version`.
    pub pss_version: PssVersion,
    /// User-tunable inputs (allowed registries, sensitive names, …).
    pub params: Arc<ControlParams>,
    /// Show secret values in evidence (`--show-secrets`); redacted otherwise.
    pub show_secrets: bool,
    /// Cosign signature verdicts of the scanned images, when the scan checked them
    /// (`--verify-signatures`); the signature controls report nothing without them.
    pub signatures: Option<Arc<SignatureVerdicts>>,
}

impl CheckContext {
    /// A secret value as evidence may show it: redacted unless `--show-secrets`.
    pub fn secret_evidence(&self, value: &str) -> String {
        if self.show_secrets {
            value.to_string()
        } else {
            palisade_core::redact(value)
        }
    }
}

impl Default for CheckContext {
    fn default() -> Self {
        CheckContext {
            pss_version: PssVersion::latest(),
            params: Arc::new(ControlParams::default()),
            show_secrets: false,
            signatures: None,
        }
    }
}

/// One problem a check found in an object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    /// JSON pointer of the offending (or missing) field, relative to the object.
    pub pointer: String,
    pub message: String,
    /// The offending value as written, e.g. `privileged: true`.
    pub evidence: Option<String>,
}

impl Violation {
    pub fn new(pointer: impl Into<String>, message: impl Into<String>) -> Self {
        Violation {
            pointer: pointer.into(),
            message: message.into(),
            evidence: None,
        }
    }

    #[must_use]
    pub fn with_evidence(mut self, evidence: impl Into<String>) -> Self {
        self.evidence = Some(evidence.into());
        self
    }
}

/// IDs of the equivalent check in other tools and standards.
#[derive(Debug, Clone, Copy)]
pub struct ControlRefs {
    /// Pod Security Admission check name.
    pub pss: Option<&'static str>,
    pub kubescape: &'static [&'static str],
    pub cis: &'static [&'static str],
    pub checkov: &'static [&'static str],
    pub trivy: &'static [&'static str],
    pub kube_linter: &'static [&'static str],
    pub polaris: &'static [&'static str],
}

impl ControlRefs {
    /// No equivalents anywhere (usable in statics, unlike `Default`).
    pub const NONE: ControlRefs = ControlRefs {
        pss: None,
        kubescape: &[],
        cis: &[],
        checkov: &[],
        trivy: &[],
        kube_linter: &[],
        polaris: &[],
    };

    pub fn to_references(&self) -> References {
        let owned = |ids: &[&str]| ids.iter().map(|s| (*s).to_string()).collect();
        References {
            pss: self.pss.map(str::to_string),
            kubescape: owned(self.kubescape),
            cis: owned(self.cis),
            checkov: owned(self.checkov),
            trivy: owned(self.trivy),
            kube_linter: owned(self.kube_linter),
            polaris: owned(self.polaris),
            urls: Vec::new(),
        }
    }
}

/// Signature of a check that looks at one object.
pub type ObjectCheckFn = fn(&CheckContext, &Object, &mut Vec<Violation>);

/// Signature of a check that looks across every object of the scan (RBAC, network policies,
/// references). It reports violations against objects by their index in the set.
pub type SetCheckFn = fn(&CheckContext, &ObjectSet, &mut Vec<SetViolation>);

/// A violation found by a set check, on the object at `object` in the [`ObjectSet`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SetViolation {
    pub object: usize,
    pub violation: Violation,
}

/// How a control is evaluated.
#[derive(Debug, Clone, Copy)]
pub enum Check {
    /// Reported by the scan pipeline itself (unparseable files, duplicate keys, …).
    Pipeline,
    Object(ObjectCheckFn),
    Set(SetCheckFn),
}

/// Which objects a control is about: the denominator of its compliance score.
#[derive(Debug, Clone, Copy)]
pub enum Targets {
    /// Objects with a pod spec (Pods and workload controllers).
    Workloads,
    /// Objects of these kinds.
    Kinds(&'static [&'static str]),
    /// Files, not objects.
    Files,
}

impl Targets {
    pub fn applies_to(&self, object: &Object) -> bool {
        match self {
            Targets::Workloads => PodView::of(object).is_some(),
            Targets::Kinds(kinds) => kinds.contains(&object.kind()),
            Targets::Files => false,
        }
    }
}

/// A control: metadata, documentation and (for object controls) the check.
#[derive(Debug)]
pub struct Control {
    pub id: &'static str,
    pub slug: &'static str,
    pub title: &'static str,
    pub severity: Severity,
    pub category: &'static str,
    pub references: ControlRefs,
    /// One-line fix advice shown with every finding.
    pub remediation: &'static str,
    /// Markdown with the fixed headings: What it checks / Why it matters / How to fix / Example.
    pub docs: &'static str,
    pub targets: Targets,
    pub check: Check,
    /// `references` as findings carry them, built once.
    pub shared_references: OnceLock<Arc<References>>,
}

impl Control {
    /// Turns a violation on `object` into a finding with its location.
    pub fn finding(&self, object: &Object, violation: Violation) -> Finding {
        let mut finding = self.bare_finding(violation.message);
        finding.location = Some(object.locate(&violation.pointer));
        finding.resource = Some(object.resource.clone());
        finding.evidence = violation.evidence;
        finding
    }

    /// A finding of this control with no object or location yet.
    pub fn bare_finding(&self, message: String) -> Finding {
        let mut finding = Finding::new(self.id, self.severity, message);
        finding.slug = Cow::Borrowed(self.slug);
        finding.title = Cow::Borrowed(self.title);
        finding.remediation = Cow::Borrowed(self.remediation);
        // One copy per control, shared by its findings: a large scan has tens of thousands.
        finding.references = Arc::clone(
            self.shared_references
                .get_or_init(|| Arc::new(self.references.to_references())),
        );
        finding
    }
}

/// Declares a control; the doc comments written above it become its documentation.
macro_rules! control {
    (
        $(#[doc = $doc:literal])*
        pub static $name:ident = Control {
            $($field:ident : $value:expr),* $(,)?
        };
    ) => {
        $(#[doc = $doc])*
        pub static $name: $crate::Control = $crate::Control {
            docs: concat!($($doc, "\n"),*),
            shared_references: std::sync::OnceLock::new(),
            $($field: $value),*
        };
    };
}
pub(crate) use control;
