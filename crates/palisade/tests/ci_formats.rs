//! CI integration as a user sees it: several formats in one run, SARIF and JUnit valid against
//! their published schemas, `palisade diff` and `scan --baseline --fail-on-new` matching
//! findings across moved lines and renamed files, and Palisade's own shipped manifests
//! passing its own scan.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .unwrap()
}

fn palisade(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_palisade"))
        .args(args)
        .current_dir(cwd)
        .env_remove("PALISADE_FAIL_ON")
        .env_remove("PALISADE_FRAMEWORK")
        .env_remove("PALISADE_PSS_VERSION")
        .env_remove("PALISADE_BASELINE")
        .env_remove("PALISADE_CONFIG")
        .env_remove("PALISADE_EXCEPTIONS")
        .env_remove("PALISADE_COMPLIANCE_THRESHOLD")
        .output()
        .unwrap()
}

fn code(output: &Output) -> i32 {
    output.status.code().expect("exited normally")
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn read_json(path: &Path) -> Value {
    serde_json::from_str(&fs::read_to_string(path).unwrap()).unwrap()
}

fn assert_valid(schema_file: &str, instance: &Value) {
    let schema: Value = read_json(&repo_root().join(schema_file));
    let validator = jsonschema::validator_for(&schema).expect("schema compiles");
    let errors: Vec<String> = validator
        .iter_errors(instance)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "invalid against {schema_file}:\n{}",
        errors.join("\n")
    );
}

