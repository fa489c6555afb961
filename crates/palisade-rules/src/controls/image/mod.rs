//! Image controls (`IMG-0NN`): tags and digests, pull policy, registries, and application
//! images with known critical vulnerabilities, all read from the image reference alone.

pub(crate) mod reference;
mod support;

mod allowed_registries;
mod deprecated_registry;
mod forbidden_registries;
mod ingress_nginx_eol;
mod ingress_nginx_snippets;
mod latest_tag;
mod not_pinned_by_digest;
mod pull_policy;
mod signature;
mod signature_missing;
mod signature_untrusted;
mod tiller;
mod vulnerable_argocd;
mod vulnerable_grafana;
mod vulnerable_kyverno;

pub use allowed_registries::ALLOWED_REGISTRIES;
pub use deprecated_registry::DEPRECATED_REGISTRY;
pub use forbidden_registries::FORBIDDEN_REGISTRIES;
pub use ingress_nginx_eol::INGRESS_NGINX_EOL;
pub use ingress_nginx_snippets::INGRESS_NGINX_SNIPPETS;
pub use latest_tag::LATEST_TAG;
pub use not_pinned_by_digest::NOT_PINNED_BY_DIGEST;
pub use pull_policy::PULL_POLICY;
pub use signature_missing::SIGNATURE_MISSING;
pub use signature_untrusted::SIGNATURE_UNTRUSTED;
pub use tiller::TILLER;
pub use vulnerable_argocd::VULNERABLE_ARGOCD;
pub use vulnerable_grafana::VULNERABLE_GRAFANA;
pub use vulnerable_kyverno::VULNERABLE_KYVERNO;

/// This family's controls.
pub(crate) static CONTROLS: &[&crate::Control] = &[
    &LATEST_TAG,
    &NOT_PINNED_BY_DIGEST,
    &PULL_POLICY,
    &DEPRECATED_REGISTRY,
    &VULNERABLE_ARGOCD,
    &VULNERABLE_GRAFANA,
    &VULNERABLE_KYVERNO,
    &INGRESS_NGINX_EOL,
    &ALLOWED_REGISTRIES,
    &FORBIDDEN_REGISTRIES,
    &INGRESS_NGINX_SNIPPETS,
    &TILLER,
    &SIGNATURE_MISSING,
    &SIGNATURE_UNTRUSTED,
];

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use palisade_k8s::extract_objects;
    use palisade_yaml::{Limits, parse_str};

    use super::*;
    use crate::{Check, CheckContext, ControlParams, Violation};

    /// Violations of `control` on a fixture file, with the parameters of its `params.yaml`.
    fn run(control: &crate::Control, fixture: &str, params: &str) -> Vec<Violation> {
        let params = parse_str(params, &Limits::default());
        let params: ControlParams =
            serde_json::from_value(params.documents[0].value.clone()).unwrap();
        let ctx = CheckContext {
            params: Arc::new(params),
            ..CheckContext::default()
        };
        let Check::Object(check) = control.check else {
            panic!("{} is an object control", control.id);
        };
        let path: Arc<str> = Arc::from(control.slug);
        let mut out = Vec::new();
        for document in parse_str(fixture, &Limits::default()).documents {
            for object in extract_objects(&path, &Arc::new(document)).objects {
                check(&ctx, &object, &mut out);
            }
        }
        out
    }

    fn pointers(violations: &[Violation]) -> Vec<&str> {
        violations.iter().map(|v| v.pointer.as_str()).collect()
    }

    #[test]
    fn allowed_registries_flags_images_from_elsewhere() {
        let params = include_str!("../../../tests/fixtures/image-registry-not-allowed/params.yaml");
        let fail = include_str!("../../../tests/fixtures/image-registry-not-allowed/fail.yaml");
        let pass = include_str!("../../../tests/fixtures/image-registry-not-allowed/pass.yaml");
        let found = run(&ALLOWED_REGISTRIES, fail, params);
        assert_eq!(
            pointers(&found),
            [
                "/spec/template/spec/containers/1/image",
                "/spec/template/spec/containers/2/image"
            ]
        );
        assert_eq!(
            found[0].message,
            "container \"hub\" uses image nginx:1.27 from docker.io, which is not an allowed registry"
        );
        assert_eq!(
            found[0].evidence.as_deref(),
            Some("image: docker.io/library/nginx")
        );
        assert!(run(&ALLOWED_REGISTRIES, pass, params).is_empty());
        assert!(
            run(&ALLOWED_REGISTRIES, fail, "{}").is_empty(),
            "opt-in: an empty list reports nothing"
        );
    }

    #[test]
    fn forbidden_registries_flags_listed_sources() {
        let params = include_str!("../../../tests/fixtures/image-registry-forbidden/params.yaml");
        let fail = include_str!("../../../tests/fixtures/image-registry-forbidden/fail.yaml");
        let pass = include_str!("../../../tests/fixtures/image-registry-forbidden/pass.yaml");
        let found = run(&FORBIDDEN_REGISTRIES, fail, params);
        assert_eq!(
            pointers(&found),
            [
                "/spec/template/spec/containers/0/image",
                "/spec/template/spec/containers/1/image"
            ]
        );
        assert_eq!(
            found[1].message,
            "container \"quay\" uses image quay.io/someone/tool:2.0 from forbidden registry quay.io/someone"
        );
        assert!(run(&FORBIDDEN_REGISTRIES, pass, params).is_empty());
        assert!(
            run(&FORBIDDEN_REGISTRIES, fail, "{}").is_empty(),
            "opt-in: an empty list reports nothing"
        );
    }
}
