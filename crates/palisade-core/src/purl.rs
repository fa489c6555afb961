//! Package URLs (purl, github.com/package-url/purl-spec) as Palisade reads them: the syntax
//! shared by SBOM reading (`palisade-pkg`) and VEX matching (`palisade-vuln`).

/// A parsed package URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Purl {
    /// Lower-cased type: `deb`, `npm`, `pypi`, …
    pub ty: String,
    /// Percent-decoded namespace segments joined with `/`.
    pub namespace: Option<String>,
    pub name: String,
    pub version: Option<String>,
    /// Percent-decoded qualifiers, keys lower-cased, in the order written.
    pub qualifiers: Vec<(String, String)>,
}

impl Purl {
    /// Parses `pkg:type/namespace/name@version?qualifiers#subpath`; `None` when it is not a
    /// purl. Lenient where producers commonly are: an unencoded `@` in an npm scope is read as
    /// part of the namespace.
    pub fn parse(text: &str) -> Option<Purl> {
        let rest = text.trim().strip_prefix("pkg:")?.trim_start_matches('/');
        let rest = rest.split('#').next().unwrap_or(rest);
        let (rest, qualifiers) = match rest.split_once('?') {
            Some((rest, qualifiers)) => (rest, qualifiers),
            None => (rest, ""),
        };
        let (ty, path) = rest.split_once('/')?;
        let path = path.trim_matches('/');
        let name_start = path.rfind('/').map_or(0, |i| i + 1);
        let (path, version) = match path[name_start..].rfind('@') {
            Some(at) => (
                &path[..name_start + at],
                Some(decode(&path[name_start + at + 1..])),
            ),
            None => (path, None),
        };
        let (namespace, name) = match path.rsplit_once('/') {
            Some((ns, name)) => (
                Some(ns.split('/').map(decode).collect::<Vec<_>>().join("/")),
                decode(name),
            ),
            None => (None, decode(path)),
        };
        if ty.is_empty() || name.is_empty() {
            return None;
        }
        let qualifiers = qualifiers
            .split('&')
            .filter_map(|pair| pair.split_once('='))
            .map(|(k, v)| (k.to_ascii_lowercase(), decode(v)))
            .filter(|(_, v)| !v.is_empty())
            .collect();
        Some(Purl {
            ty: ty.to_ascii_lowercase(),
            namespace: namespace.filter(|ns| !ns.is_empty()),
            name,
            version: version.filter(|v| !v.is_empty()),
            qualifiers,
        })
    }

    pub fn qualifier(&self, key: &str) -> Option<&str> {
        self.qualifiers
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// The package name as advisories of its ecosystem spell it (`@scope/name`,
    /// `group:artifact`, a Go module path, `vendor/name`).
    pub fn package_name(&self) -> String {
        match (self.ty.as_str(), &self.namespace) {
            ("maven", Some(group)) => format!("{group}:{}", self.name),
            ("npm" | "golang" | "composer", Some(ns)) => format!("{ns}/{}", self.name),
            _ => self.name.clone(),
        }
    }
}

/// Percent-decodes one purl component; malformed escapes are kept as written.
pub fn decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let Some(byte) = text
                .get(i + 1..i + 3)
                .and_then(|hex| u8::from_str_radix(hex, 16).ok())
        {
            out.push(byte);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}
