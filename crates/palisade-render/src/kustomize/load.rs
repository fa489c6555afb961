//! Reading kustomization files and YAML streams, with the field checks.

use std::path::{Path, PathBuf};

use serde_json::Value;

use super::{KUSTOMIZATION_FILE_NAMES, KustomizeError};

/// The kustomization file of `dir`, if it has one.
pub(crate) fn kustomization_file(dir: &Path) -> Option<PathBuf> {
    KUSTOMIZATION_FILE_NAMES
        .iter()
        .map(|name| dir.join(name))
        .find(|p| p.is_file())
}

/// Fields handled natively.
const SUPPORTED: &[&str] = &[
    "apiVersion",
    "kind",
    "metadata",
    "resources",
    "bases",
    "components",
    "namespace",
    "namePrefix",
    "nameSuffix",
    "commonLabels",
    "labels",
    "commonAnnotations",
    "images",
    "replicas",
    "patches",
    "patchesStrategicMerge",
    "patchesJson6902",
    "configMapGenerator",
    "secretGenerator",
    "generatorOptions",
    "sortOptions",
];

/// Kustomize fields Palisade knows but does not implement.
const KNOWN_UNSUPPORTED: &[&str] = &[
    "vars",
    "replacements",
    "helmCharts",
    "helmGlobals",
    "helmChartInflationGenerator",
    "generators",
    "transformers",
    "validators",
    "crds",
    "configurations",
    "openapi",
    "inventory",
    "buildMetadata",
    "imageTags",
];

/// A parsed kustomization (or component) file.
#[derive(Debug, Clone, Default)]
pub(crate) struct Kustomization {
    pub file: PathBuf,
    pub dir: PathBuf,
    pub is_component: bool,
    pub resources: Vec<String>,
    pub components: Vec<String>,
    pub namespace: Option<String>,
    pub name_prefix: Option<String>,
    pub name_suffix: Option<String>,
    pub common_labels: Vec<(String, String)>,
    pub labels: Vec<LabelSet>,
    pub common_annotations: Vec<(String, String)>,
    pub images: Vec<Image>,
    pub replicas: Vec<(String, i64)>,
    pub patches: Vec<PatchSpec>,
    pub patches_strategic_merge: Vec<String>,
    pub patches_json6902: Vec<PatchSpec>,
    pub config_map_generator: Vec<GeneratorSpec>,
    pub secret_generator: Vec<GeneratorSpec>,
    pub generator_options: GeneratorOptions,
}

/// One entry of `labels`.
#[derive(Debug, Clone, Default)]
pub(crate) struct LabelSet {
    pub pairs: Vec<(String, String)>,
    pub include_selectors: bool,
    pub include_templates: bool,
}

/// One entry of `images`.
#[derive(Debug, Clone, Default)]
pub(crate) struct Image {
    pub name: String,
    pub new_name: Option<String>,
    pub new_tag: Option<String>,
    pub digest: Option<String>,
}

/// One entry of `patches` / `patchesJson6902`.
#[derive(Debug, Clone, Default)]
pub(crate) struct PatchSpec {
    pub path: Option<String>,
    pub patch: Option<String>,
    pub target: Option<Value>,
    pub allow_name_change: bool,
    pub allow_kind_change: bool,
}

/// One entry of `configMapGenerator` / `secretGenerator`.
#[derive(Debug, Clone, Default)]
pub(crate) struct GeneratorSpec {
    pub name: String,
    pub namespace: Option<String>,
    pub behavior: String,
    pub literals: Vec<String>,
    pub files: Vec<String>,
    pub envs: Vec<String>,
    pub secret_type: Option<String>,
    pub options: GeneratorOptions,
}

/// `generatorOptions`, or a generator's own `options`.
#[derive(Debug, Clone, Default)]
pub(crate) struct GeneratorOptions {
    pub labels: Vec<(String, String)>,
    pub annotations: Vec<(String, String)>,
    pub disable_name_suffix_hash: Option<bool>,
    pub immutable: Option<bool>,
}

/// Reads the non-empty YAML documents of a file; `files` records the read.
pub(crate) fn read_documents(
    path: &Path,
    files: &mut Vec<PathBuf>,
) -> Result<Vec<Value>, KustomizeError> {
    Ok(read_indexed_documents(path, files)?
        .into_iter()
        .map(|(_, v)| v)
        .collect())
}