#[test]
fn several_formats_in_one_run() {
    let root = repo_root();
    let out_dir = tempfile::tempdir().unwrap();
    let file = |name: &str| out_dir.path().join(name);
    let spec = |format: &str, name: &str| format!("{format}={}", file(name).display());
    let out = palisade(
        &[
            "scan",
            "examples/insecure",
            "--format",
            "table",
            "--format",
            &spec("sarif", "out.sarif"),
            "--format",
            &spec("html", "report.html"),
            "--format",
            &spec("junit", "junit.xml"),
            "--format",
            &spec("markdown", "summary.md"),
            "--format",
            &spec("prometheus", "metrics.prom"),
            "--format",
            &spec("json", "report.json"),
            "--fail-on",
            "high",
        ],
        &root,
    );
    assert_eq!(
        code(&out),
        1,
        "gate reached on the insecure examples: {}",
        stderr(&out)
    );
    assert!(
        stdout(&out).contains("privileged-container"),
        "table on stdout"
    );

    let sarif = read_json(&file("out.sarif"));
    assert_valid(
        "crates/palisade-report/tests/data/sarif-schema-2.1.0.json",
        &sarif,
    );
    let run = &sarif["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    let pod001 = rules
        .iter()
        .find(|r| r["id"] == "POD-001")
        .expect("POD-001 rule");
    assert_eq!(pod001["name"], "privileged-container");
    assert!(
        pod001["help"]["markdown"]
            .as_str()
            .unwrap()
            .contains("What it checks"),
        "catalog docs in the rule: {pod001}"
    );
    assert!(pod001["helpUri"].as_str().unwrap().starts_with("https://"));
    let result = run["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["ruleId"] == "POD-001")
        .unwrap();
    let location = &result["locations"][0]["physicalLocation"];
    assert_eq!(
        location["artifactLocation"]["uri"],
        "examples/insecure/web-deployment.yaml"
    );
    assert!(location["region"]["startLine"].as_u64().unwrap() > 1);
    assert!(location["region"]["endColumn"].as_u64().is_some());

    let report = read_json(&file("report.json"));
    let findings = report["findings"].as_array().unwrap().len();
    assert_eq!(run["results"].as_array().unwrap().len(), findings);

    let html = fs::read_to_string(file("report.html")).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>") && html.contains("chart-severity"));
    let junit = fs::read_to_string(file("junit.xml")).unwrap();
    assert!(junit.contains("<testsuite name=\"POD-001 privileged-container\""));
    let markdown = fs::read_to_string(file("summary.md")).unwrap();
    assert!(markdown.contains("examples/insecure/web-deployment.yaml:"));
    let metrics = fs::read_to_string(file("metrics.prom")).unwrap();
    assert!(metrics.contains("palisade_findings{severity=\"critical\"}"));
    assert!(metrics.contains("# TYPE palisade_compliance_ratio gauge"));
}

#[test]
fn sarif_root_overrides_the_uri_base() {
    let root = repo_root();
    let out = palisade(
        &[
            "scan",
            "examples/insecure/web-deployment.yaml",
            "--format",
            "sarif",
            "--sarif-root",
            "examples",
        ],
        &root,
    );
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let sarif: Value = serde_json::from_slice(&out.stdout).unwrap();
    let uri = &sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
        ["uri"];
    assert_eq!(uri, "insecure/web-deployment.yaml");
}

const WEB: &str = "\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  replicas: 2
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
        - name: app
          image: nginx:1.25
          securityContext:
            privileged: true
";

/// Scans `files` (name, content) in a fresh directory and returns the JSON report's path.
fn scan_to_json(dir: &Path, name: &str, files: &[(&str, String)]) -> PathBuf {
    let tree = dir.join(name);
    fs::create_dir_all(&tree).unwrap();
    for (file, content) in files {
        fs::write(tree.join(file), content).unwrap();
    }
    let report = dir.join(format!("{name}.json"));
    let out = palisade(
        &[
            "scan",
            ".",
            "--format",
            &format!("json={}", report.display()),
        ],
        &tree,
    );
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    report
}

fn diff_json(dir: &Path, base: &Path, head: &Path, fail_on: &str) -> (i32, Value) {
    let out = palisade(
        &[
            "diff",
            base.to_str().unwrap(),
            head.to_str().unwrap(),
            "--format",
            "json",
            "--fail-on",
            fail_on,
        ],
        dir,
    );
    assert!(code(&out) < 2, "{}", stderr(&out));
    (code(&out), serde_json::from_slice(&out.stdout).unwrap())
}

fn ids(findings: &Value) -> Vec<String> {
    findings
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["id"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn diff_ignores_moved_lines_and_renamed_files() {
    let dir = tempfile::tempdir().unwrap();
    let base = scan_to_json(dir.path(), "base", &[("web.yaml", WEB.to_string())]);
    let moved = format!("# Storefront\n# owned by the shop team\n\n---\n{WEB}");
    let head = scan_to_json(dir.path(), "head", &[("storefront.yaml", moved)]);
    let (code, diff) = diff_json(dir.path(), &base, &head, "info");
    assert_eq!(code, 0, "{diff}");
    assert_eq!(diff["summary"]["new"], 0, "{diff}");
    assert_eq!(diff["summary"]["fixed"], 0, "{diff}");
    assert!(diff["summary"]["unchanged"].as_u64().unwrap() > 0);
    // The lines did move: same findings, other lines.
    let line = |report: &Path| {
        read_json(report)["findings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["id"] == "POD-001")
            .unwrap()["location"]["line"]
            .as_u64()
            .unwrap()
    };
    assert_eq!(line(&head), line(&base) + 4);
}

#[test]
fn diff_reports_fixed_and_new_findings_and_gates_on_severity() {
    let dir = tempfile::tempdir().unwrap();
    let base = scan_to_json(dir.path(), "base", &[("web.yaml", WEB.to_string())]);
    // Fixed: privileged off. New: the pod joins the host's PID namespace (a high finding).
    let changed = WEB
        .replace("privileged: true", "privileged: false")
        .replace(
            "    spec:\n      containers:",
            "    spec:\n      hostPID: true\n      containers:",
        );
    let head = scan_to_json(dir.path(), "head", &[("web.yaml", changed)]);
    let (code, diff) = diff_json(dir.path(), &base, &head, "high");
    assert_eq!(code, 1, "a new high finding reaches --fail-on high: {diff}");
    assert!(ids(&diff["new"]).contains(&"POD-002".to_string()), "{diff}");
    assert!(
        ids(&diff["fixed"]).contains(&"POD-001".to_string()),
        "{diff}"
    );
    assert!(!ids(&diff["new"]).contains(&"POD-001".to_string()));
    // The same change passes a gate above its severity.
    let (code, _) = diff_json(dir.path(), &base, &head, "critical");
    assert_eq!(code, 0);
    // Fixing alone never fails the gate.
    let (code, _) = diff_json(dir.path(), &head, &head, "info");
    assert_eq!(code, 0);

    // Human-readable and Markdown outputs name what changed.
    let out = palisade(
        &["diff", base.to_str().unwrap(), head.to_str().unwrap()],
        dir.path(),
    );
    let text = stdout(&out);
    assert!(
        text.contains("New findings:") && text.contains("POD-002"),
        "{text}"
    );
    assert!(
        text.contains("Fixed findings:") && text.contains("POD-001"),
        "{text}"
    );
    let out = palisade(
        &[
            "diff",
            base.to_str().unwrap(),
            head.to_str().unwrap(),
            "-f",
            "markdown",
        ],
        dir.path(),
    );
    assert!(stdout(&out).contains("### New findings"));
    // SARIF of the new findings only.
    let out = palisade(
        &[
            "diff",
            base.to_str().unwrap(),
            head.to_str().unwrap(),
            "-f",
            "sarif",
        ],
        dir.path(),
    );
    let sarif: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_valid(
        "crates/palisade-report/tests/data/sarif-schema-2.1.0.json",
        &sarif,
    );
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), diff["new"].as_array().unwrap().len());
}

#[test]
fn scan_with_baseline_fails_only_on_new_findings() {
    let dir = tempfile::tempdir().unwrap();
    let base = scan_to_json(dir.path(), "base", &[("web.yaml", WEB.to_string())]);
    let tree = dir.path().join("work");
    fs::create_dir_all(&tree).unwrap();
    let baseline = base.to_str().unwrap();

    // Only moved: the existing critical finding does not fail --fail-on-new.
    fs::write(tree.join("renamed.yaml"), format!("# moved\n\n{WEB}")).unwrap();
    let out = palisade(
        &[
            "scan",
            ".",
            "--baseline",
            baseline,
            "--fail-on-new",
            "--fail-on",
            "high",
        ],
        &tree,
    );
    assert_eq!(code(&out), 0, "{}{}", stdout(&out), stderr(&out));
    // Without --fail-on-new the usual gate sees it.
    let out = palisade(
        &["scan", ".", "--baseline", baseline, "--fail-on", "high"],
        &tree,
    );
    assert_eq!(code(&out), 1);

    // A new high finding fails --fail-on high, not --fail-on critical.
    fs::write(
        tree.join("renamed.yaml"),
        WEB.replace(
            "    spec:\n      containers:",
            "    spec:\n      hostPID: true\n      containers:",
        ),
    )
    .unwrap();
    let out = palisade(
        &[
            "scan",
            ".",
            "--baseline",
            baseline,
            "--fail-on-new",
            "--fail-on",
            "high",
        ],
        &tree,
    );
    assert_eq!(code(&out), 1);
    let out = palisade(
        &[
            "scan",
            ".",
            "--baseline",
            baseline,
            "--fail-on-new",
            "--fail-on",
            "critical",
        ],
        &tree,
    );
    assert_eq!(code(&out), 0);
    // SARIF marks the new result.
    let out = palisade(
        &["scan", ".", "--baseline", baseline, "--format", "sarif"],
        &tree,
    );
    let sarif: Value = serde_json::from_slice(&out.stdout).unwrap();
    let states: Vec<(&str, &str)> = sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|r| Some((r["ruleId"].as_str()?, r["baselineState"].as_str()?)))
        .collect();
    assert!(states.contains(&("POD-002", "new")), "{states:?}");
    assert!(states.contains(&("POD-001", "unchanged")), "{states:?}");
}

#[test]
fn baseline_usage_errors_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("web.yaml"), WEB).unwrap();
    fs::write(dir.path().join("not-a-report.json"), "{\"hello\": 1}").unwrap();
    for args in [
        &["scan", ".", "--fail-on-new"][..],
        &["scan", ".", "--baseline", "missing.json", "--fail-on-new"],
        &["scan", ".", "--baseline", "not-a-report.json"],
        &["diff", "missing.json", "not-a-report.json"],
        &["diff", "not-a-report.json", "not-a-report.json"],
    ] {
        let out = palisade(args, dir.path());
        assert_eq!(code(&out), 2, "{args:?}: {}", stderr(&out));
        assert!(!stderr(&out).is_empty());
    }
    let out = palisade(
        &["scan", ".", "--baseline", "not-a-report.json"],
        dir.path(),
    );
    assert!(stderr(&out).contains("not-a-report.json is not a Palisade JSON report"));
}

