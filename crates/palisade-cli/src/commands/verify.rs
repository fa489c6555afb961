//! `palisade verify REF`: an image's cosign signatures, checked against trusted keys.

use std::io::{self, Write as _};
use std::path::PathBuf;

use clap::{Args, ValueEnum};
use palisade_core::SignatureVerdict;
use palisade_sign::Verifier;
use serde_json::json;

use super::registry::RegistryArgs;
use crate::Outcome;

#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// Image reference (`registry.example.com/app:1.2`, `…/app@sha256:…`).
    #[arg(value_name = "REF")]
    pub reference: String,
    /// Public key trusted to sign the image (PEM, as `cosign.pub`); repeatable. Without one,
    /// only whether signatures exist is reported.
    #[arg(long = "key", value_name = "FILE")]
    pub keys: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    pub format: VerifyFormat,
    #[command(flatten)]
    pub registry: RegistryArgs,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum VerifyFormat {
    Text,
    Json,
}

/// Exit 0 when a trusted key signed the image (or, without keys, when it is signed), 1 when it
/// is unsigned or no trusted key signed it, 2 when the registry could not tell.
pub fn run(args: &VerifyArgs) -> anyhow::Result<Outcome> {
    let verifier = Verifier::with_key_files(&args.keys, args.registry.options())?;
    let verdict = verifier.verify(&args.reference);
    let (status, outcome, detail) = match &verdict {
        SignatureVerdict::Verified { key, .. } => {
            ("verified", Outcome::Clean, format!("signed by {key}"))
        }
        SignatureVerdict::Signed { signatures, .. } => (
            "signed",
            Outcome::Clean,
            format!("{signatures} signature(s); give --key to verify them"),
        ),
        SignatureVerdict::Untrusted { reason, .. } => {
            ("untrusted", Outcome::GateFailed, reason.clone())
        }
        SignatureVerdict::Unsigned { .. } => (
            "unsigned",
            Outcome::GateFailed,
            "no cosign signature in the registry".to_string(),
        ),
        SignatureVerdict::Unknown { reason } => ("unknown", Outcome::Error, reason.clone()),
    };
    let digest = verdict.digest();
    let mut out = io::BufWriter::new(io::stdout().lock());
    match args.format {
        VerifyFormat::Text => {
            let at = digest.map(|d| format!(" ({d})")).unwrap_or_default();
            writeln!(out, "{}{at}: {status}: {detail}", args.reference)?;
        }
        VerifyFormat::Json => {
            let report = json!({
                "image": args.reference,
                "digest": digest,
                "status": status,
                "detail": detail,
                "keys": verifier.keys().iter().map(|k| &k.name).collect::<Vec<_>>(),
            });
            serde_json::to_writer_pretty(&mut out, &report)?;
            writeln!(out)?;
        }
    }
    out.flush()?;
    Ok(outcome)
}
