//! Rust binaries built with `cargo auditable`: the dependency list it embeds in the ELF
//! section `.dep-v0`, zlib-compressed JSON (`{"packages": [{"name", "version", "source",
//! "kind", "root"}]}`). Crates from crates.io are listed; build-time dependencies (`"kind":
//! "build"`, not linked into the binary) and the workspace's own crates are not.

use std::io::Read;

use palisade_core::Ecosystem;

use super::Installed;
use crate::json;
use crate::model::Package;
use crate::text::LineIndex;

const SECTION: &str = ".dep-v0";
/// The decompressed list is small (tens of KiB for hundreds of crates); anything past this is
/// not what cargo-auditable writes.
const MAX_JSON: u64 = 8 * 1024 * 1024;

/// A section's file offset and size, from the ELF section headers.
fn elf_section(bytes: &[u8], wanted: &str) -> Option<(usize, usize)> {
    if !bytes.starts_with(b"\x7fELF") {
        return None;
    }
    let wide = match bytes.get(4)? {
        1 => false,
        2 => true,
        _ => return None,
    };
    let little = *bytes.get(5)? == 1;
    let read = |at: usize, len: usize| -> Option<u64> {
        let raw = bytes.get(at..at + len)?;
        let mut value = 0u64;
        for i in 0..len {
            let byte = if little { raw[len - 1 - i] } else { raw[i] };
            value = (value << 8) | u64::from(byte);
        }
        Some(value)
    };
    let as_usize = |v: u64| usize::try_from(v).ok();
    let (shoff, shentsize, shnum, shstrndx) = if wide {
        (
            read(0x28, 8)?,
            read(0x3a, 2)?,
            read(0x3c, 2)?,
            read(0x3e, 2)?,
        )
    } else {
        (
            read(0x20, 4)?,
            read(0x2e, 2)?,
            read(0x30, 2)?,
            read(0x32, 2)?,
        )
    };
    let (shoff, shentsize) = (as_usize(shoff)?, as_usize(shentsize)?);
    let header = |index: u64| -> Option<(u64, usize, usize)> {
        let at = shoff.checked_add(as_usize(index)?.checked_mul(shentsize)?)?;
        let name = read(at, 4)?;
        let (offset, size) = if wide {
            (read(at + 24, 8)?, read(at + 32, 8)?)
        } else {
            (read(at + 16, 4)?, read(at + 20, 4)?)
        };
        Some((name, as_usize(offset)?, as_usize(size)?))
    };
    let (_, names_at, names_len) = header(shstrndx)?;
    let names = bytes.get(names_at..names_at.checked_add(names_len)?)?;
    (0..shnum).find_map(|index| {
        let (name, offset, size) = header(index)?;
        let name = names.get(as_usize(name)?..)?;
        let end = name.iter().position(|&b| b == 0)?;
        (&name[..end] == wanted.as_bytes()).then_some((offset, size))
    })
}

/// The crates a `cargo auditable` binary lists; `None` for other files.
pub(super) fn read(path: &str, layer: usize, bytes: &[u8]) -> Option<Result<Vec<Package>, String>> {
    let (offset, size) = elf_section(bytes, SECTION)?;
    let Some(compressed) = bytes.get(offset..offset.saturating_add(size)) else {
        return Some(Err("cargo-auditable section lies outside the file".into()));
    };
    let mut text = String::new();
    if flate2::read::ZlibDecoder::new(compressed)
        .take(MAX_JSON)
        .read_to_string(&mut text)
        .is_err()
    {
        return Some(Err("cargo-auditable data does not decompress".into()));
    }
    let lines = LineIndex::new(&text);
    let root = match json::parse(&text, &lines) {
        Ok(root) => root,
        Err(err) => return Some(Err(format!("cargo-auditable data is not JSON ({err})"))),
    };
    let mut out = Vec::new();
    for package in root
        .get("packages")
        .map(json::Node::elements)
        .unwrap_or_default()
    {
        let (Some(name), Some(version)) = (package.str_of("name"), package.str_of("version"))
        else {
            continue;
        };
        if package.str_of("kind") == Some("build")
            || package.flag("root")
            || package.str_of("source") != Some("crates.io")
        {
            continue;
        }
        out.push(
            Installed {
                ecosystem: Ecosystem::CratesIo,
                name,
                version,
                path,
                line: 1,
                layer,
            }
            .package(),
        );
    }
    Some(Ok(out))
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::*;

    /// A minimal 64-bit little-endian ELF with a section-name table and one `.dep-v0` section.
    fn elf_with(section: &[u8]) -> Vec<u8> {
        let names = b"\0.shstrtab\0.dep-v0\0";
        let mut bytes = vec![0u8; 64];
        bytes[..4].copy_from_slice(b"\x7fELF");
        bytes[4] = 2;
        bytes[5] = 1;
        let names_at = bytes.len();
        bytes.extend_from_slice(names);
        let data_at = bytes.len();
        bytes.extend_from_slice(section);
        while bytes.len() % 8 != 0 {
            bytes.push(0);
        }
        let shoff = bytes.len();
        let mut header = |name: u32, offset: usize, size: usize| {
            let mut h = [0u8; 64];
            h[..4].copy_from_slice(&name.to_le_bytes());
            h[24..32].copy_from_slice(&(offset as u64).to_le_bytes());
            h[32..40].copy_from_slice(&(size as u64).to_le_bytes());
            bytes.extend_from_slice(&h);
        };
        header(0, 0, 0);
        header(1, names_at, names.len());
        header(11, data_at, section.len());
        bytes[0x28..0x30].copy_from_slice(&(shoff as u64).to_le_bytes());
        bytes[0x3a..0x3c].copy_from_slice(&64u16.to_le_bytes());
        bytes[0x3c..0x3e].copy_from_slice(&3u16.to_le_bytes());
        bytes[0x3e..0x40].copy_from_slice(&1u16.to_le_bytes());
        bytes
    }

    fn zlib(data: &[u8]) -> Vec<u8> {
        let mut encoder =
            flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
        encoder.write_all(data).unwrap();
        encoder.finish().unwrap()
    }

    #[test]
    fn lists_linked_crates_io_dependencies() {
        let json = br#"{"packages":[
            {"name":"app","version":"0.1.0","source":"local","root":true,"dependencies":[1,2]},
            {"name":"smallvec","version":"1.6.0","source":"crates.io"},
            {"name":"cc","version":"1.0.79","source":"crates.io","kind":"build"},
            {"name":"forked","version":"0.2.0","source":"git"}
        ]}"#;
        let binary = elf_with(&zlib(json));
        let packages = read("usr/bin/app", 1, &binary).unwrap().unwrap();
        let listed: Vec<(&str, &str)> = packages
            .iter()
            .map(|p| (p.name.as_str(), p.version.as_str()))
            .collect();
        assert_eq!(listed, [("smallvec", "1.6.0")]);
        assert_eq!(packages[0].purl, "pkg:cargo/smallvec@1.6.0");
    }

    #[test]
    fn other_files_and_damaged_sections() {
        assert!(read("x", 0, b"\x7fELF\x02\x01garbage").is_none());
        assert!(read("x", 0, b"#!/bin/sh\n").is_none());
        assert!(read("x", 0, &elf_with(b"not zlib")).unwrap().is_err());
    }
}