#[test]
fn own_manifests_pass_own_scan_at_medium() {
    let root = repo_root();
    for target in ["deploy", "examples/hardened"] {
        let out = palisade(&["scan", target, "--fail-on", "medium"], &root);
        assert_eq!(
            code(&out),
            0,
            "{target} must pass its own scan:\n{}{}",
            stdout(&out),
            stderr(&out)
        );
        assert!(
            !stdout(&out).contains("Scanned 0 files"),
            "{target} has manifests"
        );
    }
}

#[test]
fn dockerfile_is_multi_stage_minimal_and_non_root() {
    // Palisade does not scan Dockerfiles yet; these are the properties its own image promises.
    let dockerfile = fs::read_to_string(repo_root().join("Dockerfile")).unwrap();
    let froms: Vec<&str> = dockerfile
        .lines()
        .filter(|l| l.trim_start().to_ascii_uppercase().starts_with("FROM "))
        .collect();
    assert!(froms.len() >= 2, "multi-stage: {froms:?}");
    assert!(
        froms.last().unwrap().contains("gcr.io/distroless/"),
        "minimal final stage: {froms:?}"
    );
    let last_stage = dockerfile.rsplit_once("\nFROM ").unwrap().1;
    assert!(last_stage.contains("\nUSER nonroot"), "non-root user");
    assert!(
        !last_stage.contains("\nRUN "),
        "no shell needed in the final stage"
    );
    assert!(
        last_stage.contains("ENTRYPOINT [\""),
        "exec-form entrypoint"
    );
}

