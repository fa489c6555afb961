//! Go binaries: the build information the Go linker embeds (`go version -m`), which names the
//! Go version, the main module and every module compiled in.
//!
//! Since Go 1.18 the `.go.buildinfo` blob starts with the 14-byte magic `\xff Go buildinf:`, a
//! pointer size byte and a flags byte; flag bit 2 means the two strings that follow the 32-byte
//! header are inline, each prefixed by its length as an unsigned varint: the Go version
//! (`go1.21.5`), then the module information with 16 sentinel bytes at each end. Older
//! binaries store pointers into the data segment instead; they are reported as unread.

use palisade_core::Ecosystem;

use super::Installed;
use crate::model::Package;

const MAGIC: &[u8] = b"\xff Go buildinf:";
const HEADER_LEN: usize = 32;
const FLAG_INLINE_STRINGS: u8 = 0x2;
const SENTINEL_LEN: usize = 16;

#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Module {
    pub path: String,
    pub version: String,
    /// `=>` line: the module used instead, and its version (empty for a local directory).
    pub replacement: Option<(String, String)>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct BuildInfo {
    /// `go1.21.5`, possibly followed by ` X:experiment`.
    pub go_version: String,
    pub main: Option<Module>,
    pub deps: Vec<Module>,
}

fn is_executable_format(bytes: &[u8]) -> bool {
    const MACHO: [[u8; 4]; 4] = [
        [0xfe, 0xed, 0xfa, 0xce],
        [0xfe, 0xed, 0xfa, 0xcf],
        [0xce, 0xfa, 0xed, 0xfe],
        [0xcf, 0xfa, 0xed, 0xfe],
    ];
    bytes.starts_with(b"\x7fELF")
        || bytes.starts_with(b"MZ")
        || MACHO.iter().any(|magic| bytes.starts_with(magic))
}

/// The build information of a Go binary; `None` for anything else, an error for a Go binary
/// whose information cannot be read.
pub(super) fn read(bytes: &[u8]) -> Option<Result<BuildInfo, String>> {
    if !is_executable_format(bytes) {
        return None;
    }
    let start = find(bytes, MAGIC)?;
    let header = bytes.get(start..start + HEADER_LEN)?;
    if header[15] & FLAG_INLINE_STRINGS == 0 {
        return Some(Err(
            "Go binary built before Go 1.18; its module list is not read".into(),
        ));
    }
    let mut rest = &bytes[start + HEADER_LEN..];
    let (Some(version), Some(modinfo)) = (varint_string(&mut rest), varint_string(&mut rest))
    else {
        return Some(Err("Go build information is truncated".into()));
    };
    let modinfo = if modinfo.len() >= 2 * SENTINEL_LEN {
        &modinfo[SENTINEL_LEN..modinfo.len() - SENTINEL_LEN]
    } else {
        &[][..]
    };
    let (Ok(version), Ok(modinfo)) = (std::str::from_utf8(version), std::str::from_utf8(modinfo))
    else {
        return Some(Err("Go build information is not UTF-8".into()));
    };
    Some(Ok(parse_modinfo(version, modinfo)))
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    let first = needle[0];
    let mut from = 0;
    while let Some(offset) = haystack.get(from..)?.iter().position(|&b| b == first) {
        let at = from + offset;
        if haystack.get(at..at + needle.len())? == needle {
            return Some(at);
        }
        from = at + 1;
    }
    None
}

/// An unsigned LEB128 length followed by that many bytes.
fn varint_string<'a>(rest: &mut &'a [u8]) -> Option<&'a [u8]> {
    let mut len: u64 = 0;
    let mut shift = 0;
    loop {
        let (&byte, tail) = rest.split_first()?;
        *rest = tail;
        len |= u64::from(byte & 0x7f).checked_shl(shift)?;
        if byte & 0x80 == 0 {
            break;
        }
        shift += 7;
        if shift > 63 {
            return None;
        }
    }
    let len = usize::try_from(len).ok()?;
    let (value, tail) = (rest.get(..len)?, rest.get(len..)?);
    *rest = tail;
    Some(value)
}

fn parse_modinfo(go_version: &str, modinfo: &str) -> BuildInfo {
    let mut info = BuildInfo {
        go_version: go_version.trim().to_string(),
        main: None,
        deps: Vec::new(),
    };
    let mut last_is_main = false;
    for line in modinfo.lines() {
        let mut fields = line.split('\t');
        let (kind, path, version) = (fields.next(), fields.next(), fields.next());
        let module = || Module {
            path: path.unwrap_or_default().to_string(),
            version: version.unwrap_or_default().to_string(),
            replacement: None,
        };
        match kind {
            Some("mod") => {
                info.main = Some(module());
                last_is_main = true;
            }
            Some("dep") => {
                info.deps.push(module());
                last_is_main = false;
            }
            Some("=>") => {
                let replaced = if last_is_main {
                    info.main.as_mut()
                } else {
                    info.deps.last_mut()
                };
                if let Some(replaced) = replaced {
                    replaced.replacement = Some((
                        path.unwrap_or_default().to_string(),
                        version.unwrap_or_default().to_string(),
                    ));
                }
            }
            _ => {}
        }
    }
    info
}

