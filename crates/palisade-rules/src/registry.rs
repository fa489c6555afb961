use crate::Control;
use std::sync::LazyLock;

use crate::controls::FAMILIES;

/// Every built-in control, in ID order.
static CONTROLS: LazyLock<Vec<&'static Control>> = LazyLock::new(|| {
    let mut controls: Vec<&'static Control> = FAMILIES
        .iter()
        .flat_map(|family| family.iter().copied())
        .collect();
    controls.sort_by_key(|c| c.id);
    controls
});

pub fn all_controls() -> &'static [&'static Control] {
    &CONTROLS
}

/// Finds a control by ID (`POD-001`), slug (`privileged-container`) or, when exactly one
/// control carries it, an equivalent Kubescape ID (`C-0057`). Case-insensitive.
pub fn find_control(name: &str) -> Option<&'static Control> {
    let by_own_name = CONTROLS
        .iter()
        .find(|c| c.id.eq_ignore_ascii_case(name) || c.slug.eq_ignore_ascii_case(name));
    if let Some(control) = by_own_name {
        return Some(control);
    }
    let mut aliased = CONTROLS.iter().filter(|c| {
        c.references
            .kubescape
            .iter()
            .any(|k| k.eq_ignore_ascii_case(name))
    });
    let first = aliased.next()?;
    aliased.next().is_none().then_some(*first)
}

/// Every control carrying a Kubescape ID (`C-0038` names both `host-pid` and `host-ipc`).
pub(crate) fn controls_with_alias(name: &str) -> Vec<&'static Control> {
    CONTROLS
        .iter()
        .copied()
        .filter(|c| {
            c.references
                .kubescape
                .iter()
                .any(|k| k.eq_ignore_ascii_case(name))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    #[test]
    fn ids_and_slugs_are_unique_and_well_formed() {
        let mut seen = HashSet::new();
        for control in CONTROLS.iter() {
            assert!(seen.insert(control.id), "duplicate id {}", control.id);
            assert!(seen.insert(control.slug), "duplicate slug {}", control.slug);
            let (family, number) = control.id.split_once('-').unwrap();
            assert!(
                family.chars().all(|c| c.is_ascii_uppercase()),
                "{}",
                control.id
            );
            assert_eq!(number.len(), 3, "{}", control.id);
            assert!(
                control
                    .slug
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            );
        }
    }

    #[test]
    fn every_control_is_documented_with_the_fixed_headings() {
        for control in CONTROLS.iter() {
            for heading in [
                "## What it checks",
                "## Why it matters",
                "## How to fix",
                "## Example",
            ] {
                assert!(
                    control.docs.contains(heading),
                    "{} lacks {heading}",
                    control.id
                );
            }
            assert!(!control.remediation.is_empty(), "{}", control.id);
        }
    }

    #[test]
    fn lookup_accepts_ids_slugs_and_unique_aliases() {
        assert_eq!(
            find_control("pod-001").unwrap().slug,
            "privileged-container"
        );
        assert_eq!(find_control("privileged-container").unwrap().id, "POD-001");
        assert_eq!(find_control("C-0057").unwrap().id, "POD-001");
        assert!(find_control("C-0038").is_none(), "ambiguous alias");
        assert_eq!(controls_with_alias("C-0038").len(), 2);
        assert!(find_control("POD-999").is_none());
    }
}
