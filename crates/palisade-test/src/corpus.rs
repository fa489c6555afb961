//! A realistic manifest corpus, generated rather than shipped (tens of megabytes).

use std::fmt::Write;

/// A tiny deterministic PRNG (64-bit LCG); the corpus must be the same on every machine.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len() as u64) as usize]
    }
}

/// One generated file.
#[derive(Debug, Clone)]
pub struct CorpusFile {
    pub name: String,
    pub content: String,
    pub objects: usize,
}

const TEAMS: &[&str] = &[
    "payments", "search", "identity", "catalog", "checkout", "ml", "platform", "data",
];
const IMAGES: &[&str] = &[
    "registry.example.com/app/api:1.4.2",
    "nginx:1.25",
    "ghcr.io/example/worker@sha256:3b6ac1e0b5a5f3c5fd8b2b7f4d6f0e4b1c2a3d4e5f60718293a4b5c6d7e8f901",
    "redis:7",
    "busybox",
    "quay.io/example/exporter:latest",
];

fn workload(rng: &mut Rng, out: &mut String, index: usize) {
    let team = rng.pick(TEAMS);
    let kind = rng.pick(&[
        "Deployment",
        "Deployment",
        "Deployment",
        "StatefulSet",
        "DaemonSet",
        "CronJob",
        "Job",
    ]);
    let (api, pod_indent) = match kind {
        "CronJob" | "Job" => ("batch/v1", if kind == "CronJob" { 8 } else { 4 }),
        _ => ("apps/v1", 4),
    };
    let _ = writeln!(
        out,
        "apiVersion: {api}\nkind: {kind}\nmetadata:\n  name: {team}-svc-{index}\n  namespace: {team}"
    );
    let _ = writeln!(
        out,
        "  labels:\n    app.kubernetes.io/name: {team}-svc-{index}\n    app.kubernetes.io/part-of: {team}\n    team: {team}"
    );
    let _ = writeln!(
        out,
        "  annotations:\n    deployment.kubernetes.io/revision: \"{}\"\nspec:",
        rng.below(40)
    );
    let pad = " ".repeat(pod_indent - 2);
    match kind {
        "CronJob" => {
            let _ = writeln!(
                out,
                "  schedule: \"*/{} * * * *\"\n  jobTemplate:\n    spec:\n      template:",
                5 + rng.below(50)
            );
        }
        "Job" => {
            let _ = writeln!(out, "  backoffLimit: 3\n  template:");
        }
        _ => {
            let _ = writeln!(
                out,
                "  replicas: {}\n  selector:\n    matchLabels:\n      app.kubernetes.io/name: {team}-svc-{index}\n  template:",
                1 + rng.below(5)
            );
        }
    }
    let p = format!("{pad}  ");
    let _ = writeln!(
        out,
        "{p}metadata:\n{p}  labels:\n{p}    app.kubernetes.io/name: {team}-svc-{index}\n{p}spec:"
    );
    let s = format!("{p}  ");
    if matches!(kind, "CronJob" | "Job") {
        let _ = writeln!(out, "{s}restartPolicy: OnFailure");
    }
    if rng.chance(8) {
        let _ = writeln!(out, "{s}hostNetwork: true");
    }
    if rng.chance(4) {
        let _ = writeln!(out, "{s}hostPID: true");
    }
    if rng.chance(60) {
        let _ = writeln!(
            out,
            "{s}securityContext:\n{s}  runAsNonRoot: true\n{s}  runAsUser: {}\n{s}  seccompProfile:\n{s}    type: RuntimeDefault",
            1000 + rng.below(60000)
        );
    }
    let _ = writeln!(out, "{s}serviceAccountName: {team}-sa");
    let containers = 1 + rng.below(3);
    let _ = writeln!(out, "{s}containers:");
    for c in 0..containers {
        container(rng, out, &s, c, team);
    }
    if rng.chance(30) {
        let _ = writeln!(out, "{s}initContainers:");
        container(rng, out, &s, 9, team);
    }
    let _ = writeln!(
        out,
        "{s}volumes:\n{s}  - name: config\n{s}    configMap:\n{s}      name: {team}-config\n{s}  - name: tmp\n{s}    emptyDir: {{}}"
    );
    if rng.chance(6) {
        let _ = writeln!(
            out,
            "{s}  - name: host\n{s}    hostPath:\n{s}      path: /var/lib/{team}"
        );
    }
}

