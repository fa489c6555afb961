//! Workload controls: hygiene of pod specs and controllers (`WL-0NN`: resources, probes,
//! namespaces, selectors, rollout settings, labels) and pod-security hardening beyond the Pod
//! Security Standards (`POD-1NN`: read-only root, root groups, capabilities, host mounts,
//! service account tokens, …).
//!
//! `support` holds the helpers the image and secrets families share too.

pub(crate) mod support;
mod volume_access;

mod cloud_credentials_host_path;
mod configmap_volume;
mod container_runtime_socket;
mod cpu_limit;
mod cpu_request;
mod default_namespace;
mod deprecated_service_account_field;
mod duplicate_env_var;
mod host_aliases;
mod hpa_replicas;
mod insecure_capabilities;
mod linux_hardening;
mod liveness_probe;
mod may_run_as_root;
mod memory_limit;
mod memory_request;
mod naked_pod;
mod net_raw_not_dropped;
mod pdb_blocks_eviction;
mod port_name;
mod privileged_port;
mod probe_port;
mod pvc_volume;
mod read_only_root_filesystem;
mod readiness_probe;
mod recommended_labels;
mod recreate_strategy;
mod root_group;
mod scc_privileged;
mod secret_volume;
mod security_context_missing;
mod selector_mismatch;
mod sensitive_host_path;
mod service_account_automount;
mod service_account_token_automount;
mod share_process_namespace;
mod single_replica;
mod ssh_port;
mod sudo_in_command;
mod sys_admin_capability;
mod writable_host_path_mount;

pub use cloud_credentials_host_path::CLOUD_CREDENTIALS_HOST_PATH;
pub use configmap_volume::CONFIG_MAP_VOLUME;
pub use container_runtime_socket::CONTAINER_RUNTIME_SOCKET;
pub use cpu_limit::CPU_LIMIT;
pub use cpu_request::CPU_REQUEST;
pub use default_namespace::DEFAULT_NAMESPACE;
pub use deprecated_service_account_field::DEPRECATED_SERVICE_ACCOUNT_FIELD;
pub use duplicate_env_var::DUPLICATE_ENV_VAR;
pub use host_aliases::HOST_ALIASES;
pub use hpa_replicas::HPA_REPLICAS;
pub use insecure_capabilities::INSECURE_CAPABILITIES;
pub use linux_hardening::LINUX_HARDENING;
pub use liveness_probe::LIVENESS_PROBE;
pub use may_run_as_root::MAY_RUN_AS_ROOT;
pub use memory_limit::MEMORY_LIMIT;
pub use memory_request::MEMORY_REQUEST;
pub use naked_pod::NAKED_POD;
pub use net_raw_not_dropped::NET_RAW_NOT_DROPPED;
pub use pdb_blocks_eviction::PDB_BLOCKS_EVICTION;
pub use port_name::PORT_NAME;
pub use privileged_port::PRIVILEGED_PORT;
pub use probe_port::PROBE_PORT;
pub use pvc_volume::PVC_VOLUME;
pub use read_only_root_filesystem::READ_ONLY_ROOT_FILESYSTEM;
pub use readiness_probe::READINESS_PROBE;
pub use recommended_labels::RECOMMENDED_LABELS;
pub use recreate_strategy::RECREATE_STRATEGY;
pub use root_group::ROOT_GROUP;
pub use scc_privileged::SCC_PRIVILEGED;
pub use secret_volume::SECRET_VOLUME;
pub use security_context_missing::SECURITY_CONTEXT_MISSING;
pub use selector_mismatch::SELECTOR_MISMATCH;
pub use sensitive_host_path::SENSITIVE_HOST_PATH;
pub use service_account_automount::SERVICE_ACCOUNT_AUTOMOUNT;
pub use service_account_token_automount::SERVICE_ACCOUNT_TOKEN_AUTOMOUNT;
pub use share_process_namespace::SHARE_PROCESS_NAMESPACE;
pub use single_replica::SINGLE_REPLICA;
pub use ssh_port::SSH_PORT;
pub use sudo_in_command::SUDO_IN_COMMAND;
pub use sys_admin_capability::SYS_ADMIN_CAPABILITY;
pub use writable_host_path_mount::WRITABLE_HOST_PATH_MOUNT;

/// This family's controls.
pub(crate) static CONTROLS: &[&crate::Control] = &[
    &READ_ONLY_ROOT_FILESYSTEM,
    &ROOT_GROUP,
    &MAY_RUN_AS_ROOT,
    &INSECURE_CAPABILITIES,
    &SYS_ADMIN_CAPABILITY,
    &NET_RAW_NOT_DROPPED,
    &WRITABLE_HOST_PATH_MOUNT,
    &CONTAINER_RUNTIME_SOCKET,
    &SENSITIVE_HOST_PATH,
    &CLOUD_CREDENTIALS_HOST_PATH,
    &SERVICE_ACCOUNT_TOKEN_AUTOMOUNT,
    &SERVICE_ACCOUNT_AUTOMOUNT,
    &HOST_ALIASES,
    &SHARE_PROCESS_NAMESPACE,
    &DEPRECATED_SERVICE_ACCOUNT_FIELD,
    &SUDO_IN_COMMAND,
    &SSH_PORT,
    &LINUX_HARDENING,
    &MEMORY_LIMIT,
    &CPU_LIMIT,
    &CPU_REQUEST,
    &MEMORY_REQUEST,
    &LIVENESS_PROBE,
    &READINESS_PROBE,
    &DEFAULT_NAMESPACE,
    &NAKED_POD,
    &DUPLICATE_ENV_VAR,
    &SELECTOR_MISMATCH,
    &RECREATE_STRATEGY,
    &SINGLE_REPLICA,
    &RECOMMENDED_LABELS,
    &SECURITY_CONTEXT_MISSING,
    &SECRET_VOLUME,
    &PVC_VOLUME,
    &CONFIG_MAP_VOLUME,
    &PRIVILEGED_PORT,
    &PROBE_PORT,
    &PORT_NAME,
    &PDB_BLOCKS_EVICTION,
    &HPA_REPLICAS,
    &SCC_PRIVILEGED,
];
