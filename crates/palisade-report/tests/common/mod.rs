//! A report built by hand with every kind of finding the writers must handle: object findings
//! with exact and inexact locations, a suppressed finding (annotation and exceptions file), a
//! package finding, a finding without location, text that needs escaping, and scores.

#![allow(dead_code)]

use std::path::Path;

use palisade_core::{
    ControlScore, Ecosystem, Finding, FrameworkScore, Location, PackageRef, Report, ResourceRef,
    ScanSummary, Scores, Severity, Suppression,
};

pub const MANIFEST: &str = "\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  template:
    spec:
      containers:
        - name: app
          image: nginx:latest
          securityContext:
            privileged: true
";

pub fn deployment(name: &str, namespace: &str) -> ResourceRef {
    ResourceRef {
        api_version: "apps/v1".into(),
        kind: "Deployment".into(),
        namespace: Some(namespace.into()),
        name: Some(name.into()),
    }
}

pub fn located(path: &str, line: u32, column: u32, end_column: u32, pointer: &str) -> Location {
    Location {
        path: path.into(),
        line,
        column,
        end_line: line,
        end_column,
        pointer: pointer.into(),
        exact: true,
    }
}

pub fn control_finding(id: &str, slug: &str, severity: Severity, message: &str) -> Finding {
    let mut f = Finding::new(id.to_string(), severity, message);
    f.slug = slug.to_string().into();
    f.title = format!("Title of {id}").into();
    f.remediation = format!("Fix {slug}.").into();
    f
}

/// The sample report; `manifest` is the path its findings point into (written by
/// [`write_manifest`] when snippets matter).
pub fn sample_report(manifest: &str) -> Report {
    let mut privileged = control_finding(
        "POD-001",
        "privileged-container",
        Severity::Critical,
        "container \"app\" runs privileged",
    );
    privileged.resource = Some(std::sync::Arc::new(deployment("web", "shop")));
    privileged.location = Some(located(
        manifest,
        13,
        25,
        29,
        "/spec/template/spec/containers/0/securityContext/privileged",
    ));
    privileged.evidence = Some("privileged: true".into());

    let mut floating = control_finding(
        "IMG-001",
        "image-tag-latest",
        Severity::Medium,
        "image <nginx:latest> uses a floating tag & \"quotes\"",
    );
    floating.resource = Some(std::sync::Arc::new(deployment("web", "shop")));
    floating.location = Some(located(
        manifest,
        11,
        18,
        30,
        "/spec/template/spec/containers/0/image",
    ));

    let mut missing = control_finding(
        "POD-016",
        "run-as-non-root",
        Severity::High,
        "container \"app\" may run as root",
    );
    missing.resource = Some(std::sync::Arc::new(deployment("web", "shop")));
    let mut inexact = located(
        manifest,
        12,
        11,
        13,
        "/spec/template/spec/containers/0/securityContext/runAsNonRoot",
    );
    inexact.end_line = 13;
    inexact.exact = false;
    missing.location = Some(inexact);

    let mut annotated = control_finding(
        "POD-001",
        "privileged-container",
        Severity::Critical,
        "container \"agent\" runs privileged",
    );
    annotated.resource = Some(std::sync::Arc::new(deployment("agent", "monitoring")));
    annotated.location = Some(located(
        "deploy/agent.yaml",
        20,
        9,
        13,
        "/spec/template/spec/containers/0/securityContext/privileged",
    ));
    annotated.suppressed = true;
    annotated.suppression = Some(Box::new(Suppression {
        kind: "annotation".into(),
        reason: "node agent needs host access".into(),
    }));

    let mut excepted = control_finding("NET-001", "no-network-policy", Severity::Low, "no policy");
    excepted.resource = Some(std::sync::Arc::new(deployment("agent", "monitoring")));
    excepted.location = Some(located("deploy/agent.yaml", 1, 1, 11, ""));
    excepted.suppressed = true;
    excepted.suppression = Some(Box::new(Suppression {
        kind: "exceptions-file".into(),
        reason: "tracked in SEC-42".into(),
    }));

    let mut vulnerable = Finding::new(
        "GHSA-jf85-cpcp-j695",
        Severity::High,
        "lodash 4.17.10 is affected by prototype pollution",
    );
    vulnerable.title = "Prototype pollution in lodash".into();
    vulnerable.package = Some(Box::new(PackageRef {
        ecosystem: Ecosystem::Npm,
        name: "lodash".into(),
        version: "4.17.10".into(),
        purl: "pkg:npm/lodash@4.17.10".into(),
        source_name: None,
        source_version: None,
    }));
    vulnerable.location = Some(Location::at("app/package-lock.json", 42, 5));
    vulnerable.fixed_versions = vec!["4.17.12".into()];
    vulnerable.aliases = vec!["CVE-2019-10744".into()];

    let mut cluster_only = control_finding(
        "RBAC-001",
        "cluster-admin-binding",
        Severity::Critical,
        "ServiceAccount ci/deployer is bound to cluster-admin",
    );
    cluster_only.resource = Some(std::sync::Arc::new(ResourceRef {
        api_version: "rbac.authorization.k8s.io/v1".into(),
        kind: "ClusterRoleBinding".into(),
        namespace: None,
        name: Some("deployer-admin".into()),
    }));

    let summary = ScanSummary {
        files: 3,
        objects: 5,
        ..ScanSummary::default()
    };
    let mut report = Report::new(
        "scan",
        vec![
            privileged,
            floating,
            missing,
            annotated,
            excepted,
            vulnerable,
            cluster_only,
        ],
        summary,
    );
    report.scores = Some(sample_scores());
    report
}

