use super::*;

const OS_DEBIAN: &str =
    "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nID=debian\nVERSION_ID=\"12\"\n";

fn dpkg_entry(name: &str, version: &str, source: Option<&str>, status: &str) -> String {
    let source = source.map_or(String::new(), |s| format!("Source: {s}\n"));
    format!(
        "Package: {name}\nStatus: {status}\nPriority: optional\nArchitecture: amd64\n{source}Version: {version}\nDescription: test\n multi-line description\n\n"
    )
}

fn feed(index: &mut FileIndex, layer: usize, path: &str, text: &str) {
    assert_eq!(
        interest(path, false, text.len() as u64),
        Interest::Keep,
        "{path}"
    );
    index.insert(path, layer, text.as_bytes().to_vec());
}

fn found(catalog: &Catalog) -> Vec<(String, String, Option<usize>)> {
    catalog
        .packages
        .iter()
        .map(|p| (p.name.clone(), p.version.clone(), p.layer))
        .collect()
}

#[test]
fn dpkg_packages_carry_source_purl_line_and_installing_layer() {
    let mut index = FileIndex::default();
    feed(&mut index, 0, "usr/lib/os-release", OS_DEBIAN);
    let base = dpkg_entry("libc6", "2.36-9", Some("glibc"), "install ok installed")
        + &dpkg_entry(
            "bash",
            "5.2.15-2+b2",
            Some("bash (5.2.15-2)"),
            "install ok installed",
        )
        + &dpkg_entry("oldconf", "1.0", None, "deinstall ok config-files");
    feed(&mut index, 0, dpkg::STATUS, &base);
    // Layer 2 installs curl and upgrades libc6; bash stays from layer 0.
    let upgraded = dpkg_entry(
        "libc6",
        "2.36-9+deb12u4",
        Some("glibc"),
        "install ok installed",
    ) + &dpkg_entry(
        "bash",
        "5.2.15-2+b2",
        Some("bash (5.2.15-2)"),
        "install ok installed",
    ) + &dpkg_entry("curl", "7.88.1-10", None, "install ok installed");
    feed(&mut index, 2, dpkg::STATUS, &upgraded);

    let catalog = catalog(&index);
    assert_eq!(
        catalog
            .os
            .as_ref()
            .and_then(OsRelease::ecosystem)
            .map(|e| e.to_string()),
        Some("Debian:12".to_string())
    );
    assert_eq!(
        found(&catalog),
        [
            ("libc6".into(), "2.36-9+deb12u4".into(), Some(2)),
            ("bash".into(), "5.2.15-2+b2".into(), Some(0)),
            ("curl".into(), "7.88.1-10".into(), Some(2)),
        ]
    );
    let libc = &catalog.packages[0];
    assert_eq!(libc.source_name.as_deref(), Some("glibc"));
    assert_eq!(libc.source_version.as_deref(), Some("2.36-9+deb12u4"));
    assert_eq!(
        libc.purl,
        "pkg:deb/debian/libc6@2.36-9%2Bdeb12u4?arch=amd64&distro=debian-12"
    );
    assert_eq!(
        (libc.location.path.as_str(), libc.location.line),
        (dpkg::STATUS, 1)
    );
    let bash = &catalog.packages[1];
    assert_eq!(bash.source_version.as_deref(), Some("5.2.15-2"));
    assert_eq!(bash.location.line, 10);
    assert_eq!(catalog.packages[2].source_name.as_deref(), Some("curl"));
    assert!(catalog.warnings.is_empty(), "{:?}", catalog.warnings);
}

#[test]
fn reinstalled_after_removal_counts_from_the_reinstall() {
    let mut index = FileIndex::default();
    feed(&mut index, 0, "etc/os-release", OS_DEBIAN);
    let with_curl = dpkg_entry("curl", "7.88.1-10", None, "install ok installed");
    feed(&mut index, 0, dpkg::STATUS, &with_curl);
    feed(&mut index, 1, dpkg::STATUS, "");
    feed(&mut index, 3, dpkg::STATUS, &with_curl);
    assert_eq!(
        found(&catalog(&index)),
        [("curl".into(), "7.88.1-10".into(), Some(3))]
    );
}

#[test]
fn whiteouts_and_opaque_directories_remove_packages() {
    let mut index = FileIndex::default();
    feed(
        &mut index,
        0,
        "usr/lib/python3/dist-packages/six-1.16.0.dist-info/METADATA",
        "Name: six\nVersion: 1.16.0\n",
    );
    feed(
        &mut index,
        0,
        "app/node_modules/lodash/package.json",
        "{\"name\": \"lodash\", \"version\": \"4.17.15\"}",
    );
    feed(
        &mut index,
        0,
        "srv/Cargo.lock",
        "version = 3\n\n[[package]]\nname = \"smallvec\"\nversion = \"1.6.0\"\nsource = \"registry+https://github.com/rust-lang/crates.io-index\"\n",
    );
    index.remove("usr/lib/python3/dist-packages/six-1.16.0.dist-info", 1);
    index.remove_dir_contents("app", 1);
    let catalog = catalog(&index);
    assert_eq!(
        found(&catalog),
        [("smallvec".into(), "1.6.0".into(), Some(0))]
    );
    assert!(catalog.os.is_none());
}