/// `go1.21.5` → `1.21.5`; `go1.22` → `1.22.0`; `go1.22rc1` → `1.22.0-rc.1` (Go's own semver
/// spelling for the standard library); development builds have no release version.
fn stdlib_version(go_version: &str) -> Option<String> {
    let release = go_version.split_whitespace().next()?.strip_prefix("go")?;
    let (numbers, pre) = match release.find(|c: char| c.is_ascii_alphabetic()) {
        Some(at) => release.split_at(at),
        None => (release, ""),
    };
    let mut parts: Vec<&str> = numbers.split('.').collect();
    if parts.is_empty()
        || parts
            .iter()
            .any(|p| p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()))
    {
        return None;
    }
    while parts.len() < 3 {
        parts.push("0");
    }
    let mut version = parts.join(".");
    if !pre.is_empty() {
        let (label, number) =
            pre.split_at(pre.find(|c: char| c.is_ascii_digit()).unwrap_or(pre.len()));
        version.push('-');
        version.push_str(label);
        if !number.is_empty() {
            version.push('.');
            version.push_str(number);
        }
    }
    Some(version)
}

/// The modules of one binary, located at the binary (line 1: the data is not text). The main
/// module is listed when it has a release version; a dependency replaced by another module is
/// listed as that module; one replaced by a local directory keeps its name but cannot be
/// matched (its code is not the released version).
pub(super) fn packages(path: &str, layer: usize, info: &BuildInfo) -> Vec<Package> {
    let mut out = Vec::new();
    let mut push = |name: &str, version: &str, pinned: bool| {
        let mut package = Installed {
            ecosystem: Ecosystem::Go,
            name,
            version,
            path,
            line: 1,
            layer,
        }
        .package();
        package.pinned &= pinned;
        out.push(package);
    };
    if let Some(version) = stdlib_version(&info.go_version) {
        push("stdlib", &version, true);
    }
    let modules = info.main.iter().filter(|m| m.version != "(devel)");
    for module in modules.chain(&info.deps) {
        match &module.replacement {
            Some((path, version)) if !version.is_empty() => push(path, version, true),
            Some(_) => push(&module.path, &module.version, false),
            None => push(&module.path, &module.version, true),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn varint(n: usize) -> Vec<u8> {
        let mut out = Vec::new();
        let mut n = n;
        loop {
            let byte = u8::try_from(n & 0x7f).unwrap();
            n >>= 7;
            if n == 0 {
                out.push(byte);
                return out;
            }
            out.push(byte | 0x80);
        }
    }

    /// An ELF-looking file with a Go 1.18+ build-info blob, written from the format.
    fn binary(version: &str, modinfo: &str) -> Vec<u8> {
        let mut bytes = b"\x7fELF".to_vec();
        bytes.resize(4096, 0);
        bytes.extend_from_slice(MAGIC);
        bytes.push(8);
        bytes.push(FLAG_INLINE_STRINGS);
        bytes.resize(4096 + HEADER_LEN, 0);
        bytes.extend(varint(version.len()));
        bytes.extend_from_slice(version.as_bytes());
        let wrapped = format!("{}{modinfo}{}", "S".repeat(16), "E".repeat(16));
        bytes.extend(varint(wrapped.len()));
        bytes.extend_from_slice(wrapped.as_bytes());
        bytes.extend_from_slice(&[0; 64]);
        bytes
    }

    #[test]
    fn reads_modules_replacements_and_go_version() {
        let modinfo = "path\texample.com/app\nmod\texample.com/app\t(devel)\t\n\
                       dep\tgolang.org/x/text\tv0.3.5\th1:abc=\n\
                       dep\texample.com/greet\tv0.1.0\t\n=>\t../greet\t\t\n\
                       dep\tgithub.com/old/lib\tv1.0.0\th1:x=\n=>\tgithub.com/new/lib\tv1.2.0\th1:y=\n\
                       build\t-trimpath=true\n";
        let info = read(&binary("go1.21.5", modinfo)).unwrap().unwrap();
        let packages = packages("usr/local/bin/app", 3, &info);
        let listed: Vec<(&str, &str, bool)> = packages
            .iter()
            .map(|p| (p.name.as_str(), p.version.as_str(), p.pinned))
            .collect();
        assert_eq!(
            listed,
            [
                ("stdlib", "1.21.5", true),
                ("golang.org/x/text", "v0.3.5", true),
                ("example.com/greet", "v0.1.0", false),
                ("github.com/new/lib", "v1.2.0", true),
            ]
        );
        assert!(packages.iter().all(|p| p.layer == Some(3)));
        assert_eq!(packages[1].purl, "pkg:golang/golang.org/x/text@v0.3.5");
    }

    #[test]
    fn non_go_and_old_go_binaries() {
        assert!(read(b"\x7fELF plain C program").is_none());
        assert!(read(b"#!/bin/sh\n\xff Go buildinf:").is_none());
        let mut old = binary("go1.16", "");
        old[4096 + 15] = 0;
        assert!(read(&old).unwrap().is_err());
        let mut truncated = binary("go1.21.5", "mod\tx\tv1.0.0\t\n");
        truncated.truncate(4096 + HEADER_LEN + 3);
        assert!(read(&truncated).unwrap().is_err());
    }

    #[test]
    fn stdlib_versions() {
        assert_eq!(stdlib_version("go1.21.5").as_deref(), Some("1.21.5"));
        assert_eq!(stdlib_version("go1.22").as_deref(), Some("1.22.0"));
        assert_eq!(stdlib_version("go1.22rc1").as_deref(), Some("1.22.0-rc.1"));
        assert_eq!(
            stdlib_version("go1.20.1 X:boringcrypto").as_deref(),
            Some("1.20.1")
        );
        assert_eq!(stdlib_version("devel go1.23-abc"), None);
    }
}
