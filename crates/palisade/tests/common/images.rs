//! The test images (scripts/build-test-images.sh) and a vulnerability database of all of
//! shared/vulndata, shared by the image and SBOM tests.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use super::{code, repo_root, stderr};

/// The built images, or `None` (with a message) when they are not there.
pub fn images() -> Option<&'static Path> {
    static IMAGES: OnceLock<Option<PathBuf>> = OnceLock::new();
    IMAGES
        .get_or_init(|| {
            // The build script caches its output under a hash of its own text.
            let script = repo_root().join("scripts/build-test-images.sh");
            let out = Command::new("sha256sum").arg(&script).output().ok()?;
            let hash: String = String::from_utf8_lossy(&out.stdout)
                .chars()
                .take(16)
                .collect();
            let cache = std::env::var_os("PALISADE_IMAGE_CACHE")
                .map(PathBuf::from)
                .or_else(|| {
                    std::env::var_os("HOME")
                        .map(|h| PathBuf::from(h).join(".cache/palisade-ci/images"))
                })?;
            let dir = cache.join(hash);
            if dir.join("READY").is_file() {
                Some(dir)
            } else {
                skip("test images are not built (run .ci/setup.d/images.sh)");
                None
            }
        })
        .as_deref()
}

pub fn skip(why: &str) {
    #[allow(clippy::print_stderr)]
    {
        eprintln!("skipped: {why}");
    }
}

pub fn tool(name: &str) -> bool {
    Command::new("sh")
        .args(["-c", &format!("command -v {name}")])
        .output()
        .is_ok_and(|o| o.status.success())
}

/// The whole of shared/vulndata imported once.
pub fn database() -> &'static Path {
    static DB: OnceLock<PathBuf> = OnceLock::new();
    DB.get_or_init(|| {
        let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("image-db");
        fs::create_dir_all(&dir).unwrap();
        let db = dir.join("osv.db");
        let osv = repo_root().join("../shared/vulndata/osv");
        let out = super::palisade(
            &[
                "db",
                "import",
                "--db",
                db.to_str().unwrap(),
                osv.to_str().unwrap(),
            ],
            &dir,
        );
        assert_eq!(code(&out), 0, "{}", stderr(&out));
        db
    })
}
