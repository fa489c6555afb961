//! RBAC controls: what Roles and ClusterRoles allow, and to whom bindings give it.
//!
//! Permission controls report on the binding, one finding per subject; see `support` for the
//! conventions every control here follows.

mod support;
mod workload_identity;

mod anonymous_binding;
mod approve_csr;
mod authenticated_binding;
mod aws_auth;
mod cluster_admin_binding;
mod create_persistent_volumes;
mod create_token;
mod create_workloads;
mod dashboard_access;
mod default_service_account_binding;
mod delete_critical;
mod delete_events;
mod escalate_bind;
mod impersonate;
mod manage_networking;
mod node_proxy;
mod pod_exec;
mod port_forward;
mod read_secrets;
mod service_status;
mod system_masters_binding;
mod update_configmaps;
mod webhook_config_write;
mod wildcard_rule;
mod workload_admin;
mod workload_permissions;
mod workload_takeover;
mod workload_token_with_rbac;

pub use anonymous_binding::ANONYMOUS_BINDING;
pub use approve_csr::APPROVE_CSR;
pub use authenticated_binding::AUTHENTICATED_BINDING;
pub use aws_auth::AWS_AUTH_WRITE;
pub use cluster_admin_binding::CLUSTER_ADMIN_BINDING;
pub use create_persistent_volumes::CREATE_PERSISTENT_VOLUMES;
pub use create_token::CREATE_TOKEN;
pub use create_workloads::CREATE_WORKLOADS;
pub use dashboard_access::DASHBOARD_ACCESS;
pub use default_service_account_binding::DEFAULT_SERVICE_ACCOUNT_BINDING;
pub use delete_critical::DELETE_CRITICAL;
pub use delete_events::DELETE_EVENTS;
pub use escalate_bind::ESCALATE_BIND;
pub use impersonate::IMPERSONATE;
pub use manage_networking::MANAGE_NETWORKING;
pub use node_proxy::NODE_PROXY;
pub use pod_exec::POD_EXEC;
pub use port_forward::PORT_FORWARD;
pub use read_secrets::READ_SECRETS;
pub use service_status::SERVICE_STATUS;
pub use system_masters_binding::SYSTEM_MASTERS_BINDING;
pub use update_configmaps::UPDATE_CONFIGMAPS;
pub use webhook_config_write::WEBHOOK_CONFIG_WRITE;
pub use wildcard_rule::WILDCARD_RULE;
pub use workload_admin::WORKLOAD_ADMIN;
pub use workload_permissions::WORKLOAD_PERMISSIONS;
pub use workload_takeover::WORKLOAD_TAKEOVER;
pub use workload_token_with_rbac::WORKLOAD_TOKEN_WITH_RBAC;

/// This family's controls.
pub(crate) static CONTROLS: &[&crate::Control] = &[
    &CLUSTER_ADMIN_BINDING,
    &WILDCARD_RULE,
    &READ_SECRETS,
    &POD_EXEC,
    &CREATE_WORKLOADS,
    &ESCALATE_BIND,
    &IMPERSONATE,
    &NODE_PROXY,
    &DELETE_EVENTS,
    &UPDATE_CONFIGMAPS,
    &PORT_FORWARD,
    &CREATE_PERSISTENT_VOLUMES,
    &APPROVE_CSR,
    &WEBHOOK_CONFIG_WRITE,
    &CREATE_TOKEN,
    &DELETE_CRITICAL,
    &ANONYMOUS_BINDING,
    &DEFAULT_SERVICE_ACCOUNT_BINDING,
    &SYSTEM_MASTERS_BINDING,
    &AUTHENTICATED_BINDING,
    &DASHBOARD_ACCESS,
    &WORKLOAD_PERMISSIONS,
    &WORKLOAD_TOKEN_WITH_RBAC,
    &WORKLOAD_TAKEOVER,
    &WORKLOAD_ADMIN,
    &MANAGE_NETWORKING,
    &SERVICE_STATUS,
    &AWS_AUTH_WRITE,
];
