//! Pod Security Standards controls (baseline and restricted), evaluated on Pods and on the pod
//! templates of every workload kind.
//!
//! Where the restricted profile tightens a baseline check, the restricted control reports only
//! what the baseline control lets through, so each problem yields one finding.

mod support;

mod allow_privilege_escalation;
mod apparmor_profile;
mod capabilities_baseline;
mod capabilities_restricted;
mod host_ipc;
mod host_network;
mod host_path_volume;
mod host_pid;
mod host_port;
mod host_probe;
mod privileged;
mod proc_mount;
mod proc_mount_restricted;
mod restricted_volumes;
mod run_as_non_root;
mod run_as_user;
mod seccomp_baseline;
mod seccomp_restricted;
mod selinux_options;
mod sysctls;
mod windows_host_process;

pub use allow_privilege_escalation::ALLOW_PRIVILEGE_ESCALATION;
pub use apparmor_profile::APPARMOR_PROFILE;
pub use capabilities_baseline::CAPABILITIES_BASELINE;
pub use capabilities_restricted::CAPABILITIES_RESTRICTED;
pub use host_ipc::HOST_IPC;
pub use host_network::HOST_NETWORK;
pub use host_path_volume::HOST_PATH_VOLUME;
pub use host_pid::HOST_PID;
pub use host_port::HOST_PORT;
pub use host_probe::HOST_PROBE;
pub use privileged::PRIVILEGED;
pub use proc_mount::PROC_MOUNT;
pub use proc_mount_restricted::PROC_MOUNT_RESTRICTED;
pub use restricted_volumes::RESTRICTED_VOLUMES;
pub use run_as_non_root::RUN_AS_NON_ROOT;
pub use run_as_user::RUN_AS_USER;
pub use seccomp_baseline::SECCOMP_BASELINE;
pub use seccomp_restricted::SECCOMP_RESTRICTED;
pub use selinux_options::SELINUX_OPTIONS;
pub use sysctls::SYSCTLS;
pub use windows_host_process::WINDOWS_HOST_PROCESS;

/// This family's controls.
pub(crate) static CONTROLS: &[&crate::Control] = &[
    &PRIVILEGED,
    &HOST_PID,
    &HOST_IPC,
    &HOST_NETWORK,
    &WINDOWS_HOST_PROCESS,
    &CAPABILITIES_BASELINE,
    &HOST_PATH_VOLUME,
    &HOST_PORT,
    &APPARMOR_PROFILE,
    &SELINUX_OPTIONS,
    &PROC_MOUNT,
    &SECCOMP_BASELINE,
    &SYSCTLS,
    &HOST_PROBE,
    &RESTRICTED_VOLUMES,
    &ALLOW_PRIVILEGE_ESCALATION,
    &RUN_AS_NON_ROOT,
    &RUN_AS_USER,
    &SECCOMP_RESTRICTED,
    &CAPABILITIES_RESTRICTED,
    &PROC_MOUNT_RESTRICTED,
];
