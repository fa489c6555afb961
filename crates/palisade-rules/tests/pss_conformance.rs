//! Pod Security Standards conformance, written from the rules (../shared/reference/pss.md):
//! for each check, pods that Pod Security Admission would deny or allow at each level, probed
//! on both sides of every version boundary. "Denied at a level" means the framework for that
//! level yields at least one finding; "allowed" means it yields none.

mod support;

use palisade_rules::{PssVersion, Selection};
use serde_json::{Value, json};

/// A pod that satisfies the restricted profile at every version.
fn compliant_pod() -> Value {
    json!({
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": "p", "namespace": "ns"},
        "spec": {
            "securityContext": {"runAsNonRoot": true, "seccompProfile": {"type": "RuntimeDefault"}},
            "containers": [{
                "name": "c",
                "image": "registry.example/app:1",
                "securityContext": {"allowPrivilegeEscalation": false, "capabilities": {"drop": ["ALL"]}}
            }]
        }
    })
}

/// RFC 7386 JSON merge patch; `null` deletes.
fn merge(target: &mut Value, patch: &Value) {
    match (target, patch) {
        (Value::Object(t), Value::Object(p)) => {
            for (k, v) in p {
                if v.is_null() {
                    t.remove(k);
                } else {
                    merge(t.entry(k.clone()).or_insert(Value::Null), v);
                }
            }
        }
        (t, p) => *t = p.clone(),
    }
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Verdict {
    Allow,
    Deny,
}
use Verdict::{Allow, Deny};

struct Case {
    name: &'static str,
    patch: Value,
    /// (policy minor version, baseline verdict, restricted verdict)
    expect: Vec<(u32, Verdict, Verdict)>,
}

fn verdict(pod: &Value, framework: &str, minor: u32) -> (Verdict, String) {
    let selection = Selection::new(&[framework.to_string()], &[], &[]).unwrap();
    let text = serde_json::to_string_pretty(pod).unwrap();
    let findings: Vec<_> = support::evaluate(&text, "pod.json", &selection, PssVersion::v1(minor))
        .into_iter()
        .filter(|f| f.id.starts_with("POD-"))
        .collect();
    let verdict = if findings.is_empty() { Allow } else { Deny };
    (verdict, support::render(&findings))
}

fn case(name: &'static str, patch: Value, expect: &[(u32, Verdict, Verdict)]) -> Case {
    Case {
        name,
        patch,
        expect: expect.to_vec(),
    }
}

/// Container-level patch helper: replaces the single container.
#[allow(clippy::needless_pass_by_value)] // reads better at the call sites than `&json!(…)`
fn container(extra: Value) -> Value {
    let mut c = json!({
        "name": "c",
        "image": "registry.example/app:1",
        "securityContext": {"allowPrivilegeEscalation": false, "capabilities": {"drop": ["ALL"]}}
    });
    merge(&mut c, &extra);
    json!({"spec": {"containers": [c]}})
}

fn cases() -> Vec<Case> {
    let all = |b, r| {
        vec![
            (0, b, r),
            (8, b, r),
            (19, b, r),
            (22, b, r),
            (25, b, r),
            (35, b, r),
            (37, b, r),
        ]
    };
    vec![
        case("compliant pod", json!({}), &all(Allow, Allow)),
        case(
            "hostNetwork",
            json!({"spec": {"hostNetwork": true}}),
            &all(Deny, Deny),
        ),
        case(
            "hostPID",
            json!({"spec": {"hostPID": true}}),
            &all(Deny, Deny),
        ),
        case(
            "hostIPC",
            json!({"spec": {"hostIPC": true}}),
            &all(Deny, Deny),
        ),
        case(
            "host namespaces false",
            json!({"spec": {"hostIPC": false, "hostPID": false, "hostNetwork": false}}),
            &all(Allow, Allow),
        ),
        case(
            "privileged container",
            container(json!({"securityContext": {"privileged": true}})),
            &all(Deny, Deny),
        ),
        case(
            "privileged false",
            container(json!({"securityContext": {"privileged": false}})),
            &all(Allow, Allow),
        ),
        case(
            "privileged init container",
            json!({"spec": {"initContainers": [{"name": "i", "image": "x", "securityContext": {"privileged": true, "allowPrivilegeEscalation": false, "capabilities": {"drop": ["ALL"]}}}]}}),
            &all(Deny, Deny),
        ),
        case(
            "privileged ephemeral container",
            json!({"spec": {"ephemeralContainers": [{"name": "e", "image": "x", "securityContext": {"privileged": true, "allowPrivilegeEscalation": false, "capabilities": {"drop": ["ALL"]}}}]}}),
            &all(Deny, Deny),
        ),
        case(
            "hostProcess pod",
            json!({"spec": {"securityContext": {"windowsOptions": {"hostProcess": true}}}}),
            &all(Deny, Deny),
        ),
        case(
            "hostProcess container",
            container(json!({"securityContext": {"windowsOptions": {"hostProcess": true}}})),
            &all(Deny, Deny),
        ),
        case(
            "add SYS_ADMIN",
            container(json!({"securityContext": {"capabilities": {"add": ["SYS_ADMIN"]}}})),
            &all(Deny, Deny),
        ),
        case(
            "add NET_RAW",
            container(json!({"securityContext": {"capabilities": {"add": ["NET_RAW"]}}})),
            &all(Deny, Deny),
        ),
        case(
            "add CHOWN (baseline default set)",
            container(json!({"securityContext": {"capabilities": {"add": ["CHOWN"]}}})),
            &[
                (0, Allow, Allow),
                (21, Allow, Allow),
                (22, Allow, Deny),
                (37, Allow, Deny),
            ],
        ),
        case(
            "add NET_BIND_SERVICE",
            container(json!({"securityContext": {"capabilities": {"add": ["NET_BIND_SERVICE"]}}})),
            &all(Allow, Allow),
        ),
        case(
            "capabilities not dropped",
            container(json!({"securityContext": {"capabilities": null}})),
            &[
                (0, Allow, Allow),
                (21, Allow, Allow),
                (22, Allow, Deny),
                (37, Allow, Deny),
            ],
        ),
        case(
            "capabilities not dropped, windows pod",
            merge_all(&[
                container(json!({"securityContext": {"capabilities": null}})),
                json!({"spec": {"os": {"name": "windows"}}}),
            ]),
            &[
                (22, Allow, Deny),
                (24, Allow, Deny),
                (25, Allow, Allow),
                (37, Allow, Allow),
            ],
        ),
        case(
            "hostPath volume",
            json!({"spec": {"volumes": [{"name": "v", "hostPath": {"path": "/etc"}}]}}),
            &all(Deny, Deny),
        ),
        case(
            "nfs volume",
            json!({"spec": {"volumes": [{"name": "v", "nfs": {"server": "s", "path": "/"}}]}}),
            &all(Allow, Deny),
        ),
        case(
            "unknown volume source",
            json!({"spec": {"volumes": [{"name": "v", "somethingNew": {}}]}}),
            &all(Allow, Deny),
        ),
        case(
            "allowed volume sources",
            json!({"spec": {"volumes": [
                {"name": "a", "emptyDir": {}}, {"name": "b", "configMap": {"name": "b"}},
                {"name": "c", "secret": {"secretName": "c"}}, {"name": "d", "projected": {"sources": []}},
                {"name": "e", "downwardAPI": {"items": []}}, {"name": "f", "persistentVolumeClaim": {"claimName": "f"}},
                {"name": "g", "csi": {"driver": "d"}}, {"name": "h", "ephemeral": {"volumeClaimTemplate": {}}},
                {"name": "i", "image": {"reference": "r"}}
            ]}}),
            &all(Allow, Allow),
        ),
        case(
            "hostPort",
            container(json!({"ports": [{"containerPort": 80, "hostPort": 8080}]})),
            &all(Deny, Deny),
        ),
        case(
            "hostPort 0",
            container(json!({"ports": [{"containerPort": 80, "hostPort": 0}]})),
            &all(Allow, Allow),
        ),
        case(
            "AppArmor annotation unconfined",
            json!({"metadata": {"annotations": {"container.apparmor.security.beta.kubernetes.io/c": "unconfined"}}}),
            &all(Deny, Deny),
        ),
        case(
            "AppArmor annotation localhost",
            json!({"metadata": {"annotations": {"container.apparmor.security.beta.kubernetes.io/c": "localhost/prof"}}}),
            &all(Allow, Allow),
        ),
        case(
            "AppArmor field Unconfined",
            json!({"spec": {"securityContext": {"appArmorProfile": {"type": "Unconfined"}}}}),
            &all(Deny, Deny),
        ),
        case(
            "AppArmor field RuntimeDefault",
            container(json!({"securityContext": {"appArmorProfile": {"type": "RuntimeDefault"}}})),
            &all(Allow, Allow),
        ),
        case(
            "SELinux spc_t",
            json!({"spec": {"securityContext": {"seLinuxOptions": {"type": "spc_t"}}}}),
            &all(Deny, Deny),
        ),
        case(
            "SELinux user",
            container(json!({"securityContext": {"seLinuxOptions": {"user": "system_u"}}})),
            &all(Deny, Deny),
        ),
        case(
            "SELinux level only",
            container(json!({"securityContext": {"seLinuxOptions": {"level": "s0:c1,c2"}}})),
            &all(Allow, Allow),
        ),
        case(
            "SELinux container_engine_t",
            container(
                json!({"securityContext": {"seLinuxOptions": {"type": "container_engine_t"}}}),
            ),
            &[(30, Deny, Deny), (31, Allow, Allow), (37, Allow, Allow)],
        ),
        case(
            "procMount Unmasked",
            container(json!({"securityContext": {"procMount": "Unmasked"}})),
            &all(Deny, Deny),
        ),
        case(
            "procMount Unmasked with hostUsers false",
            merge_all(&[
                container(json!({"securityContext": {"procMount": "Unmasked"}})),
                json!({"spec": {"hostUsers": false}}),
            ]),
            &[(34, Deny, Deny), (35, Allow, Deny), (37, Allow, Deny)],
        ),
        case(
            "seccomp Unconfined (field)",
            json!({"spec": {"securityContext": {"seccompProfile": {"type": "Unconfined"}}}}),
            &[(18, Allow, Allow), (19, Deny, Deny), (37, Deny, Deny)],
        ),
        case(
            "seccomp Unconfined on container",
            container(json!({"securityContext": {"seccompProfile": {"type": "Unconfined"}}})),
            &[(18, Allow, Allow), (19, Deny, Deny), (37, Deny, Deny)],
        ),
        case(
            "seccomp annotation unconfined",
            json!({"metadata": {"annotations": {"seccomp.security.alpha.kubernetes.io/pod": "unconfined"}}}),
            &[
                (0, Deny, Deny),
                (18, Deny, Deny),
                (19, Allow, Allow),
                (37, Allow, Allow),
            ],
        ),
        case(
            "seccomp container annotation runtime/default",
            json!({"metadata": {"annotations": {"container.seccomp.security.alpha.kubernetes.io/c": "runtime/default"}}}),
            &[(0, Allow, Allow), (18, Allow, Allow)],
        ),
        case(
            "no seccomp profile",
            json!({"spec": {"securityContext": {"seccompProfile": null}}}),
            &[
                (0, Allow, Allow),
                (18, Allow, Allow),
                (19, Allow, Deny),
                (37, Allow, Deny),
            ],
        ),
        case(
            "no pod seccomp, set on every container",
            merge_all(&[
                json!({"spec": {"securityContext": {"seccompProfile": null}}}),
                container(
                    json!({"securityContext": {"seccompProfile": {"type": "Localhost", "localhostProfile": "p.json"}}}),
                ),
            ]),
            &[(19, Allow, Allow), (37, Allow, Allow)],
        ),
        case(
            "no seccomp profile, windows pod",
            json!({"spec": {"securityContext": {"seccompProfile": null}, "os": {"name": "windows"}}}),
            &[(24, Allow, Deny), (25, Allow, Allow)],
        ),
        case(
            "unsafe sysctl",
            json!({"spec": {"securityContext": {"sysctls": [{"name": "kernel.msgmax", "value": "1"}]}}}),
            &all(Deny, Deny),
        ),
        case(
            "safe sysctl",
            json!({"spec": {"securityContext": {"sysctls": [{"name": "net.ipv4.tcp_syncookies", "value": "1"}]}}}),
            &all(Allow, Allow),
        ),
        case(
            "sysctl ip_local_reserved_ports",
            json!({"spec": {"securityContext": {"sysctls": [{"name": "net.ipv4.ip_local_reserved_ports", "value": "1"}]}}}),
            &[(26, Deny, Deny), (27, Allow, Allow)],
        ),
        case(
            "sysctl tcp_keepalive_probes",
            json!({"spec": {"securityContext": {"sysctls": [{"name": "net.ipv4.tcp_keepalive_probes", "value": "1"}]}}}),
            &[(28, Deny, Deny), (29, Allow, Allow)],
        ),
        case(
            "sysctl tcp_wmem",
            json!({"spec": {"securityContext": {"sysctls": [{"name": "net.ipv4.tcp_wmem", "value": "4096 87380 16777216"}]}}}),
            &[(31, Deny, Deny), (32, Allow, Allow)],
        ),
        case(
            "sysctl tcp_notsent_lowat",
            json!({"spec": {"securityContext": {"sysctls": [{"name": "net.ipv4.tcp_notsent_lowat", "value": "1"}]}}}),
            &[(36, Deny, Deny), (37, Allow, Allow)],
        ),
        case(
            "probe host",
            container(json!({"livenessProbe": {"httpGet": {"host": "10.0.0.1", "port": 80}}})),
            &[(33, Allow, Allow), (34, Deny, Deny), (37, Deny, Deny)],
        ),
        case(
            "lifecycle tcpSocket host",
            container(
                json!({"lifecycle": {"preStop": {"tcpSocket": {"host": "db", "port": 5432}}}}),
            ),
            &[(33, Allow, Allow), (34, Deny, Deny)],
        ),
        case(
            "probe empty host",
            container(json!({"startupProbe": {"httpGet": {"host": "", "port": 80}}})),
            &all(Allow, Allow),
        ),
        case(
            "allowPrivilegeEscalation unset",
            container(json!({"securityContext": {"allowPrivilegeEscalation": null}})),
            &[
                (0, Allow, Allow),
                (7, Allow, Allow),
                (8, Allow, Deny),
                (37, Allow, Deny),
            ],
        ),
        case(
            "allowPrivilegeEscalation true, windows pod",
            merge_all(&[
                container(json!({"securityContext": {"allowPrivilegeEscalation": true}})),
                json!({"spec": {"os": {"name": "windows"}}}),
            ]),
            &[(24, Allow, Deny), (25, Allow, Allow)],
        ),
        case(
            "runAsNonRoot unset everywhere",
            json!({"spec": {"securityContext": {"runAsNonRoot": null}}}),
            &all(Allow, Deny),
        ),
        case(
            "runAsNonRoot on every container only",
            merge_all(&[
                json!({"spec": {"securityContext": {"runAsNonRoot": null}}}),
                container(json!({"securityContext": {"runAsNonRoot": true}})),
            ]),
            &all(Allow, Allow),
        ),
        case(
            "runAsNonRoot false on container",
            container(json!({"securityContext": {"runAsNonRoot": false}})),
            &all(Allow, Deny),
        ),
        case(
            "runAsNonRoot false on pod",
            json!({"spec": {"securityContext": {"runAsNonRoot": false}}}),
            &all(Allow, Deny),
        ),
        case(
            "runAsNonRoot unset, hostUsers false",
            json!({"spec": {"securityContext": {"runAsNonRoot": null}, "hostUsers": false}}),
            &[(34, Allow, Deny), (35, Allow, Allow)],
        ),
        case(
            "runAsUser 0 on container",
            container(json!({"securityContext": {"runAsUser": 0}})),
            &[
                (0, Allow, Allow),
                (22, Allow, Allow),
                (23, Allow, Deny),
                (37, Allow, Deny),
            ],
        ),
        case(
            "runAsUser 0 on pod, hostUsers false",
            json!({"spec": {"securityContext": {"runAsUser": 0}, "hostUsers": false}}),
            &[(23, Allow, Deny), (34, Allow, Deny), (35, Allow, Allow)],
        ),
        case(
            "runAsUser 1000",
            json!({"spec": {"securityContext": {"runAsUser": 1000}}}),
            &all(Allow, Allow),
        ),
    ]
}

fn merge_all(patches: &[Value]) -> Value {
    let mut out = json!({});
    for p in patches {
        merge(&mut out, p);
    }
    out
}

#[test]
fn pod_security_admission_verdicts_at_version_boundaries() {
    let mut failures = Vec::new();
    let mut checked = 0;
    for case in cases() {
        let mut pod = compliant_pod();
        merge(&mut pod, &case.patch);
        for (minor, baseline, restricted) in &case.expect {
            for (framework, want) in [("pss-baseline", baseline), ("pss-restricted", restricted)] {
                checked += 1;
                let (got, findings) = verdict(&pod, framework, *minor);
                if got != *want {
                    failures.push(format!(
                        "{} at v1.{minor} {framework}: want {want:?}, got {got:?}\n{findings}",
                        case.name
                    ));
                }
            }
        }
    }
    assert!(checked > 200, "only {checked} verdicts checked");
    assert!(
        failures.is_empty(),
        "{} of {checked} verdicts wrong:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn controller_templates_are_checked_like_pods() {
    let pod_spec = {
        let mut pod = compliant_pod();
        merge(&mut pod, &json!({"spec": {"hostPID": true}}));
        pod["spec"].clone()
    };
    let template = json!({"metadata": {"labels": {"a": "b"}}, "spec": pod_spec});
    let workloads = [
        json!({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "d"}, "spec": {"template": template}}),
        json!({"apiVersion": "apps/v1", "kind": "StatefulSet", "metadata": {"name": "s"}, "spec": {"template": template}}),
        json!({"apiVersion": "apps/v1", "kind": "DaemonSet", "metadata": {"name": "ds"}, "spec": {"template": template}}),
        json!({"apiVersion": "apps/v1", "kind": "ReplicaSet", "metadata": {"name": "rs"}, "spec": {"template": template}}),
        json!({"apiVersion": "batch/v1", "kind": "Job", "metadata": {"name": "j"}, "spec": {"template": template}}),
        json!({"apiVersion": "batch/v1", "kind": "CronJob", "metadata": {"name": "cj"}, "spec": {"jobTemplate": {"spec": {"template": template}}}}),
        json!({"apiVersion": "v1", "kind": "ReplicationController", "metadata": {"name": "rc"}, "spec": {"template": template}}),
        json!({"apiVersion": "v1", "kind": "PodTemplate", "metadata": {"name": "pt"}, "template": template}),
    ];
    for workload in workloads {
        let (got, findings) = verdict(&workload, "pss-baseline", 37);
        assert_eq!(got, Deny, "{} not checked", workload["kind"]);
        assert!(findings.contains("POD-002"), "{findings}");
    }
    let crd = json!({"apiVersion": "example.com/v1", "kind": "Deployment", "metadata": {"name": "x"}, "spec": {"template": template}});
    assert_eq!(
        verdict(&crd, "pss-baseline", 37).0,
        Allow,
        "a CRD named Deployment is not a workload"
    );
}
