use serde_json::Value;

/// The part of a cosign "simple signing" payload that binds a signature to an image.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SimpleSigning {
    /// `critical.image.docker-manifest-digest`.
    pub digest: String,
    /// `critical.identity.docker-reference`: the repository the signer named.
    pub reference: Option<String>,
}

/// The `critical.type` cosign writes.
const SIGNATURE_TYPE: &str = "cosign container image signature";

impl SimpleSigning {
    pub fn parse(payload: &[u8]) -> Result<Self, String> {
        let value: Value = serde_json::from_slice(payload)
            .map_err(|e| format!("signature payload is not JSON: {e}"))?;
        let critical = value
            .get("critical")
            .ok_or("signature payload has no `critical` section")?;
        let kind = critical.pointer("/type").and_then(Value::as_str);
        if !kind.is_some_and(|k| k.eq_ignore_ascii_case(SIGNATURE_TYPE)) {
            return Err(format!(
                "signature payload type is {kind:?}, not {SIGNATURE_TYPE:?}"
            ));
        }
        let digest = critical
            .pointer("/image/docker-manifest-digest")
            .and_then(Value::as_str)
            .ok_or("signature payload names no image digest")?
            .to_string();
        let reference = critical
            .pointer("/identity/docker-reference")
            .and_then(Value::as_str)
            .map(str::to_string);
        Ok(SimpleSigning { digest, reference })
    }
}