/// Reads the non-empty YAML documents of a file with their 0-based index in the stream.
pub(crate) fn read_indexed_documents(
    path: &Path,
    files: &mut Vec<PathBuf>,
) -> Result<Vec<(usize, Value)>, KustomizeError> {
    let bytes = read_bytes(path, files)?;
    parse_indexed(&bytes, path, Typing::Kyaml)
}

/// How scalars are typed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Typing {
    /// As kyaml reads resources and strategic merge patches (YAML 1.2 booleans).
    Kyaml,
    /// As Kustomize reads JSON 6902 patches (through go-yaml v2: YAML 1.1).
    Yaml11,
}

/// Parses a YAML stream into its non-empty documents with their index.
pub(crate) fn parse_indexed(
    bytes: &[u8],
    path: &Path,
    typing: Typing,
) -> Result<Vec<(usize, Value)>, KustomizeError> {
    let stream = palisade_yaml::parse_bytes(bytes, &palisade_yaml::Limits::default());
    if let Some(err) = stream.error {
        return Err(KustomizeError::invalid(
            path,
            format!("invalid YAML: {err}"),
        ));
    }
    Ok(stream
        .documents
        .into_iter()
        .map(|d| match typing {
            Typing::Kyaml => kyaml_value(d),
            Typing::Yaml11 => d.value,
        })
        .enumerate()
        .filter(|(_, v)| !v.is_null())
        .collect())
}

/// The document as Kustomize (kyaml, YAML 1.2 typing) reads it: plain scalars that YAML 1.1
/// types differently (`n`, `yes`, `on`) keep their YAML 1.2 meaning, which Kustomize then
/// writes out quoted.
fn kyaml_value(doc: palisade_yaml::Document) -> Value {
    let mut value = doc.value;
    for diagnostic in doc.diagnostics {
        let palisade_yaml::DiagnosticKind::AmbiguousScalar {
            raw,
            yaml11,
            yaml12,
        } = diagnostic.kind
        else {
            continue;
        };
        let is_key = diagnostic
            .pointer
            .rsplit('/')
            .next()
            .is_some_and(|last| last == palisade_yaml::escape_pointer_token(&raw));
        if let Some(slot) = value.pointer_mut(&diagnostic.pointer)
            && *slot == yaml11
            && yaml12.is_string()
            && !is_key
        {
            *slot = yaml12;
        }
    }
    value
}

/// Reads a file's bytes; `files` records the read.
pub(crate) fn read_bytes(path: &Path, files: &mut Vec<PathBuf>) -> Result<Vec<u8>, KustomizeError> {
    let bytes = std::fs::read(path).map_err(|e| KustomizeError::Io {
        file: path.to_path_buf(),
        message: format!("cannot read: {e}"),
    })?;
    if !files.iter().any(|f| f == path) {
        files.push(path.to_path_buf());
    }
    Ok(bytes)
}

/// True for a resource reference Kustomize would fetch from the network.
pub(crate) fn is_remote(reference: &str) -> bool {
    let lower = reference.to_ascii_lowercase();
    [
        "http://",
        "https://",
        "git::",
        "git@",
        "ssh://",
        "github.com/",
        "gitlab.com/",
        "bitbucket.org/",
    ]
    .iter()
    .any(|p| lower.starts_with(p))
        || lower.contains("?ref=")
        || lower.contains(".git//")
}

/// Loads and checks the kustomization file in `dir`.
pub(crate) fn load_kustomization(
    dir: &Path,
    files: &mut Vec<PathBuf>,
) -> Result<Kustomization, KustomizeError> {
    let Some(file) = kustomization_file(dir) else {
        return Err(KustomizeError::Io {
            file: dir.to_path_buf(),
            message: format!(
                "no kustomization file (one of {}) in this directory",
                KUSTOMIZATION_FILE_NAMES.join(", ")
            ),
        });
    };
    let docs = read_documents(&file, files)?;
    let value = match docs.as_slice() {
        [] => Value::Object(serde_json::Map::new()),
        [one] => one.clone(),
        _ => {
            return Err(KustomizeError::invalid(
                &file,
                "a kustomization file must hold one YAML document",
            ));
        }
    };
    parse_kustomization(&value, &file, dir)
}