/// The `run:` script of the action step named `step` (block scalar, indented 8 spaces).
fn action_step_script(action: &str, step: &str) -> String {
    let start = action
        .find(&format!("    - name: {step}\n"))
        .unwrap_or_else(|| panic!("no step {step} in action.yml"));
    let run = start + action[start..].find("      run: |\n").unwrap() + "      run: |\n".len();
    action[run..]
        .lines()
        .take_while(|l| l.is_empty() || l.starts_with("        "))
        .map(|l| l.strip_prefix("        ").unwrap_or(""))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn github_action_scan_step_runs_and_gates() {
    let root = repo_root();
    let action = fs::read_to_string(root.join("action.yml")).unwrap();
    let script = action_step_script(&action, "Scan");
    let temp = tempfile::tempdir().unwrap();
    let run = |paths: &str, fail_on: &str| {
        let output_file = temp.path().join("output");
        let summary_file = temp.path().join("summary.md");
        let _ = fs::remove_file(&output_file);
        let _ = fs::remove_file(&summary_file);
        let out = Command::new("bash")
            .arg("-c")
            .arg(&script)
            .current_dir(&root)
            .env("PALISADE", env!("CARGO_BIN_EXE_palisade"))
            .env("INPUT_PATHS", paths)
            .env("INPUT_FRAMEWORK", "pss-restricted")
            .env("INPUT_FAIL_ON", fail_on)
            .env(
                "INPUT_FORMAT",
                format!("  junit={}\n", temp.path().join("junit.xml").display()),
            )
            .env("INPUT_SARIF_FILE", temp.path().join("out.sarif"))
            .env("INPUT_SARIF_ROOT", "")
            .env("INPUT_BASELINE", "")
            .env("INPUT_FAIL_ON_NEW", "false")
            .env("INPUT_STEP_SUMMARY", "true")
            .env("GITHUB_WORKSPACE", &root)
            .env("GITHUB_OUTPUT", &output_file)
            .env("GITHUB_STEP_SUMMARY", &summary_file)
            .env("RUNNER_TEMP", temp.path())
            .env_remove("PALISADE_FAIL_ON")
            .env_remove("PALISADE_FRAMEWORK")
            .output()
            .unwrap();
        let outputs = fs::read_to_string(&output_file).unwrap_or_default();
        let summary = fs::read_to_string(&summary_file).unwrap_or_default();
        (code(&out), outputs, summary, stdout(&out))
    };

    let (status, outputs, summary, log) = run("examples/insecure\nexamples/hardened", "high");
    assert_eq!(status, 1, "{log}");
    assert!(outputs.contains("exit-code=1"), "{outputs}");
    assert!(
        log.contains("::error::Palisade: findings reached the gate"),
        "{log}"
    );
    assert!(summary.starts_with("## Palisade scan:"), "{summary}");
    let sarif = read_json(&temp.path().join("out.sarif"));
    assert_valid(
        "crates/palisade-report/tests/data/sarif-schema-2.1.0.json",
        &sarif,
    );
    let uri = sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
        ["artifactLocation"]["uri"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        uri.starts_with("examples/"),
        "relative to the workspace: {uri}"
    );
    assert!(temp.path().join("junit.xml").exists());

    let (status, outputs, _, log) = run("examples/hardened", "high");
    assert_eq!(status, 0, "{log}");
    assert!(outputs.contains("exit-code=0"));
}

#[test]
fn github_action_install_step_uses_a_given_binary() {
    let root = repo_root();
    let action = fs::read_to_string(root.join("action.yml")).unwrap();
    let script = action_step_script(&action, "Install palisade");
    let temp = tempfile::tempdir().unwrap();
    let output_file = temp.path().join("output");
    let out = Command::new("bash")
        .arg("-c")
        .arg(&script)
        .current_dir(&root)
        .env("PALISADE_PATH", env!("CARGO_BIN_EXE_palisade"))
        .env("ACTION_PATH", &root)
        .env("GITHUB_OUTPUT", &output_file)
        .env("RUNNER_TEMP", temp.path())
        .output()
        .unwrap();
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(stdout(&out).starts_with("palisade "), "prints the version");
    let outputs = fs::read_to_string(&output_file).unwrap();
    assert_eq!(
        outputs.trim(),
        format!("bin={}", env!("CARGO_BIN_EXE_palisade"))
    );
}