#[test]
fn apk_packages_use_origin_and_branch() {
    let mut index = FileIndex::default();
    feed(
        &mut index,
        0,
        "etc/os-release",
        "ID=alpine\nVERSION_ID=3.19.1\n",
    );
    feed(
        &mut index,
        0,
        apk::INSTALLED,
        "C:Q1abc=\nP:libcrypto3\nV:3.1.4-r5\nA:x86_64\no:openssl\np:so:libcrypto.so.3=3\n\nP:busybox\nV:1.36.1-r15\nA:x86_64\n",
    );
    let catalog = catalog(&index);
    assert_eq!(
        found(&catalog),
        [
            ("libcrypto3".into(), "3.1.4-r5".into(), Some(0)),
            ("busybox".into(), "1.36.1-r15".into(), Some(0)),
        ]
    );
    let crypto = &catalog.packages[0];
    assert_eq!(crypto.ecosystem.to_string(), "Alpine:v3.19");
    assert_eq!(crypto.source_name.as_deref(), Some("openssl"));
    assert_eq!(crypto.location.line, 2);
    assert_eq!(
        crypto.purl,
        "pkg:apk/alpine/libcrypto3@3.1.4-r5?arch=x86_64&distro=alpine-3.19.1"
    );
    assert_eq!(catalog.packages[1].source_name.as_deref(), Some("busybox"));
}

#[test]
fn language_packages_and_lock_files_without_double_counting() {
    let mut index = FileIndex::default();
    feed(
        &mut index,
        1,
        "usr/local/lib/python3.11/site-packages/requests-2.19.0.dist-info/METADATA",
        "Metadata-Version: 2.1\nName: requests\nVersion: 2.19.0\n",
    );
    feed(
        &mut index,
        2,
        "app/node_modules/@babel/core/package.json",
        "{\n  \"name\": \"@babel/core\",\n  \"version\": \"7.0.0\"\n}\n",
    );
    // The lock file names the installed copy again, and one package that is not installed.
    feed(
        &mut index,
        2,
        "app/package-lock.json",
        "{\"lockfileVersion\": 3, \"packages\": {\"\": {\"name\": \"app\"}, \
         \"node_modules/@babel/core\": {\"version\": \"7.0.0\"}, \
         \"node_modules/minimist\": {\"version\": \"1.2.0\"}}}",
    );
    feed(
        &mut index,
        3,
        "usr/lib/ruby/gems/3.1.0/specifications/rack-2.2.3.gemspec",
        "Gem::Specification.new do |s|\n  s.name = \"rack\".freeze\n  s.version = \"2.2.3\"\nend\n",
    );
    let catalog = catalog(&index);
    let mut listed: Vec<(String, String, String, u32)> = catalog
        .packages
        .iter()
        .map(|p| {
            (
                p.ecosystem.to_string(),
                p.name.clone(),
                p.location.path.clone(),
                p.location.line,
            )
        })
        .collect();
    listed.sort();
    assert_eq!(
        listed,
        [
            (
                "PyPI".into(),
                "requests".into(),
                "usr/local/lib/python3.11/site-packages/requests-2.19.0.dist-info/METADATA".into(),
                2
            ),
            (
                "RubyGems".into(),
                "rack".into(),
                "usr/lib/ruby/gems/3.1.0/specifications/rack-2.2.3.gemspec".into(),
                2
            ),
            (
                "npm".into(),
                "@babel/core".into(),
                "app/node_modules/@babel/core/package.json".into(),
                2
            ),
            (
                "npm".into(),
                "minimist".into(),
                "app/package-lock.json".into(),
                1
            ),
        ]
    );
}

#[test]
fn interest_is_narrow() {
    assert_eq!(interest("usr/bin/bash", true, 1_200_000), Interest::Binary);
    assert_eq!(interest("usr/bin/tiny", true, 100), Interest::Skip);
    assert_eq!(
        interest("usr/share/doc/x/README", false, 100),
        Interest::Skip
    );
    assert_eq!(
        interest("app/node_modules/x/package-lock.json", false, 10),
        Interest::Skip
    );
    assert_eq!(interest("app/requirements.txt", false, 10), Interest::Skip);
    assert_eq!(
        interest("var/lib/dpkg/status.d/base-files", false, 10),
        Interest::Keep
    );
    assert_eq!(
        interest("var/lib/dpkg/status.d/base-files.md5sums", false, 10),
        Interest::Skip
    );
}

#[test]
fn unreadable_rpm_databases_are_named_in_a_warning() {
    let mut index = FileIndex::default();
    feed(
        &mut index,
        0,
        "etc/os-release",
        "ID=\"almalinux\"\nVERSION_ID=\"9.3\"\n",
    );
    index.insert("var/lib/rpm/rpmdb.sqlite", 0, vec![0; 1024]);
    index.insert("var/lib/rpm/Packages", 0, vec![0; 1024]);
    let catalog = catalog(&index);
    assert!(catalog.packages.is_empty());
    assert!(
        catalog
            .warnings
            .iter()
            .any(|w| w.contains("rpmdb.sqlite: cannot read"))
    );
    assert!(catalog.warnings.iter().any(|w| w.contains("Berkeley DB")));
}

#[test]
fn distroless_status_d_without_os_release() {
    let mut index = FileIndex::default();
    feed(&mut index, 0, "etc/debian_version", "12.5\n");
    feed(
        &mut index,
        0,
        "var/lib/dpkg/status.d/libssl3",
        &dpkg_entry(
            "libssl3",
            "3.0.11-1~deb12u2",
            Some("openssl"),
            "install ok installed",
        ),
    );
    let catalog = catalog(&index);
    let ssl = &catalog.packages[0];
    assert_eq!(ssl.ecosystem.to_string(), "Debian:12");
    assert_eq!(ssl.source_name.as_deref(), Some("openssl"));
    assert_eq!(ssl.location.path, "var/lib/dpkg/status.d/libssl3");
}