fn parse_kustomization(
    value: &Value,
    file: &Path,
    dir: &Path,
) -> Result<Kustomization, KustomizeError> {
    let Value::Object(map) = value else {
        return Err(KustomizeError::invalid(
            file,
            "the kustomization is not a mapping",
        ));
    };
    for key in map.keys() {
        if SUPPORTED.contains(&key.as_str()) {
            continue;
        }
        let detail = if KNOWN_UNSUPPORTED.contains(&key.as_str()) {
            String::new()
        } else {
            " (not a Kustomize v5 field)".to_owned()
        };
        return Err(KustomizeError::Unsupported {
            file: file.to_path_buf(),
            field: key.clone(),
            detail,
        });
    }
    let f = Fields { file };
    let kind = f.opt_string(value, "kind")?.unwrap_or_default();
    let mut k = Kustomization {
        file: file.to_path_buf(),
        dir: dir.to_path_buf(),
        is_component: kind == "Component",
        ..Kustomization::default()
    };
    k.resources = f.strings(value, "resources")?;
    k.resources.extend(f.strings(value, "bases")?);
    k.components = f.strings(value, "components")?;
    k.namespace = f.opt_string(value, "namespace")?;
    k.name_prefix = f.opt_string(value, "namePrefix")?;
    k.name_suffix = f.opt_string(value, "nameSuffix")?;
    k.common_labels = f.string_map(&value["commonLabels"], "commonLabels")?;
    k.common_annotations = f.string_map(&value["commonAnnotations"], "commonAnnotations")?;
    for (i, entry) in f.list(value, "labels")?.iter().enumerate() {
        let at = format!("labels[{i}]");
        k.labels.push(LabelSet {
            pairs: f.string_map(&entry["pairs"], &format!("{at}.pairs"))?,
            include_selectors: f.bool(entry, "includeSelectors", &at)?,
            include_templates: f.bool(entry, "includeTemplates", &at)?,
        });
        if !entry["fields"].is_null() {
            return Err(KustomizeError::Unsupported {
                file: file.to_path_buf(),
                field: format!("{at}.fields"),
                detail: String::new(),
            });
        }
    }
    for (i, entry) in f.list(value, "images")?.iter().enumerate() {
        let at = format!("images[{i}]");
        k.images.push(Image {
            name: f.opt_string(entry, "name")?.unwrap_or_default(),
            new_name: f.opt_string(entry, "newName")?,
            new_tag: f.opt_string(entry, "newTag")?,
            digest: f.opt_string(entry, "digest")?,
        });
        if !entry["tagSuffix"].is_null() {
            return Err(KustomizeError::Unsupported {
                file: file.to_path_buf(),
                field: format!("{at}.tagSuffix"),
                detail: String::new(),
            });
        }
    }
    for (i, entry) in f.list(value, "replicas")?.iter().enumerate() {
        let name = f.opt_string(entry, "name")?.unwrap_or_default();
        let Some(count) = entry["count"].as_i64() else {
            return Err(KustomizeError::invalid(
                file,
                format!("replicas[{i}].count must be an integer"),
            ));
        };
        k.replicas.push((name, count));
    }
    k.patches = f.patches(value, "patches")?;
    k.patches_json6902 = f.patches(value, "patchesJson6902")?;
    k.patches_strategic_merge = f.strings(value, "patchesStrategicMerge")?;
    k.config_map_generator = f.generators(value, "configMapGenerator")?;
    k.secret_generator = f.generators(value, "secretGenerator")?;
    k.generator_options = f.options(&value["generatorOptions"], "generatorOptions")?;
    Ok(k)
}

/// Typed field access with errors naming the file and field.
struct Fields<'a> {
    file: &'a Path,
}

