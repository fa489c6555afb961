//! JUnit XML: a suite per control, a case per resource, counts that add up, and validity
//! against the Jenkins xUnit JUnit schema (checked with `xmllint --schema` when installed).

#![allow(clippy::print_stderr)] // skip notices

mod common;

use std::collections::BTreeMap;
use std::process::Command;

use palisade_report::Format;
use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

use common::{have, render, sample_report};

#[derive(Debug, Default)]
struct Suite {
    attrs: BTreeMap<String, String>,
    properties: BTreeMap<String, String>,
    cases: Vec<Case>,
}

#[derive(Debug, Default)]
struct Case {
    name: String,
    classname: String,
    failure: Option<(String, String)>,
    skipped: Option<String>,
}

fn attributes(e: &BytesStart<'_>) -> BTreeMap<String, String> {
    e.attributes()
        .map(|a| {
            let a = a.unwrap();
            (
                String::from_utf8(a.key.as_ref().to_vec()).unwrap(),
                a.unescape_value().unwrap().into_owned(),
            )
        })
        .collect()
}

/// Parses the document strictly (any XML error fails the test) into suites.
fn parse(xml: &str) -> (BTreeMap<String, String>, Vec<Suite>) {
    let mut reader = Reader::from_str(xml);
    let mut root = BTreeMap::new();
    let mut suites: Vec<Suite> = Vec::new();
    let mut in_failure = false;
    loop {
        match reader.read_event().expect("well-formed XML") {
            Event::Start(e) | Event::Empty(e) => {
                let attrs = attributes(&e);
                match e.name().as_ref() {
                    b"testsuites" => root = attrs,
                    b"testsuite" => suites.push(Suite {
                        attrs,
                        ..Suite::default()
                    }),
                    b"property" => {
                        suites
                            .last_mut()
                            .unwrap()
                            .properties
                            .insert(attrs["name"].clone(), attrs["value"].clone());
                    }
                    b"testcase" => suites.last_mut().unwrap().cases.push(Case {
                        name: attrs["name"].clone(),
                        classname: attrs["classname"].clone(),
                        ..Case::default()
                    }),
                    b"failure" => {
                        let case = suites.last_mut().unwrap().cases.last_mut().unwrap();
                        case.failure = Some((attrs["message"].clone(), String::new()));
                        in_failure = true;
                    }
                    b"skipped" => {
                        let case = suites.last_mut().unwrap().cases.last_mut().unwrap();
                        case.skipped = Some(attrs["message"].clone());
                    }
                    _ => {}
                }
            }
            Event::Text(text) if in_failure => {
                let case = suites.last_mut().unwrap().cases.last_mut().unwrap();
                case.failure.as_mut().unwrap().1 += &text.unescape().unwrap();
            }
            Event::End(e) if e.name().as_ref() == b"failure" => in_failure = false,
            Event::Eof => break,
            _ => {}
        }
    }
    (root, suites)
}

#[test]
fn counts_add_up_per_suite_and_overall() {
    let xml = render(Format::Junit, &sample_report("k8s/web.yaml"));
    let (root, suites) = parse(&xml);
    let mut tests = 0;
    let mut failures = 0;
    for suite in &suites {
        let cases = suite.cases.len();
        let failed = suite.cases.iter().filter(|c| c.failure.is_some()).count();
        let skipped = suite.cases.iter().filter(|c| c.skipped.is_some()).count();
        assert_eq!(suite.attrs["tests"], cases.to_string(), "{suite:?}");
        assert_eq!(suite.attrs["failures"], failed.to_string(), "{suite:?}");
        assert_eq!(suite.attrs["skipped"], skipped.to_string(), "{suite:?}");
        assert_eq!(suite.attrs["errors"], "0");
        tests += cases;
        failures += failed;
    }
    assert_eq!(root["tests"], tests.to_string());
    assert_eq!(root["failures"], failures.to_string());
}

#[test]
fn suite_per_control_case_per_resource() {
    let xml = render(Format::Junit, &sample_report("k8s/web.yaml"));
    let (_, suites) = parse(&xml);
    let names: Vec<&str> = suites.iter().map(|s| s.attrs["name"].as_str()).collect();
    assert_eq!(
        names,
        [
            "GHSA-jf85-cpcp-j695",
            "IMG-001 image-tag-latest",
            "NET-001 no-network-policy",
            "POD-001 privileged-container",
            "POD-002 host-pid",
            "POD-016 run-as-non-root",
            "RBAC-001 cluster-admin-binding",
        ]
    );
    let pod001 = &suites[3];
    // web fails, agent's finding is suppressed, and scores say 3 resources passed, of which
    // 1 only through a suppression: 2 resources without findings.
    assert_eq!(pod001.cases.len(), 3);
    let web = pod001
        .cases
        .iter()
        .find(|c| c.name == "Deployment/shop/web")
        .unwrap();
    assert_eq!(web.classname, "k8s/web.yaml");
    let (message, text) = web.failure.as_ref().unwrap();
    assert_eq!(message, "container \"app\" runs privileged");
    assert!(text.contains("k8s/web.yaml:13:25"), "{text}");
    assert!(text.contains("fix: Fix privileged-container."), "{text}");
    assert!(text.contains("found: privileged: true"), "{text}");
    let agent = pod001
        .cases
        .iter()
        .find(|c| c.name == "Deployment/monitoring/agent")
        .unwrap();
    assert_eq!(
        agent.skipped.as_deref(),
        Some("suppressed (annotation): node agent needs host access")
    );
    assert!(
        pod001
            .cases
            .iter()
            .any(|c| c.name == "2 resources without findings")
    );
    assert_eq!(pod001.properties["compliance"], "75.0");
    assert_eq!(pod001.properties["severity"], "critical");
    // A control with no findings that ran on resources is a passing suite.
    let host_pid = &suites[4];
    assert_eq!(host_pid.attrs["failures"], "0");
    assert_eq!(host_pid.cases[0].name, "2 resources without findings");
    // Package findings are named by package.
    assert_eq!(suites[0].cases[0].name, "lodash@4.17.10");
}

#[test]
fn validates_against_the_jenkins_junit_schema() {
    if !have("xmllint") {
        eprintln!(
            "SKIPPED: xmllint is not installed (Debian package libxml2-utils; .ci/setup.d/chromium.sh installs it)"
        );
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let schema = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/junit-10.xsd");
    for (name, report) in [
        ("sample.xml", sample_report("k8s/web.yaml")),
        (
            "empty.xml",
            palisade_core::Report::new("scan", vec![], palisade_core::ScanSummary::default()),
        ),
    ] {
        let path = dir.path().join(name);
        std::fs::write(&path, render(Format::Junit, &report)).unwrap();
        let output = Command::new("xmllint")
            .args(["--noout", "--schema", schema])
            .arg(&path)
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "{name} does not validate:\n{}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
}