pub fn sample_scores() -> Scores {
    let control = |id: &str, slug: &str, severity, passed, failed, suppressed| ControlScore {
        id: id.into(),
        slug: slug.into(),
        severity,
        passed,
        failed,
        suppressed,
        compliance: if passed + failed == 0 {
            100.0
        } else {
            #[allow(clippy::cast_precision_loss)]
            let c = passed as f64 * 100.0 / (passed + failed) as f64;
            c
        },
    };
    Scores {
        compliance: 62.5,
        risk: 41.25,
        frameworks: vec![
            FrameworkScore {
                id: "pss-baseline".into(),
                name: "Pod Security Standards: Baseline".into(),
                compliance: 75.0,
                controls: 14,
                failed_controls: 1,
            },
            FrameworkScore {
                id: "nsa".into(),
                name: "NSA-CISA \"Hardening\" <Guidance>".into(),
                compliance: 50.0,
                controls: 20,
                failed_controls: 4,
            },
        ],
        controls: vec![
            control(
                "POD-001",
                "privileged-container",
                Severity::Critical,
                3,
                1,
                1,
            ),
            control("POD-016", "run-as-non-root", Severity::High, 0, 1, 0),
            control("IMG-001", "image-tag-latest", Severity::Medium, 0, 1, 0),
            control("NET-001", "no-network-policy", Severity::Low, 1, 0, 1),
            control("POD-002", "host-pid", Severity::High, 2, 0, 0),
        ],
    }
}

pub fn write_manifest(dir: &Path) -> String {
    let path = dir.join("web.yaml");
    std::fs::write(&path, MANIFEST).unwrap();
    path.to_string_lossy().into_owned()
}

/// True when `program` can be run (`program --version` starts).
pub fn have(program: &str) -> bool {
    std::process::Command::new(program)
        .arg("--version")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok()
}

pub fn render(format: palisade_report::Format, report: &Report) -> String {
    render_with(format, report, palisade_report::RenderOptions::default())
}

pub fn render_with(
    format: palisade_report::Format,
    report: &Report,
    options: palisade_report::RenderOptions<'_>,
) -> String {
    let mut out = Vec::new();
    palisade_report::render(format, report, options, &mut out).unwrap();
    String::from_utf8(out).unwrap()
}