fn container(rng: &mut Rng, out: &mut String, s: &str, c: u64, team: &str) {
    let image = rng.pick(IMAGES);
    let _ = writeln!(
        out,
        "{s}  - name: c{c}\n{s}    image: {image}\n{s}    imagePullPolicy: IfNotPresent"
    );
    let _ = writeln!(
        out,
        "{s}    args: [\"--port=8080\", \"--log-level=info\", \"--team={team}\"]"
    );
    let _ = writeln!(
        out,
        "{s}    ports:\n{s}      - name: http\n{s}        containerPort: 8080\n{s}        protocol: TCP"
    );
    if rng.chance(5) {
        let _ = writeln!(
            out,
            "{s}      - containerPort: 9090\n{s}        hostPort: 9090"
        );
    }
    let _ = writeln!(out, "{s}    env:");
    for e in 0..(2 + rng.below(6)) {
        let _ = writeln!(
            out,
            "{s}      - name: SETTING_{e}\n{s}        value: \"value-{}\"",
            rng.below(1000)
        );
    }
    let _ = writeln!(
        out,
        "{s}      - name: POD_NAME\n{s}        valueFrom:\n{s}          fieldRef:\n{s}            fieldPath: metadata.name"
    );
    let _ = writeln!(
        out,
        "{s}    resources:\n{s}      requests:\n{s}        cpu: {}m\n{s}        memory: {}Mi\n{s}      limits:\n{s}        memory: {}Mi",
        50 + rng.below(500),
        64 + rng.below(512),
        256 + rng.below(1024)
    );
    let _ = writeln!(
        out,
        "{s}    livenessProbe:\n{s}      httpGet:\n{s}        path: /healthz\n{s}        port: http\n{s}      periodSeconds: 10"
    );
    let _ = writeln!(
        out,
        "{s}    readinessProbe:\n{s}      httpGet:\n{s}        path: /ready\n{s}        port: http"
    );
    let _ = writeln!(
        out,
        "{s}    volumeMounts:\n{s}      - name: config\n{s}        mountPath: /etc/{team}\n{s}      - name: tmp\n{s}        mountPath: /tmp"
    );
    if rng.chance(70) {
        let _ = writeln!(out, "{s}    securityContext:");
        let _ = writeln!(
            out,
            "{s}      allowPrivilegeEscalation: {}",
            !rng.chance(85)
        );
        let _ = writeln!(out, "{s}      readOnlyRootFilesystem: {}", rng.chance(60));
        if rng.chance(5) {
            let _ = writeln!(out, "{s}      privileged: true");
        }
        let _ = writeln!(out, "{s}      capabilities:\n{s}        drop: [\"ALL\"]");
        if rng.chance(10) {
            let _ = writeln!(
                out,
                "{s}        add: [\"{}\"]",
                rng.pick(&["NET_ADMIN", "SYS_ADMIN", "NET_BIND_SERVICE", "SYS_PTRACE"])
            );
        }
    }
}

fn service(rng: &mut Rng, out: &mut String, index: usize) {
    let team = rng.pick(TEAMS);
    let kind = rng.pick(&["ClusterIP", "ClusterIP", "NodePort", "LoadBalancer"]);
    let _ = writeln!(
        out,
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: {team}-svc-{index}\n  namespace: {team}\nspec:\n  type: {kind}\n  selector:\n    app.kubernetes.io/name: {team}-svc-{index}\n  ports:\n    - name: http\n      port: 80\n      targetPort: 8080"
    );
}

fn config_map(rng: &mut Rng, out: &mut String, index: usize) {
    let team = rng.pick(TEAMS);
    let _ = writeln!(
        out,
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {team}-config-{index}\n  namespace: {team}\ndata:"
    );
    for k in 0..(3 + rng.below(10)) {
        let _ = writeln!(out, "  key{k}.properties: |");
        for l in 0..(2 + rng.below(12)) {
            let _ = writeln!(
                out,
                "    setting.{l}=value-{}-{}",
                rng.below(100_000),
                "x".repeat(rng.below(40) as usize)
            );
        }
    }
}

