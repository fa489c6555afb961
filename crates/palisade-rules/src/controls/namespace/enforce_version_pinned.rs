use palisade_core::Severity;
use palisade_k8s::Object;

use super::support::{ENFORCE_VERSION, describe, is_namespace, label, label_pointer};
use crate::control::control;
use crate::{Check, CheckContext, ControlRefs, PssVersion, Targets, Violation};

/// Pins older than this are reported: v1.25 is the release in which Pod Security Admission
/// became stable and the policy's Windows exemptions were settled; anything older is long out
/// of support.
const OLDEST_ACCEPTED_MINOR: u32 = 25;

control! {
    /// ## What it checks
    /// Namespaces whose `pod-security.kubernetes.io/enforce-version` label pins the policy to a
    /// version older than v1.25, or to a value that is not `latest` or `v1.N`.
    ///
    /// ## Why it matters
    /// A pinned version evaluates pods against the rules of that Kubernetes release. Checks
    /// added since (host probes in v1.34, `/proc` mount in v1.35, tightened seccomp and
    /// capability rules) are not enforced, and the pin is easily forgotten after an upgrade.
    /// An invalid value is a typo whose effect nobody chose.
    ///
    /// ## How to fix
    /// Use `latest`, or pin the version of the cluster's current release while preparing an
    /// upgrade, and update it afterwards.
    ///
    /// ## Example
    /// ```yaml
    /// metadata:
    ///   labels:
    ///     pod-security.kubernetes.io/enforce: restricted
    ///     pod-security.kubernetes.io/enforce-version: latest
    /// ```
    pub static ENFORCE_VERSION_PINNED = Control {
        id: "NS-004",
        slug: "namespace-pod-security-version-outdated",
        title: "Namespace pins an outdated Pod Security policy version",
        severity: Severity::Low,
        category: "Pod security admission",
        references: ControlRefs::NONE,
        remediation: "Set pod-security.kubernetes.io/enforce-version to latest or to the cluster's current version.",
        targets: Targets::Kinds(&["Namespace"]),
        check: Check::Object(check),
    };
}

fn check(_: &CheckContext, object: &Object, out: &mut Vec<Violation>) {
    if !is_namespace(object) {
        return;
    }
    let Some(pinned) = label(object, ENFORCE_VERSION) else {
        return;
    };
    let message = match pinned.parse::<PssVersion>() {
        Ok(version) if version.at_least(OLDEST_ACCEPTED_MINOR) => return,
        Ok(version) => format!(
            "{} enforces the Pod Security policy of {version}, older than v1.{OLDEST_ACCEPTED_MINOR}; newer checks are not enforced",
            describe(object)
        ),
        Err(_) => format!(
            "{} sets {ENFORCE_VERSION} to \"{pinned}\", which is neither latest nor v1.N",
            describe(object)
        ),
    };
    out.push(
        Violation::new(label_pointer(ENFORCE_VERSION), message)
            .with_evidence(format!("{ENFORCE_VERSION}: {pinned}")),
    );
}
