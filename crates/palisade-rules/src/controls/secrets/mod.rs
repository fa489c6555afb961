//! Secrets controls (`SEC-0NN`): credentials written into manifests (env literals, ConfigMaps,
//! Secret `stringData`) and Secrets consumed through environment variables. Every secret value
//! in evidence goes through [`crate::CheckContext::secret_evidence`].

mod support;

mod configmap_sensitive_key;
mod env_literal;
mod known_token;
mod secret_env_var;
mod string_data;

pub use configmap_sensitive_key::CONFIGMAP_SENSITIVE_KEY;
pub use env_literal::ENV_LITERAL;
pub use known_token::KNOWN_TOKEN;
pub use secret_env_var::SECRET_ENV_VAR;
pub use string_data::STRING_DATA;

/// This family's controls.
pub(crate) static CONTROLS: &[&crate::Control] = &[
    &ENV_LITERAL,
    &KNOWN_TOKEN,
    &CONFIGMAP_SENSITIVE_KEY,
    &SECRET_ENV_VAR,
    &STRING_DATA,
];

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use palisade_k8s::extract_objects;
    use palisade_yaml::{Limits, parse_str};

    use super::*;
    use crate::{Check, CheckContext, Violation};

    /// Every secret value the failing fixtures contain.
    const RAW_SECRETS: &[&str] = &[
        "correct-horse-battery",
        "s3cr3t-st4r-v4lue",
        "hunter2",
        "AKIAIOSFODNN7EXAMPLE",
        "0000FAKE0000TOKEN0000EXAMPLE00000000",
        "eyJzdWIiOiJleGFtcGxlLXVzZXIifQ",
        "xoxb-000000000000-FAKEslackTOKEN",
        "MHcCAQEEIFAKE",
        "tr0ub4dor&3",
        "mail-relay-passphrase",
        "c2lnbmluZy10b2tlbi12YWx1ZQ==",
        "plain-text-db-passw0rd",
    ];

    /// The failing fixtures and snapshots of the controls that see secret values.
    const FIXTURES: &[(&crate::Control, &str, &str)] = &[
        (
            &ENV_LITERAL,
            include_str!("../../../tests/fixtures/secret-in-env-literal/fail.yaml"),
            include_str!("../../../tests/snapshots/controls__secret-in-env-literal-fail.snap"),
        ),
        (
            &KNOWN_TOKEN,
            include_str!("../../../tests/fixtures/hardcoded-credential/fail.yaml"),
            include_str!("../../../tests/snapshots/controls__hardcoded-credential-fail.snap"),
        ),
        (
            &CONFIGMAP_SENSITIVE_KEY,
            include_str!("../../../tests/fixtures/configmap-sensitive-key/fail.yaml"),
            include_str!("../../../tests/snapshots/controls__configmap-sensitive-key-fail.snap"),
        ),
        (
            &STRING_DATA,
            include_str!("../../../tests/fixtures/secret-string-data/fail.yaml"),
            include_str!("../../../tests/snapshots/controls__secret-string-data-fail.snap"),
        ),
    ];

    fn run(control: &crate::Control, yaml: &str, show_secrets: bool) -> Vec<Violation> {
        let ctx = CheckContext {
            show_secrets,
            ..CheckContext::default()
        };
        let Check::Object(check) = control.check else {
            panic!("{} is an object control", control.id);
        };
        let path: Arc<str> = Arc::from(control.slug);
        let mut out = Vec::new();
        for document in parse_str(yaml, &Limits::default()).documents {
            for object in extract_objects(&path, &Arc::new(document)).objects {
                check(&ctx, &object, &mut out);
            }
        }
        out
    }

    fn leaked<'a>(text: &str) -> Vec<&'a str> {
        RAW_SECRETS
            .iter()
            .copied()
            .filter(|raw| text.contains(raw))
            .collect()
    }

    #[test]
    fn snapshots_never_contain_a_raw_secret() {
        for (control, fixture, snapshot) in FIXTURES {
            assert!(
                !leaked(fixture).is_empty(),
                "{}: the fixture has secrets to hide",
                control.id
            );
            assert!(
                leaked(snapshot).is_empty(),
                "{} snapshot leaks {:?}",
                control.id,
                leaked(snapshot)
            );
        }
    }

    #[test]
    fn evidence_is_redacted_unless_secrets_are_shown() {
        for (control, fixture, _) in FIXTURES {
            let redacted = run(control, fixture, false);
            assert!(!redacted.is_empty(), "{}", control.id);
            for violation in &redacted {
                let text = format!("{} {:?}", violation.message, violation.evidence);
                assert!(leaked(&text).is_empty(), "{}: {text}", control.id);
            }
            let shown = run(control, fixture, true);
            let evidence: String = shown.iter().filter_map(|v| v.evidence.clone()).collect();
            assert!(
                !leaked(&evidence).is_empty(),
                "{}: --show-secrets shows the values",
                control.id
            );
        }
    }
}