fn rbac(rng: &mut Rng, out: &mut String, index: usize) {
    let team = rng.pick(TEAMS);
    let _ = writeln!(
        out,
        "apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata:\n  name: {team}-role-{index}\n  namespace: {team}\nrules:\n  - apiGroups: [\"\"]\n    resources: [\"configmaps\", \"pods\"]\n    verbs: [\"get\", \"list\", \"watch\"]"
    );
    if rng.chance(10) {
        let _ = writeln!(
            out,
            "  - apiGroups: [\"*\"]\n    resources: [\"*\"]\n    verbs: [\"*\"]"
        );
    }
    let _ = writeln!(
        out,
        "---\napiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata:\n  name: {team}-binding-{index}\n  namespace: {team}\nroleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: Role\n  name: {team}-role-{index}\nsubjects:\n  - kind: ServiceAccount\n    name: {team}-sa\n    namespace: {team}"
    );
}

fn network_policy(rng: &mut Rng, out: &mut String, index: usize) {
    let team = rng.pick(TEAMS);
    let _ = writeln!(
        out,
        "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: {team}-np-{index}\n  namespace: {team}\nspec:\n  podSelector:\n    matchLabels:\n      team: {team}\n  policyTypes: [Ingress, Egress]\n  ingress:\n    - from:\n        - namespaceSelector:\n            matchLabels:\n              kubernetes.io/metadata.name: ingress\n      ports:\n        - port: 8080\n  egress:\n    - to:\n        - podSelector: {{}}"
    );
}

/// A CRD with a deep, wide OpenAPI schema, as operators ship them (hundreds of kilobytes).
fn crd(rng: &mut Rng, out: &mut String, index: usize) {
    let _ = writeln!(
        out,
        "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: widgets{index}.example.com\nspec:\n  group: example.com\n  names:\n    kind: Widget{index}\n    plural: widgets{index}\n  scope: Namespaced\n  versions:\n    - name: v1\n      served: true\n      storage: true\n      schema:\n        openAPIV3Schema:\n          type: object\n          properties:"
    );
    schema_properties(rng, out, 12, 3);
}

fn schema_properties(rng: &mut Rng, out: &mut String, indent: usize, depth: u32) {
    let pad = " ".repeat(indent);
    let fields = if depth == 0 { 6 } else { 5 + rng.below(4) };
    for f in 0..fields {
        let _ = writeln!(out, "{pad}field{f}{}:", rng.below(1000));
        let _ = writeln!(
            out,
            "{pad}  description: \"Field {f} controls how the operator reconciles this part of the resource; see the operator documentation for details.\""
        );
        if depth > 0 && rng.chance(55) {
            let _ = writeln!(out, "{pad}  type: object\n{pad}  properties:");
            schema_properties(rng, out, indent + 4, depth - 1);
        } else {
            let ty = rng.pick(&["string", "integer", "boolean"]);
            let _ = writeln!(out, "{pad}  type: {ty}");
        }
    }
}

/// Generates files until `target_bytes` and `min_objects` are both reached.
pub fn generate(target_bytes: usize, min_objects: usize) -> Vec<CorpusFile> {
    let mut rng = Rng(0x5eed_1234_abcd);
    let mut files = Vec::new();
    let mut bytes = 0;
    let mut objects = 0;
    let mut index = 0;
    while bytes < target_bytes || objects < min_objects {
        let mut content = String::new();
        let mut count = 0;
        let per_file = 1 + rng.below(6) as usize;
        for _ in 0..per_file {
            if count > 0 {
                content.push_str("---\n");
            }
            index += 1;
            match rng.below(100) {
                0..=2 => crd(&mut rng, &mut content, index),
                3..=39 => workload(&mut rng, &mut content, index),
                40..=59 => service(&mut rng, &mut content, index),
                60..=74 => config_map(&mut rng, &mut content, index),
                75..=89 => {
                    rbac(&mut rng, &mut content, index);
                    count += 1;
                }
                _ => network_policy(&mut rng, &mut content, index),
            }
            count += 1;
        }
        bytes += content.len();
        objects += count;
        files.push(CorpusFile {
            name: format!(
                "corpus/{:03}/manifest-{:05}.yaml",
                files.len() / 100,
                files.len()
            ),
            content,
            objects: count,
        });
    }
    files
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn corpus_is_deterministic_and_large_enough() {
        let a = generate(2_000_000, 300);
        let b = generate(2_000_000, 300);
        assert_eq!(a.len(), b.len());
        assert_eq!(a[7].content, b[7].content);
        assert!(a.iter().map(|f| f.content.len()).sum::<usize>() >= 2_000_000);
        assert!(a.iter().map(|f| f.objects).sum::<usize>() >= 300);
    }
}
