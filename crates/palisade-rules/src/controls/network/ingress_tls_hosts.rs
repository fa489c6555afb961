use palisade_core::Severity;
use palisade_k8s::Object;
use serde_json::Value;

use super::support::is_ingress;
use crate::control::control;
use crate::{Check, CheckContext, ControlRefs, Targets, Violation};

control! {
    /// ## What it checks
    /// Ingresses that configure TLS but have a rule whose `host` no `spec.tls[].hosts` entry
    /// covers. A TLS host covers a rule host when they are equal (case-insensitively) or when a
    /// wildcard `*.example.com` matches exactly one leading label. Ingresses with no TLS at all
    /// are the subject of NET-009.
    ///
    /// ## Why it matters
    /// Requests for the uncovered host get the controller's default certificate (a browser
    /// error) or plain HTTP: the TLS configuration looks complete in review but one host is not
    /// protected.
    ///
    /// ## How to fix
    /// Add the host to a `tls` entry whose certificate is valid for it.
    ///
    /// ## Example
    /// ```yaml
    /// spec:
    ///   tls:
    ///     - hosts: ["shop.example.com", "api.example.com"]
    ///       secretName: shop-tls
    ///   rules:
    ///     - host: api.example.com
    /// ```
    pub static INGRESS_TLS_HOSTS = Control {
        id: "NET-010",
        slug: "ingress-host-without-tls",
        title: "Ingress host not covered by its TLS configuration",
        severity: Severity::Low,
        category: "Network",
        references: ControlRefs::NONE,
        remediation: "List every rule host under spec.tls[].hosts with a certificate valid for it.",
        targets: Targets::Kinds(&["Ingress"]),
        check: Check::Object(check),
    };
}

fn check(_: &CheckContext, object: &Object, out: &mut Vec<Violation>) {
    if !is_ingress(object) {
        return;
    }
    let spec = object.value().get("spec");
    let tls = spec.and_then(|s| s.get("tls")).and_then(Value::as_array);
    let Some(tls) = tls.filter(|t| !t.is_empty()) else {
        return;
    };
    let tls_hosts: Vec<&str> = tls
        .iter()
        .filter_map(|entry| entry.get("hosts").and_then(Value::as_array))
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    let rules = spec.and_then(|s| s.get("rules")).and_then(Value::as_array);
    for (index, rule) in rules.into_iter().flatten().enumerate() {
        let Some(host) = rule
            .get("host")
            .and_then(Value::as_str)
            .filter(|h| !h.is_empty())
        else {
            continue;
        };
        if tls_hosts.iter().any(|pattern| covers(pattern, host)) {
            continue;
        }
        out.push(
            Violation::new(
                format!("/spec/rules/{index}/host"),
                format!("Host {host} is not listed in any spec.tls[].hosts entry"),
            )
            .with_evidence(format!("host: {host}")),
        );
    }
}

/// Whether TLS host `pattern` covers `host` (exact, or a one-label `*.` wildcard).
fn covers(pattern: &str, host: &str) -> bool {
    if pattern.eq_ignore_ascii_case(host) {
        return true;
    }
    match (pattern.strip_prefix("*."), host.split_once('.')) {
        (Some(suffix), Some((label, rest))) => {
            !label.is_empty() && !label.starts_with('*') && rest.eq_ignore_ascii_case(suffix)
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::covers;

    #[test]
    fn wildcards_cover_one_label() {
        assert!(covers("shop.example.com", "SHOP.example.com"));
        assert!(covers("*.example.com", "api.example.com"));
        assert!(!covers("*.example.com", "a.b.example.com"));
        assert!(!covers("*.example.com", "example.com"));
        assert!(!covers("api.example.com", "shop.example.com"));
    }
}
