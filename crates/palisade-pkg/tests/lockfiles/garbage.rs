//! Bad input never panics: truncated, mutated, mismatched and hostile files each give an error
//! or a (possibly empty) result whose positions stay inside the input.

use std::fmt::Write as _;

use palisade_pkg::{LockFileKind, parse};

use crate::fixture_path;

const FIXTURES: [(LockFileKind, &str); 21] = [
    (LockFileKind::CargoLock, "cargo/Cargo.lock"),
    (LockFileKind::CargoLock, "cargo/v1/Cargo.lock"),
    (LockFileKind::NpmPackageLock, "npm/package-lock.json"),
    (LockFileKind::NpmPackageLock, "npm/v1/package-lock.json"),
    (LockFileKind::YarnLock, "yarn/classic/yarn.lock"),
    (LockFileKind::YarnLock, "yarn/berry/yarn.lock"),
    (LockFileKind::PnpmLock, "pnpm/v5/pnpm-lock.yaml"),
    (LockFileKind::PnpmLock, "pnpm/v6/pnpm-lock.yaml"),
    (LockFileKind::PnpmLock, "pnpm/v9/pnpm-lock.yaml"),
    (LockFileKind::Requirements, "python/requirements.txt"),
    (LockFileKind::PipfileLock, "python/pipenv/Pipfile.lock"),
    (LockFileKind::PoetryLock, "python/poetry/poetry.lock"),
    (LockFileKind::PoetryLock, "python/poetry-old/poetry.lock"),
    (LockFileKind::UvLock, "python/uv/uv.lock"),
    (LockFileKind::GoMod, "go/go.mod"),
    (LockFileKind::GemfileLock, "ruby/Gemfile.lock"),
    (LockFileKind::ComposerLock, "php/composer.lock"),
    (LockFileKind::NugetLock, "nuget/packages.lock.json"),
    (LockFileKind::GradleLockfile, "gradle/gradle.lockfile"),
    (LockFileKind::MavenPom, "maven/pom.xml"),
    (
        LockFileKind::NpmPackageLock,
        "npm/shrinkwrap/npm-shrinkwrap.json",
    ),
];

/// Parses and checks that every reported position is inside `input`.
fn check(kind: LockFileKind, input: &[u8]) {
    let lines = u32::try_from(input.split(|&b| b == b'\n').count()).unwrap();
    match parse(kind, "input", input) {
        Ok(lock) => {
            for pkg in &lock.packages {
                let line = pkg.location.line;
                assert!(
                    (1..=lines).contains(&line),
                    "{kind}: package line {line} of {lines}"
                );
                assert!(pkg.location.column >= 1);
            }
            for warning in &lock.warnings {
                assert!(
                    (1..=lines).contains(&warning.line),
                    "{kind}: warning line {}",
                    warning.line
                );
            }
        }
        Err(err) => {
            assert!(
                (1..=lines).contains(&err.line),
                "{kind}: error line {} of {lines}: {err}",
                err.line
            );
            assert!(err.column >= 1, "{kind}: {err}");
            assert!(!err.message.is_empty());
        }
    }
}

/// A small deterministic generator (xorshift) so failures reproduce.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        usize::try_from(self.next() % n as u64).unwrap()
    }
}

#[test]
fn truncated_fixtures_never_panic() {
    for (kind, rel) in FIXTURES {
        let full = std::fs::read(fixture_path(rel)).unwrap();
        let step = (full.len() / 400).max(1);
        for end in (0..full.len()).step_by(step) {
            check(kind, &full[..end]);
        }
    }
}

#[test]
fn mutated_fixtures_never_panic() {
    let specials = b"\"'{}[]()<>:,=@#/\\\n\t -_.$%*!&;\xff\xc3";
    let mut rng = Rng(0x5eed_1234_abcd_9876);
    for (kind, rel) in FIXTURES {
        let full = std::fs::read(fixture_path(rel)).unwrap();
        for _ in 0..300 {
            let mut bytes = full.clone();
            for _ in 0..=rng.below(4) {
                let at = rng.below(bytes.len());
                match rng.below(3) {
                    0 => bytes[at] = specials[rng.below(specials.len())],
                    1 => {
                        bytes.remove(at);
                    }
                    _ => {
                        let from = rng.below(bytes.len());
                        let chunk: Vec<u8> = bytes[from..bytes.len().min(from + 40)].to_vec();
                        bytes.splice(at..at, chunk);
                    }
                }
            }
            check(kind, &bytes);
        }
    }
}

#[test]
fn every_parser_survives_every_other_format() {
    for kind in LockFileKind::ALL {
        for (_, rel) in FIXTURES {
            check(kind, &std::fs::read(fixture_path(rel)).unwrap());
        }
        check(kind, b"");
        check(kind, b"\n\n\n");
        check(kind, b"\xEF\xBB\xBF");
        check(kind, b"\x00\x01\x02garbage\xff");
    }
}

#[test]
fn hostile_nesting_is_refused_not_overflowed() {
    let depth = 100_000;
    let json = "[".repeat(depth);
    let yaml = format!("a: {}", "[".repeat(depth));
    let toml = format!("a = {}", "[".repeat(depth));
    let xml = format!("<project>{}", "<a>".repeat(depth));
    for kind in LockFileKind::ALL {
        for input in [&json, &yaml, &toml, &xml] {
            check(kind, input.as_bytes());
        }
    }
    assert!(parse(LockFileKind::NpmPackageLock, "x", json.as_bytes()).is_err());
    assert!(parse(LockFileKind::PnpmLock, "x", yaml.as_bytes()).is_err());
    assert!(parse(LockFileKind::CargoLock, "x", toml.as_bytes()).is_err());
    assert!(parse(LockFileKind::MavenPom, "x", xml.as_bytes()).is_err());
}

#[test]
fn random_bytes_never_panic() {
    let mut rng = Rng(42);
    for _ in 0..200 {
        let len = rng.below(300);
        let bytes: Vec<u8> = (0..len)
            .map(|_| u8::try_from(rng.next() & 0x7f).unwrap())
            .collect();
        for kind in LockFileKind::ALL {
            check(kind, &bytes);
        }
    }
}

#[test]
fn minified_lock_file_parses_in_linear_time() {
    // 20,000 entries on one line: quadratic column counting would take minutes here.
    let mut text = String::from("{\"lockfileVersion\":3,\"packages\":{\"\":{\"name\":\"m\"}");
    for i in 0..20_000 {
        let _ = write!(
            text,
            ",\"node_modules/p{i}\":{{\"version\":\"1.0.{i}\",\"resolved\":\"https://registry.npmjs.org/p{i}/-/p{i}-1.0.{i}.tgz\"}}"
        );
    }
    text.push_str("}}");
    let lock = parse(
        LockFileKind::NpmPackageLock,
        "package-lock.json",
        text.as_bytes(),
    )
    .unwrap();
    assert_eq!(lock.packages.len(), 20_000);
    let last = lock.packages.last().unwrap();
    assert_eq!(last.location.line, 1);
    let expected = text.find("\"node_modules/p19999\"").unwrap() + 1;
    assert_eq!(last.location.column as usize, expected);
}
