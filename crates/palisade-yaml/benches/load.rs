//! Loading throughput on generated, realistic Kubernetes manifests.
//!
//! `cargo bench -p palisade-yaml --bench load` — reports bytes per second for a few MB of
//! multi-document YAML (Deployments, Services, ConfigMaps with block scalars, a CRD with a deep
//! OpenAPI schema) and for the same objects as JSON.

use std::fmt::Write as _;
use std::hint::black_box;

use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use palisade_yaml::{Limits, parse_str};

const APPS: [&str; 6] = ["web", "api", "worker", "cache", "auth", "billing"];
const IMAGES: [&str; 4] = [
    "registry.example.com/team/app",
    "docker.io/library/nginx",
    "ghcr.io/org/service",
    "quay.io/prometheus/node-exporter",
];

fn deployment(out: &mut String, i: usize) {
    let app = APPS[i % APPS.len()];
    let image = IMAGES[i % IMAGES.len()];
    let replicas = i % 5 + 1;
    writeln!(
        out,
        r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: {app}-{i}
  namespace: team-{ns}
  labels:
    app.kubernetes.io/name: {app}
    app.kubernetes.io/instance: {app}-{i}
    app.kubernetes.io/version: "1.{i}.0"
    app.kubernetes.io/managed-by: Helm
  annotations:
    deployment.kubernetes.io/revision: "{rev}"
    example.com/owner: team-{ns}
spec:
  replicas: {replicas}
  revisionHistoryLimit: 10
  selector:
    matchLabels:
      app.kubernetes.io/name: {app}
      app.kubernetes.io/instance: {app}-{i}
  strategy:
    type: RollingUpdate
    rollingUpdate: {{maxSurge: 25%, maxUnavailable: 0}}
  template:
    metadata:
      labels:
        app.kubernetes.io/name: {app}
        app.kubernetes.io/instance: {app}-{i}
    spec:
      serviceAccountName: {app}
      automountServiceAccountToken: false
      securityContext:
        runAsNonRoot: true
        runAsUser: 10001
        fsGroup: 2000
        seccompProfile:
          type: RuntimeDefault
      containers:"#,
        ns = i % 7,
        rev = i % 13,
    )
    .unwrap();
    for c in 0..=(i % 3) {
        writeln!(
            out,
            r#"        - name: {app}-c{c}
          image: "{image}:1.{i}.{c}"
          imagePullPolicy: IfNotPresent
          args: ["--port=8080", "--log-level=info", "--metrics"]
          ports:
            - name: http
              containerPort: {port}
              protocol: TCP
          env:
            - name: LOG_LEVEL
              value: info
            - name: DB_PASSWORD
              valueFrom:
                secretKeyRef:
                  name: {app}-db
                  key: password
            - name: FEATURE_FLAG
              value: "true"
          resources:
            limits: {{cpu: 500m, memory: 512Mi}}
            requests:
              cpu: 100m
              memory: 128Mi
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            privileged: false
            capabilities:
              drop: ["ALL"]
          livenessProbe:
            httpGet:
              path: /healthz
              port: http
            initialDelaySeconds: 10
            periodSeconds: 15
          volumeMounts:
            - name: config
              mountPath: /etc/{app}
              readOnly: true"#,
            port = 8080 + c,
        )
        .unwrap();
    }
    writeln!(
        out,
        r"      volumes:
        - name: config
          configMap:
            name: {app}-config
            defaultMode: 0644
      nodeSelector:
        kubernetes.io/os: linux
      tolerations:
        - key: dedicated
          operator: Equal
          value: {app}
          effect: NoSchedule
---"
    )
    .unwrap();
}

fn service_and_config(out: &mut String, i: usize) {
    let app = APPS[i % APPS.len()];
    writeln!(
        out,
        r#"apiVersion: v1
kind: Service
metadata:
  name: {app}-{i}
  labels: {{app.kubernetes.io/name: {app}}}
spec:
  type: ClusterIP
  selector:
    app.kubernetes.io/name: {app}
  ports:
    - {{name: http, port: 80, targetPort: http, protocol: TCP}}
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: {app}-config-{i}
data:
  LOG_LEVEL: info
  RETRIES: "3"
  app.yaml: |
    server:
      port: 8080
      timeout: 30s
    database:
      host: db.{app}.svc.cluster.local
      pool: 10
  entrypoint.sh: |
    #!/bin/sh
    set -eu
    exec /app/{app} --config /etc/{app}/app.yaml "$@"
---"#
    )
    .unwrap();
}

fn schema_properties(out: &mut String, depth: usize, indent: usize) {
    let pad = " ".repeat(indent);
    for field in ["replicas", "image", "config", "tls"] {
        writeln!(out, "{pad}{field}:").unwrap();
        if depth == 0 || field == "replicas" || field == "image" {
            let ty = if field == "replicas" {
                "integer"
            } else {
                "string"
            };
            writeln!(
                out,
                "{pad}  type: {ty}\n{pad}  description: The {field} of the component, as \
                 written by the operator."
            )
            .unwrap();
        } else {
            writeln!(out, "{pad}  type: object\n{pad}  properties:").unwrap();
            schema_properties(out, depth - 1, indent + 4);
        }
    }
}

fn crd(out: &mut String, i: usize) {
    writeln!(
        out,
        r"apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets{i}.example.com
spec:
  group: example.com
  scope: Namespaced
  names: {{kind: Widget{i}, plural: widgets{i}, singular: widget{i}}}
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          properties:"
    )
    .unwrap();
    schema_properties(out, 4, 12);
    out.push_str("---\n");
}

/// About `target` bytes of manifests: mostly Deployments, with Services, ConfigMaps and CRDs.
fn corpus(target: usize) -> String {
    let mut out = String::with_capacity(target + 64 * 1024);
    let mut i = 0;
    while out.len() < target {
        deployment(&mut out, i);
        service_and_config(&mut out, i);
        if i % 10 == 0 {
            crd(&mut out, i);
        }
        i += 1;
    }
    out
}

/// The same objects as one JSON `List`, as `kubectl get -o json` prints them.
fn as_json(yaml: &str) -> String {
    let stream = parse_str(yaml, &Limits::default());
    let items: Vec<serde_json::Value> = stream.documents.into_iter().map(|d| d.value).collect();
    let list = serde_json::json!({"apiVersion": "v1", "kind": "List", "items": items});
    serde_json::to_string_pretty(&list).unwrap()
}

fn bench_load(c: &mut Criterion) {
    let yaml = corpus(4 << 20);
    let json = as_json(&yaml);
    let limits = Limits::default();
    for src in [&yaml, &json] {
        let check = parse_str(src, &limits);
        assert!(check.error.is_none(), "{:?}", check.error);
        assert!(!check.documents.is_empty());
    }

    let mut group = c.benchmark_group("load");
    group.sample_size(20);
    for (name, src) in [("yaml", &yaml), ("json", &json)] {
        group.throughput(Throughput::Bytes(src.len() as u64));
        // Parsing alone; the documents are dropped outside the measurement.
        group.bench_function(format!("{name}/parse"), |b| {
            b.iter_batched(
                || (),
                |()| parse_str(black_box(src), &limits),
                BatchSize::PerIteration,
            );
        });
        // Parsing and dropping, what a scan pays per file.
        group.bench_function(format!("{name}/parse+drop"), |b| {
            b.iter(|| drop(parse_str(black_box(src), &limits)));
        });
    }
    group.finish();
}

criterion_group!(benches, bench_load);
criterion_main!(benches);
