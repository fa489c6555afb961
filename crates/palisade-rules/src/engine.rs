use palisade_core::Finding;
use palisade_k8s::{Object, ObjectSet};
use rayon::prelude::*;

use crate::registry::controls_with_alias;
use crate::{Check, CheckContext, Control, SetViolation, all_controls, find_control, framework};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SelectionError {
    #[error("unknown framework `{0}` (see `palisade list frameworks`)")]
    UnknownFramework(String),
    #[error("unknown control `{0}` (see `palisade list controls`)")]
    UnknownControl(String),
}

/// The controls a scan runs, resolved from `--framework`, `--controls` and `--skip-controls`.
#[derive(Debug, Clone)]
pub struct Selection {
    controls: Vec<&'static Control>,
}

/// Resolves a user-given control name: ID, slug, or Kubescape alias (which may name several).
pub fn resolve_control(name: &str) -> Result<Vec<&'static Control>, SelectionError> {
    if let Some(control) = find_control(name) {
        return Ok(vec![control]);
    }
    let aliased = controls_with_alias(name);
    if aliased.is_empty() {
        Err(SelectionError::UnknownControl(name.to_string()))
    } else {
        Ok(aliased)
    }
}

impl Selection {
    /// Whether a selected control relates objects to each other, so the scan must keep the
    /// objects such controls read until every file is scanned.
    pub fn has_cross_resource_controls(&self) -> bool {
        self.controls
            .iter()
            .any(|control| matches!(control.check, Check::Set(_)))
    }

    /// Every control.
    pub fn all() -> Self {
        Selection {
            controls: all_controls().to_vec(),
        }
    }

    /// Frameworks and controls are unioned (none of either means every control); skipped
    /// controls are removed last. File-level controls (unparseable files, duplicate keys) run
    /// whatever the frameworks unless skipped: a scan must never hide that it could not read
    /// its input. Any unknown name is an error, never a silently empty scan.
    pub fn new(
        frameworks: &[String],
        controls: &[String],
        skip: &[String],
    ) -> Result<Self, SelectionError> {
        let mut chosen: Vec<&'static Control> = Vec::new();
        for id in frameworks {
            let fw = framework(id).ok_or_else(|| SelectionError::UnknownFramework(id.clone()))?;
            chosen.extend(all_controls().iter().copied().filter(|c| fw.contains(c.id)));
        }
        for name in controls {
            chosen.extend(resolve_control(name)?);
        }
        if frameworks.is_empty() && controls.is_empty() {
            chosen = all_controls().to_vec();
        } else {
            chosen.extend(
                all_controls()
                    .iter()
                    .copied()
                    .filter(|c| matches!(c.check, Check::Pipeline)),
            );
        }
        let mut skipped: Vec<&'static Control> = Vec::new();
        for name in skip {
            skipped.extend(resolve_control(name)?);
        }
        let mut selected: Vec<&'static Control> = all_controls()
            .iter()
            .copied()
            .filter(|c| {
                chosen.iter().any(|x| x.id == c.id) && !skipped.iter().any(|x| x.id == c.id)
            })
            .collect();
        selected.dedup_by_key(|c| c.id);
        Ok(Selection { controls: selected })
    }

    pub fn controls(&self) -> &[&'static Control] {
        &self.controls
    }

    pub fn includes(&self, id: &str) -> bool {
        self.controls.iter().any(|c| c.id == id)
    }

    /// The selected controls that need registry access (image signatures).
    pub fn registry_controls(&self) -> impl Iterator<Item = &'static Control> + '_ {
        self.controls
            .iter()
            .copied()
            .filter(|c| is_registry_control(c))
    }

    /// This selection without the controls that need registry access: a scan that may not
    /// contact registries cannot judge them, and counting them as passed would overstate
    /// compliance.
    #[must_use]
    pub fn without_registry_controls(&self) -> Selection {
        Selection {
            controls: self
                .controls
                .iter()
                .copied()
                .filter(|c| !is_registry_control(c))
                .collect(),
        }
    }
}

fn is_registry_control(control: &Control) -> bool {
    REGISTRY_CONTROLS.iter().any(|r| r.id == control.id)
}

/// Controls that look images up in their registries.
pub static REGISTRY_CONTROLS: &[&Control] = &[
    &crate::controls::image::SIGNATURE_MISSING,
    &crate::controls::image::SIGNATURE_UNTRUSTED,
];

/// Runs every selected object control on `object`.
pub fn evaluate_object(selection: &Selection, ctx: &CheckContext, object: &Object) -> Vec<Finding> {
    let mut findings = Vec::new();
    let mut violations = Vec::new();
    for control in &selection.controls {
        let Check::Object(check) = control.check else {
            continue;
        };
        check(ctx, object, &mut violations);
        findings.extend(violations.drain(..).map(|v| control.finding(object, v)));
    }
    findings
}

/// Runs every selected cross-resource control over the whole set.
pub fn evaluate_set(selection: &Selection, ctx: &CheckContext, set: &ObjectSet) -> Vec<Finding> {
    evaluate_set_indexed(selection, ctx, set)
        .into_iter()
        .flatten()
        .map(|(_, finding)| finding)
        .collect()
}

/// [`evaluate_set`], one list per control, with the index in `set` of the object each finding
/// is about (for suppressions that read the object's annotations and labels). The lists are
/// left apart so a caller can size its own collection once.
pub fn evaluate_set_indexed(
    selection: &Selection,
    ctx: &CheckContext,
    set: &ObjectSet,
) -> Vec<Vec<(usize, Finding)>> {
    // Cross-resource controls are independent of each other: run them in parallel.
    selection
        .controls
        .par_iter()
        .filter_map(|control| match control.check {
            Check::Set(check) => Some((control, check)),
            _ => None,
        })
        .map(|(control, check)| {
            let mut violations = Vec::new();
            check(ctx, set, &mut violations);
            violations
                .into_iter()
                .filter_map(|SetViolation { object, violation }| {
                    set.get(object)
                        .map(|found| (object, control.finding(found, violation)))
                })
                .collect()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| (*s).to_string()).collect()
    }

    #[test]
    fn frameworks_controls_and_skips_combine() {
        let baseline = Selection::new(&names(&["pss-baseline"]), &[], &[]).unwrap();
        assert!(baseline.includes("POD-001"));
        assert!(!baseline.includes("POD-017"));
        assert!(baseline.includes("FILE-001"), "file controls always run");

        let some = Selection::new(
            &[],
            &names(&["run-as-non-root", "C-0038"]),
            &names(&["host-ipc"]),
        )
        .unwrap();
        assert!(some.includes("POD-017") && some.includes("POD-002"));
        assert!(!some.includes("POD-003") && !some.includes("POD-001"));

        assert_eq!(
            Selection::new(&[], &[], &[]).unwrap().controls().len(),
            all_controls().len()
        );
    }

    #[test]
    fn unknown_names_are_errors() {
        assert_eq!(
            Selection::new(&names(&["nope"]), &[], &[]).unwrap_err(),
            SelectionError::UnknownFramework("nope".into())
        );
        assert!(Selection::new(&[], &names(&["POD-999"]), &[]).is_err());
        assert!(Selection::new(&[], &[], &names(&["bogus"])).is_err());
    }
}
