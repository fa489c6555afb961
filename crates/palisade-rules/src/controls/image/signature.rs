//! What the two cosign signature controls share: walking every container image of every
//! workload with the verdict the scan's signature check gave it.

use palisade_core::SignatureVerdict;
use palisade_k8s::ObjectSet;

use super::support::each_image;
use crate::controls::workload::support::describe;
use crate::{CheckContext, SetViolation, Violation};

/// Reports each container whose image's verdict `judge` turns into a message. Nothing is
/// reported when the scan did not check signatures (no registry access was allowed).
pub(crate) fn report_images(
    ctx: &CheckContext,
    set: &ObjectSet,
    out: &mut Vec<SetViolation>,
    judge: impl Fn(&SignatureVerdict, bool) -> Option<String>,
) {
    let Some(verdicts) = ctx.signatures.as_deref() else {
        return;
    };
    for (index, workload, _) in set.workloads() {
        each_image(workload, |container, image, _| {
            let Some(verdict) = verdicts.get(image) else {
                return;
            };
            if let Some(why) = judge(verdict, verdicts.keys_given) {
                out.push(SetViolation {
                    object: index,
                    violation: Violation::new(
                        container.pointer_to("/image"),
                        format!("{} runs {image}, {why}", describe(container)),
                    )
                    .with_evidence(evidence(image, verdict)),
                });
            }
        });
    }
}

fn evidence(image: &str, verdict: &SignatureVerdict) -> String {
    let status = match verdict {
        SignatureVerdict::Verified { key, .. } => format!("verified with {key}"),
        SignatureVerdict::Signed { signatures, .. } => {
            format!("{signatures} signature(s), no trusted key given")
        }
        SignatureVerdict::Untrusted { reason, .. } | SignatureVerdict::Unknown { reason } => {
            reason.clone()
        }
        SignatureVerdict::Unsigned { .. } => "no signature at its .sig tag".to_string(),
    };
    match verdict.digest() {
        Some(digest) => format!("image: {image} ({digest}); {status}"),
        None => format!("image: {image}; {status}"),
    }
}
