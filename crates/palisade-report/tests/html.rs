//! The HTML report in a real browser: headless Chromium loads the file, runs its script and
//! dumps the DOM, on which the filters, snippets and escaping are checked; a screenshot proves
//! it renders. Skipped with a message where Chromium is not installed (CI installs it).

#![allow(clippy::print_stderr)] // skip notices

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use palisade_report::{Format, RenderOptions};

use common::{have, render, render_with, sample_report, write_manifest};

fn chromium() -> Option<&'static str> {
    ["chromium", "chromium-browser", "google-chrome"]
        .into_iter()
        .find(|c| have(c))
}

/// Runs headless Chromium with `extra` arguments on `url`; returns stdout. A browser that
/// has not finished after two minutes is killed (hang protection, not a timing assertion).
fn run_chromium(browser: &str, profile: &Path, extra: &[&str], url: &str) -> String {
    let mut child = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-dev-shm-usage",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(extra)
        .arg(url)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("chromium starts");
    let stdout = child.stdout.take().unwrap();
    let reader = std::thread::spawn(move || std::io::read_to_string(stdout).unwrap_or_default());
    let started = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > Duration::from_mins(2) {
            let _ = child.kill();
            panic!("chromium did not finish");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    reader.join().unwrap()
}

struct Page {
    _dir: tempfile::TempDir,
    file: PathBuf,
    profile: PathBuf,
}

fn page() -> Page {
    let dir = tempfile::tempdir().unwrap();
    let manifest = write_manifest(dir.path());
    let html = render(Format::Html, &sample_report(&manifest));
    let file = dir.path().join("report.html");
    std::fs::write(&file, html).unwrap();
    let profile = dir.path().join("profile");
    Page {
        _dir: dir,
        file,
        profile,
    }
}

/// (data-control, data-severity, hidden) of every finding row in a dumped DOM.
fn rows(dom: &str) -> Vec<(String, String, bool)> {
    dom.split("<tr class=\"finding")
        .skip(1)
        .map(|rest| {
            let tag = &rest[..rest.find('>').unwrap()];
            let attr = |name: &str| {
                let start = tag.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
                tag[start..start + tag[start..].find('"').unwrap()].to_string()
            };
            (
                attr("data-control"),
                attr("data-severity"),
                tag.contains(" hidden"),
            )
        })
        .collect()
}

fn visible(dom: &str) -> Vec<(String, String)> {
    rows(dom)
        .into_iter()
        .filter(|(_, _, hidden)| !hidden)
        .map(|(c, s, _)| (c, s))
        .collect()
}

#[test]
fn filters_work_in_a_real_browser() {
    let Some(browser) = chromium() else {
        eprintln!("SKIPPED: chromium is not installed (.ci/setup.d/chromium.sh installs it)");
        return;
    };
    let page = page();
    let url = format!("file://{}", page.file.display());

    let dom = run_chromium(browser, &page.profile, &["--dump-dom"], &url);
    assert!(
        dom.contains("data-filtered=\"true\""),
        "script did not run:\n{dom}"
    );
    assert_eq!(rows(&dom).len(), 7);
    // By default suppressed findings are hidden.
    assert_eq!(visible(&dom).len(), 5);
    assert!(dom.contains("5 of 7 findings shown"));

    let dom = run_chromium(
        browser,
        &page.profile,
        &["--dump-dom"],
        &format!("{url}?severity=high&q=shop"),
    );
    assert_eq!(
        visible(&dom),
        [
            ("POD-016".to_string(), "high".to_string()),
            ("POD-001".to_string(), "critical".to_string())
        ]
    );
    assert!(dom.contains("2 of 7 findings shown"));

    let dom = run_chromium(
        browser,
        &page.profile,
        &["--dump-dom"],
        &format!("{url}#control=POD-001&suppressed=1"),
    );
    let shown = visible(&dom);
    assert_eq!(shown.len(), 2);
    assert!(shown.iter().all(|(c, _)| c == "POD-001"));
}

#[test]
fn renders_snippets_charts_and_escaped_text_in_a_real_browser() {
    let Some(browser) = chromium() else {
        eprintln!("SKIPPED: chromium is not installed (.ci/setup.d/chromium.sh installs it)");
        return;
    };
    let page = page();
    let url = format!("file://{}", page.file.display());
    let dom = run_chromium(browser, &page.profile, &["--dump-dom"], &url);
    // The line of the finding, highlighted, with its neighbours.
    assert!(
        dom.contains(
            "<span class=\"line hl\"><span class=\"ln\">13</span>            privileged: true</span>"
        ),
        "{dom}"
    );
    assert!(dom.contains("<span class=\"line\"><span class=\"ln\">11</span>"));
    // A file that does not exist has no snippet and says so.
    assert!(dom.contains("source not available"));
    // Markup in findings stays text.
    assert!(dom.contains("image &lt;nginx:latest&gt; uses a floating tag &amp; \"quotes\""));
    assert!(!dom.contains("<nginx:latest>"));
    // Charts and scores.
    assert!(dom.contains("id=\"chart-severity\""));
    assert!(dom.contains("id=\"chart-frameworks\""));
    assert!(dom.contains("NSA-CISA \"Hardening\" &lt;Guidance&gt;"));
    assert!(dom.contains("62.5%"));

    let shot = page.file.with_file_name("report.png");
    run_chromium(
        browser,
        &page.profile,
        &[
            &format!("--screenshot={}", shot.display()),
            "--window-size=1280,1600",
            "--hide-scrollbars",
        ],
        &url,
    );
    let png = std::fs::read(&shot).expect("screenshot written");
    assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"), "not a PNG");
    assert!(png.len() > 10_000, "screenshot suspiciously small");
    if let Ok(dir) = std::env::var("PALISADE_SCREENSHOT_DIR") {
        std::fs::copy(&shot, Path::new(&dir).join("html-report.png")).unwrap();
    }
}

#[test]
fn is_self_contained() {
    let html = render(Format::Html, &sample_report("missing.yaml"));
    for forbidden in [
        "<link", "<img", " src=", "url(", "@import", "http://", "https://",
    ] {
        let allowed_svg_ns = forbidden == "http://"
            && html.matches("http://").count()
                == html.matches("xmlns=\"http://www.w3.org/2000/svg\"").count();
        assert!(
            !html.contains(forbidden) || allowed_svg_ns,
            "external reference `{forbidden}` in the report"
        );
    }
    assert!(html.contains("Content-Security-Policy"));
    assert!(html.contains("default-src 'none'"));
}

#[test]
fn show_suppressed_presets_the_checkbox() {
    let report = sample_report("missing.yaml");
    let html = render_with(
        Format::Html,
        &report,
        RenderOptions {
            show_suppressed: true,
            ..RenderOptions::default()
        },
    );
    assert!(html.contains("id=\"filter-suppressed\" checked"));
    let empty = palisade_core::Report::new("scan", vec![], palisade_core::ScanSummary::default());
    assert!(render(Format::Html, &empty).contains("No findings."));
}
