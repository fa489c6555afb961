//! RPM databases written by the real `rpm` (SQLite backend, RPM 4.18) from packages built by
//! `rpmbuild`: read by `palisade sbom` (directory and image) and matched against AlmaLinux
//! advisories from shared/vulndata. Skipped with a message when rpm tools are missing
//! (.ci/setup.d/rpm.sh installs them).

mod common;

use std::fmt::Write as _;
use std::fs;
use std::path::Path;
use std::process::{Command, Output};

use common::images::{database, skip, tool};
use common::{code, json_report, repo_root, stderr, stdout, validate_report};
use serde_json::Value;

struct Rpm {
    name: String,
    version: &'static str,
    release: &'static str,
    epoch: Option<u32>,
    description_bytes: usize,
}

fn rpm(name: &str, version: &'static str, release: &'static str) -> Rpm {
    Rpm {
        name: name.to_string(),
        version,
        release,
        epoch: None,
        description_bytes: 10,
    }
}

fn run(command: &mut Command) -> Output {
    let out = command.output().unwrap();
    assert!(out.status.success(), "{command:?}: {}", stderr(&out));
    out
}

/// A root filesystem with AlmaLinux 9's os-release and an rpmdb holding `packages`.
fn rootfs(dir: &Path, packages: &[Rpm]) {
    let top = dir.join("rpmbuild");
    for package in packages {
        let mut spec = format!(
            "Name: {}\nVersion: {}\nRelease: {}\nSummary: test package\nLicense: MIT\nBuildArch: noarch\n",
            package.name, package.version, package.release
        );
        if let Some(epoch) = package.epoch {
            let _ = writeln!(spec, "Epoch: {epoch}");
        }
        // A long description makes the header larger than a database page (overflow pages).
        let description: String = "lorem ipsum ".repeat(package.description_bytes / 12 + 1);
        let _ = write!(spec, "%description\n{description}\n%files\n");
        let spec_path = dir.join(format!("{}.spec", package.name));
        fs::write(&spec_path, spec).unwrap();
        run(Command::new("rpmbuild")
            .args(["-bb", "--quiet", "--define"])
            .arg(format!("_topdir {}", top.display()))
            .arg(&spec_path));
    }
    let root = dir.join("root");
    let db = root.join("var/lib/rpm");
    fs::create_dir_all(&db).unwrap();
    fs::create_dir_all(root.join("etc")).unwrap();
    fs::write(
        root.join("etc/os-release"),
        "NAME=\"AlmaLinux\"\nVERSION=\"9.3 (Shamrock Pampas Cat)\"\nID=\"almalinux\"\nID_LIKE=\"rhel centos fedora\"\nVERSION_ID=\"9.3\"\nPRETTY_NAME=\"AlmaLinux 9.3 (Shamrock Pampas Cat)\"\n",
    )
    .unwrap();
    run(Command::new("rpm").arg("--dbpath").arg(&db).arg("--initdb"));
    let rpms: Vec<_> = fs::read_dir(top.join("RPMS/noarch"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    run(Command::new("rpm")
        .args([
            "-i",
            "--justdb",
            "--nodeps",
            "--noscripts",
            "--notriggers",
            "--nosignature",
        ])
        .arg("--dbpath")
        .arg(&db)
        .args(&rpms));
    // The runtime files of the database are not part of an image.
    for extra in ["rpmdb.sqlite-shm", "rpmdb.sqlite-wal", ".rpm.lock"] {
        let _ = fs::remove_file(db.join(extra));
    }
}

fn rpm_tools() -> bool {
    let ok = tool("rpmbuild") && tool("rpm");
    if !ok {
        skip("rpm/rpmbuild missing (run .ci/setup.d/rpm.sh)");
    }
    ok
}

fn palisade(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_palisade"))
        .args(args)
        .current_dir(repo_root())
        .env_remove("PALISADE_FAIL_ON")
        .output()
        .unwrap()
}

#[test]
fn rpm_packages_are_listed_and_matched_against_almalinux_advisories() {
    if !rpm_tools() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    // ALSA-2022:4587 fixes pcs and pcs-snmp in 0.11.1-10.el9: one vulnerable, one fixed; many
    // filler packages make the table span interior b-tree pages, one spills to overflow pages.
    let mut packages = vec![
        rpm("pcs", "0.11.1", "9.el9"),
        rpm("pcs-snmp", "0.11.1", "10.el9"),
        Rpm {
            epoch: Some(2),
            description_bytes: 20_000,
            ..rpm("big-description", "1.0", "1.el9")
        },
    ];
    for n in 0..40 {
        packages.push(rpm(&format!("filler-{n}"), "1.0", "1.el9"));
    }
    rootfs(dir.path(), &packages);
    let root = dir.path().join("root");

    let out = palisade(&["sbom", root.to_str().unwrap()]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let bom: Value = serde_json::from_str(&stdout(&out)).unwrap();
    let components = bom["components"].as_array().unwrap();
    assert_eq!(components.len(), 1 + packages.len(), "os + every package");
    let purl_of = |name: &str| {
        components
            .iter()
            .find(|c| c["name"] == name)
            .map(|c| c["purl"].as_str().unwrap().to_string())
    };
    assert_eq!(
        purl_of("pcs").unwrap(),
        "pkg:rpm/almalinux/pcs@0.11.1-9.el9?arch=noarch&distro=almalinux-9.3"
    );
    assert_eq!(
        purl_of("big-description").unwrap(),
        "pkg:rpm/almalinux/big-description@2:1.0-1.el9?arch=noarch&distro=almalinux-9.3"
    );

    let sbom_file = dir.path().join("alma.cdx.json");
    fs::write(&sbom_file, stdout(&out)).unwrap();
    let out = palisade(&[
        "sbom",
        "scan",
        sbom_file.to_str().unwrap(),
        "--db",
        database().to_str().unwrap(),
        "-f",
        "json",
    ]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let report = json_report(&out);
    validate_report(&report);
    let hits: Vec<(&str, &str)> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["id"].as_str().unwrap(),
                f["package"]["name"].as_str().unwrap(),
            )
        })
        .collect();
    assert!(hits.contains(&("ALSA-2022:4587", "pcs")), "{hits:?}");
    // pcs-snmp is at the fixed release of that advisory (later advisories still apply).
    assert!(!hits.contains(&("ALSA-2022:4587", "pcs-snmp")), "{hits:?}");
    assert!(hits.contains(&("ALSA-2022:6313", "pcs-snmp")), "{hits:?}");
}

#[test]
fn rpm_database_inside_an_image() {
    if !rpm_tools() || !tool("umoci") {
        skip("umoci missing (run .ci/setup.d/images.sh)");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    rootfs(dir.path(), &[rpm("pcs", "0.11.1", "9.el9")]);
    let layout = dir.path().join("oci");
    let layout_tag = format!("{}:alma", layout.display());
    run(Command::new("umoci")
        .args(["init", "--layout"])
        .arg(&layout));
    run(Command::new("umoci").args(["new", "--image", &layout_tag]));
    run(Command::new("umoci")
        .args([
            "insert",
            "--image",
            &layout_tag,
            "--history.created_by",
            "ADD rootfs /",
        ])
        .arg(dir.path().join("root"))
        .arg("/"));
    let out = palisade(&[
        "image",
        "--input",
        layout.to_str().unwrap(),
        "alma",
        "--db",
        database().to_str().unwrap(),
        "-f",
        "json",
    ]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let report = json_report(&out);
    let finding = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["id"] == "ALSA-2022:4587")
        .expect("pcs advisory");
    assert_eq!(finding["package"]["ecosystem"], "AlmaLinux:9");
    assert_eq!(finding["location"]["path"], "/var/lib/rpm/rpmdb.sqlite");
    assert_eq!(finding["layer"]["index"], 0);
}
