use palisade_core::Severity;
use palisade_k8s::Object;

use super::support::{describe, string_items, with_pod};
use crate::control::control;
use crate::{Check, CheckContext, ControlRefs, Targets, Violation};

control! {
    /// ## What it checks
    /// Containers whose `command` or `args` contain the word `sudo`, alone or inside a
    /// shell string (`sh -c "sudo …"`, `/usr/bin/sudo`). Words that merely contain the
    /// letters (`pseudo`, `sudoers-check`) do not count.
    ///
    /// ## Why it matters
    /// `sudo` in an entrypoint means the image ships a setuid binary and a sudoers policy so
    /// the non-root user can become root: the non-root setting is cosmetic, and anyone who
    /// gets a shell in the container can do the same.
    ///
    /// ## How to fix
    /// Do the privileged step at image build time or in a narrowly privileged init
    /// container, remove `sudo` from the image, and set `allowPrivilegeEscalation: false` so
    /// setuid binaries cannot raise privileges.
    ///
    /// ## Example
    /// ```yaml
    /// containers:
    ///   - name: app
    ///     command: ["/app/server"]
    ///     securityContext:
    ///       allowPrivilegeEscalation: false
    /// ```
    pub static SUDO_IN_COMMAND = Control {
        id: "POD-116",
        slug: "sudo-in-command",
        title: "sudo in container command",
        severity: Severity::Medium,
        category: "Pod security",
        references: ControlRefs {
            pss: None,
            kubescape: &["C-0062"],
            cis: &[],
            checkov: &[],
            trivy: &[],
            kube_linter: &[],
            polaris: &[],
        },
        remediation: "Remove sudo from the container's command and image; do privileged setup at build time or in an init container.",
        targets: Targets::Workloads,
        check: Check::Object(check),
    };
}

/// True when `text` has `sudo` as a word: delimited by anything but letters, digits, `_`,
/// `-` and `.`.
fn mentions_sudo(text: &str) -> bool {
    text.split(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.')))
        .any(|word| word == "sudo")
}

fn check(_: &CheckContext, object: &Object, out: &mut Vec<Violation>) {
    with_pod(object, |pod| {
        for container in pod.containers() {
            for field in ["command", "args"] {
                let pointer = format!("/{field}");
                for (index, item) in string_items(container.get(&pointer)) {
                    let Some(text) = item.filter(|t| mentions_sudo(t)) else {
                        continue;
                    };
                    out.push(
                        Violation::new(
                            container.pointer_to(&format!("{pointer}/{index}")),
                            format!("{} runs sudo in its {field}", describe(&container)),
                        )
                        .with_evidence(format!("{field}: {text}")),
                    );
                }
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::mentions_sudo;

    #[test]
    fn sudo_is_matched_as_a_word() {
        assert!(mentions_sudo("sudo"));
        assert!(mentions_sudo("/usr/bin/sudo"));
        assert!(mentions_sudo("apt-get update && sudo -E ./run"));
        assert!(!mentions_sudo("pseudo"));
        assert!(!mentions_sudo("sudoers-check"));
        assert!(!mentions_sudo("sudo.sh-wrapper"));
    }
}
