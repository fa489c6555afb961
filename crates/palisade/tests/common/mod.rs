//! Helpers shared by the CLI integration tests: run the binary, read its output, validate
//! reports against the published schema.
#![allow(dead_code)]

pub mod images;
pub mod registry;

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::Value;

pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .unwrap()
}

pub fn palisade(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_palisade"))
        .args(args)
        .current_dir(cwd)
        .env_remove("PALISADE_FAIL_ON")
        .env_remove("PALISADE_FRAMEWORK")
        .env_remove("PALISADE_PSS_VERSION")
        .env_remove("PALISADE_DB")
        .env_remove("PALISADE_EXCEPTIONS")
        .output()
        .unwrap()
}

pub fn palisade_stdin(args: &[&str], cwd: &Path, input: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_palisade"))
        .args(args)
        .current_dir(cwd)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

pub fn code(output: &Output) -> i32 {
    output.status.code().expect("exited normally")
}

pub fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

pub fn json_report(output: &Output) -> Value {
    serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}):\n{}", stdout(output)))
}

pub fn validate_report(report: &Value) {
    assert_valid("schemas/report.schema.json", report);
}

/// Validates `instance` against the JSON Schema at `schema_file` (relative to the repository).
pub fn assert_valid(schema_file: &str, instance: &Value) {
    let schema: Value =
        serde_json::from_str(&fs::read_to_string(repo_root().join(schema_file)).unwrap()).unwrap();
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
