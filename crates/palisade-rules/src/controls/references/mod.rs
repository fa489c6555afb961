//! Reference controls: objects that refer to other objects the scan does not contain, and
//! objects nothing refers to. See `support` for when a reference is checked at all.

mod support;

mod dangling_gateway_backend;
mod dangling_hpa;
mod dangling_ingress_backend;
mod dangling_network_policy;
mod dangling_service;
mod missing_config_map;
mod missing_pdb;
mod missing_pvc;
mod missing_secret;
mod missing_service_account;
mod statefulset_service;

pub use dangling_gateway_backend::DANGLING_GATEWAY_BACKEND;
pub use dangling_hpa::DANGLING_HPA;
pub use dangling_ingress_backend::DANGLING_INGRESS_BACKEND;
pub use dangling_network_policy::DANGLING_NETWORK_POLICY;
pub use dangling_service::DANGLING_SERVICE;
pub use missing_config_map::MISSING_CONFIG_MAP;
pub use missing_pdb::MISSING_PDB;
pub use missing_pvc::MISSING_PVC;
pub use missing_secret::MISSING_SECRET;
pub use missing_service_account::MISSING_SERVICE_ACCOUNT;
pub use statefulset_service::STATEFULSET_SERVICE;

/// This family's controls.
pub(crate) static CONTROLS: &[&crate::Control] = &[
    &MISSING_SERVICE_ACCOUNT,
    &MISSING_CONFIG_MAP,
    &MISSING_SECRET,
    &MISSING_PVC,
    &DANGLING_INGRESS_BACKEND,
    &DANGLING_NETWORK_POLICY,
    &DANGLING_HPA,
    &DANGLING_SERVICE,
    &MISSING_PDB,
    &DANGLING_GATEWAY_BACKEND,
    &STATEFULSET_SERVICE,
];