impl Fields<'_> {
    fn err(&self, field: &str, what: &str) -> KustomizeError {
        KustomizeError::invalid(self.file, format!("`{field}` must be {what}"))
    }

    fn opt_string(&self, v: &Value, key: &str) -> Result<Option<String>, KustomizeError> {
        match &v[key] {
            Value::Null => Ok(None),
            other => scalar_string(other)
                .map(Some)
                .ok_or_else(|| self.err(key, "a string")),
        }
    }

    fn bool(&self, v: &Value, key: &str, at: &str) -> Result<bool, KustomizeError> {
        match &v[key] {
            Value::Null => Ok(false),
            Value::Bool(b) => Ok(*b),
            _ => Err(self.err(&format!("{at}.{key}"), "true or false")),
        }
    }

    fn list<'v>(&self, v: &'v Value, key: &str) -> Result<&'v [Value], KustomizeError> {
        match &v[key] {
            Value::Null => Ok(&[]),
            Value::Array(items) => Ok(items),
            _ => Err(self.err(key, "a list")),
        }
    }

    fn strings(&self, v: &Value, key: &str) -> Result<Vec<String>, KustomizeError> {
        self.list(v, key)?
            .iter()
            .map(|item| scalar_string(item).ok_or_else(|| self.err(key, "a list of strings")))
            .collect()
    }

    fn string_map(&self, v: &Value, field: &str) -> Result<Vec<(String, String)>, KustomizeError> {
        match v {
            Value::Null => Ok(Vec::new()),
            Value::Object(map) => map
                .iter()
                .map(|(k, v)| {
                    scalar_string(v)
                        .map(|s| (k.clone(), s))
                        .ok_or_else(|| self.err(&format!("{field}.{k}"), "a string"))
                })
                .collect(),
            _ => Err(self.err(field, "a map of strings")),
        }
    }

    fn patches(&self, v: &Value, key: &str) -> Result<Vec<PatchSpec>, KustomizeError> {
        let mut out = Vec::new();
        for (i, entry) in self.list(v, key)?.iter().enumerate() {
            let at = format!("{key}[{i}]");
            let spec = PatchSpec {
                path: self.opt_string(entry, "path")?,
                patch: self.opt_string(entry, "patch")?,
                target: entry.get("target").filter(|t| !t.is_null()).cloned(),
                allow_name_change: self.bool(&entry["options"], "allowNameChange", &at)?,
                allow_kind_change: self.bool(&entry["options"], "allowKindChange", &at)?,
            };
            if spec.path.is_some() == spec.patch.is_some() {
                return Err(KustomizeError::invalid(
                    self.file,
                    format!("{at} needs exactly one of `path` and `patch`"),
                ));
            }
            out.push(spec);
        }
        Ok(out)
    }

    fn generators(&self, v: &Value, key: &str) -> Result<Vec<GeneratorSpec>, KustomizeError> {
        let mut out = Vec::new();
        for (i, entry) in self.list(v, key)?.iter().enumerate() {
            let at = format!("{key}[{i}]");
            let behavior = self
                .opt_string(entry, "behavior")?
                .unwrap_or_else(|| "create".to_owned());
            if !matches!(behavior.as_str(), "create" | "merge" | "replace") {
                return Err(KustomizeError::invalid(
                    self.file,
                    format!("{at}.behavior must be create, merge or replace, not {behavior:?}"),
                ));
            }
            let mut envs = self.strings(entry, "envs")?;
            if let Some(env) = self.opt_string(entry, "env")? {
                envs.push(env);
            }
            out.push(GeneratorSpec {
                name: self.opt_string(entry, "name")?.unwrap_or_default(),
                namespace: self.opt_string(entry, "namespace")?,
                behavior,
                literals: self.strings(entry, "literals")?,
                files: self.strings(entry, "files")?,
                envs,
                secret_type: self.opt_string(entry, "type")?,
                options: self.options(&entry["options"], &format!("{at}.options"))?,
            });
        }
        Ok(out)
    }

    fn options(&self, v: &Value, field: &str) -> Result<GeneratorOptions, KustomizeError> {
        let flag = |key: &str| match &v[key] {
            Value::Null => Ok(None),
            Value::Bool(b) => Ok(Some(*b)),
            _ => Err(self.err(&format!("{field}.{key}"), "true or false")),
        };
        Ok(GeneratorOptions {
            labels: self.string_map(&v["labels"], &format!("{field}.labels"))?,
            annotations: self.string_map(&v["annotations"], &format!("{field}.annotations"))?,
            disable_name_suffix_hash: flag("disableNameSuffixHash")?,
            immutable: flag("immutable")?,
        })
    }
}

/// The text of a scalar the way Kustomize reads it into a string field.
pub(crate) fn scalar_string(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

impl Kustomization {
    /// `rel` inside this kustomization's directory. Like Kustomize's default load restrictor,
    /// a file outside the directory (through `..` or a symlink) is refused; directories
    /// (bases, components) may live anywhere.
    pub fn file_in_root(&self, rel: &str) -> Result<PathBuf, KustomizeError> {
        let path = self.dir.join(rel);
        let root = self.dir.canonicalize().map_err(|e| KustomizeError::Io {
            file: self.dir.clone(),
            message: format!("cannot open directory: {e}"),
        })?;
        match path.canonicalize() {
            Ok(real) if !real.starts_with(&root) => Err(KustomizeError::Invalid {
                file: self.file.clone(),
                message: format!(
                    "{rel} is outside the kustomization directory {} (Kustomize's load \
                     restrictor refuses it)",
                    self.dir.display()
                ),
            }),
            _ => Ok(path),
        }
    }
}
