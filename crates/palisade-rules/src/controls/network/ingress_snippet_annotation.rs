use palisade_core::Severity;
use palisade_k8s::Object;
use serde_json::Value;

use super::support::is_ingress;
use crate::control::control;
use crate::controls::workload::support::escape;
use crate::{Check, CheckContext, ControlRefs, Targets, Violation};

const PREFIX: &str = "nginx.ingress.kubernetes.io/";

/// Longest part of a snippet shown as evidence.
const EVIDENCE_CHARS: usize = 60;

control! {
    /// ## What it checks
    /// Ingresses with an ingress-nginx snippet annotation: any
    /// `nginx.ingress.kubernetes.io/*-snippet` key (`configuration-snippet`,
    /// `server-snippet`, `auth-snippet`, `modsecurity-snippet`, …), one finding per
    /// annotation. The message says when the snippet runs Lua (`*_by_lua*` directives) or
    /// uses `alias`, the two forms behind the known file-read and code-execution exploits.
    /// Evidence shows the start of the snippet's first line.
    ///
    /// Whether the controller accepts snippets at all is its `allow-snippet-annotations`
    /// setting; vulnerable controller versions are reported by
    /// `ingress-nginx-cve-2021-25742` (IMG-011).
    ///
    /// ## Why it matters
    /// Snippets are pasted verbatim into the controller's NGINX configuration. Whoever can
    /// create an Ingress can use them to read files the controller can read (its
    /// ServiceAccount token, which can read every Secret in the cluster) or to run code in
    /// the controller (CVE-2021-25742).
    ///
    /// ## How to fix
    /// Replace snippets with the dedicated annotations or the controller ConfigMap, set
    /// `allow-snippet-annotations: "false"`, or move the route to a Gateway API
    /// implementation.
    ///
    /// ## Example
    /// ```yaml
    /// metadata:
    ///   annotations:
    ///     nginx.ingress.kubernetes.io/proxy-body-size: 8m
    /// ```
    pub static INGRESS_SNIPPET_ANNOTATION = Control {
        id: "NET-011",
        slug: "ingress-nginx-snippet-annotation",
        title: "Ingress uses an NGINX snippet annotation",
        severity: Severity::Medium,
        category: "Network",
        references: ControlRefs {
            pss: None,
            kubescape: &[],
            cis: &[],
            checkov: &["CKV_K8S_152", "CKV_K8S_153", "CKV_K8S_154"],
            trivy: &[],
            kube_linter: &[],
            polaris: &[],
        },
        remediation: "Replace the snippet with dedicated annotations and disable allow-snippet-annotations in the controller.",
        targets: Targets::Kinds(&["Ingress"]),
        check: Check::Object(check),
    };
}

fn check(_: &CheckContext, object: &Object, out: &mut Vec<Violation>) {
    if !is_ingress(object) {
        return;
    }
    for (key, value) in object.annotations().into_iter().flatten() {
        let Some(name) = key.strip_prefix(PREFIX) else {
            continue;
        };
        if !name.ends_with("-snippet") {
            continue;
        }
        let snippet = value.as_str().unwrap_or_default();
        let mut danger = Vec::new();
        if snippet.contains("_by_lua") {
            danger.push("runs Lua code");
        }
        if snippet
            .split([';', '\n', '{', '}'])
            .any(|statement| statement.split_whitespace().next() == Some("alias"))
        {
            danger.push("uses alias");
        }
        let detail = if danger.is_empty() {
            String::new()
        } else {
            format!(" that {}", danger.join(" and "))
        };
        out.push(
            Violation::new(
                format!("/metadata/annotations/{}", escape(key)),
                format!("The Ingress injects NGINX configuration through {key}{detail}"),
            )
            .with_evidence(format!("{key}: {}", preview(value))),
        );
    }
}

/// The start of the snippet's first non-empty line.
fn preview(value: &Value) -> String {
    let text = value
        .as_str()
        .map_or_else(|| value.to_string(), str::to_string);
    let first = text
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or("");
    let mut shown: String = first.chars().take(EVIDENCE_CHARS).collect();
    if first.chars().count() > EVIDENCE_CHARS || text.trim().lines().count() > 1 {
        shown.push_str(" …");
    }
    shown
}
