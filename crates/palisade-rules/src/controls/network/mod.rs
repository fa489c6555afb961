//! Network controls: NetworkPolicy coverage and quality, and how Services and Ingresses expose
//! workloads. See `support` for the NetworkPolicy semantics they share.

mod support;

mod allow_all_policy;
mod external_ips_service;
mod ingress_snippet_annotation;
mod ingress_tls_hosts;
mod ingress_without_tls;
mod load_balancer_service;
mod missing_egress_policy;
mod missing_ingress_policy;
mod namespace_default_deny;
mod node_port_service;
mod ssh_service;

pub use allow_all_policy::ALLOW_ALL_POLICY;
pub use external_ips_service::EXTERNAL_IPS_SERVICE;
pub use ingress_snippet_annotation::INGRESS_SNIPPET_ANNOTATION;
pub use ingress_tls_hosts::INGRESS_TLS_HOSTS;
pub use ingress_without_tls::INGRESS_WITHOUT_TLS;
pub use load_balancer_service::LOAD_BALANCER_SERVICE;
pub use missing_egress_policy::MISSING_EGRESS_POLICY;
pub use missing_ingress_policy::MISSING_INGRESS_POLICY;
pub use namespace_default_deny::NAMESPACE_DEFAULT_DENY;
pub use node_port_service::NODE_PORT_SERVICE;
pub use ssh_service::SSH_SERVICE;

/// This family's controls.
pub(crate) static CONTROLS: &[&crate::Control] = &[
    &MISSING_INGRESS_POLICY,
    &MISSING_EGRESS_POLICY,
    &ALLOW_ALL_POLICY,
    &NAMESPACE_DEFAULT_DENY,
    &NODE_PORT_SERVICE,
    &LOAD_BALANCER_SERVICE,
    &EXTERNAL_IPS_SERVICE,
    &SSH_SERVICE,
    &INGRESS_WITHOUT_TLS,
    &INGRESS_TLS_HOSTS,
    &INGRESS_SNIPPET_ANNOTATION,
];
