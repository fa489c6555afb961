//! One readable snapshot per fixture: every package with its position, scope, directness,
//! pinning and purl, then the warnings. Review changes with `cargo insta review`.

use std::fmt::Write as _;

use palisade_pkg::{LockFile, LockFileKind};

use crate::load;

fn render(lock: &LockFile) -> String {
    let mut out = String::new();
    for p in &lock.packages {
        let direct = match p.direct {
            Some(true) => "direct",
            Some(false) => "transitive",
            None => "-",
        };
        let pinned = if p.pinned { "pinned" } else { "unpinned" };
        let _ = writeln!(
            out,
            "{}:{} {} {} [{}, {direct}, {pinned}] {}",
            p.location.line, p.location.column, p.name, p.version, p.scope, p.purl
        );
    }
    for w in &lock.warnings {
        let _ = writeln!(out, "warning {}: {}", w.line, w.message);
    }
    out
}

macro_rules! snapshot {
    ($test:ident, $kind:ident, $rel:literal) => {
        #[test]
        fn $test() {
            let lock = load(LockFileKind::$kind, $rel);
            insta::assert_snapshot!(stringify!($test), render(&lock));
        }
    };
}

snapshot!(snap_cargo_v3, CargoLock, "cargo/Cargo.lock");
snapshot!(snap_npm_v3, NpmPackageLock, "npm/package-lock.json");
snapshot!(snap_npm_v1, NpmPackageLock, "npm/v1/package-lock.json");
snapshot!(snap_yarn_classic, YarnLock, "yarn/classic/yarn.lock");
snapshot!(snap_yarn_berry, YarnLock, "yarn/berry/yarn.lock");
snapshot!(snap_pnpm_v5, PnpmLock, "pnpm/v5/pnpm-lock.yaml");
snapshot!(snap_pnpm_v9, PnpmLock, "pnpm/v9/pnpm-lock.yaml");
snapshot!(snap_requirements, Requirements, "python/requirements.txt");
snapshot!(snap_uv, UvLock, "python/uv/uv.lock");
snapshot!(snap_go_mod, GoMod, "go/go.mod");
snapshot!(snap_gemfile, GemfileLock, "ruby/Gemfile.lock");
snapshot!(snap_pom, MavenPom, "maven/pom.xml");
