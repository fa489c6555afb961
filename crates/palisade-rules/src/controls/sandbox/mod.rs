//! Agent Sandbox controls (`SBX-0NN`): `SandboxTemplate` objects of the Kubernetes SIG Apps
//! Agent Sandbox project (`extensions.agents.x-k8s.io`), the blueprints from which sandboxes
//! for untrusted, AI-generated code are created. Their pod template is checked like a
//! workload's, with the stricter expectations of running untrusted code: a hardened
//! runtime, scoped egress, resource ceilings and known image sources.

mod support;

mod egress_policy;
mod image_provenance;
mod resource_ceilings;
mod runtime_class;

pub use egress_policy::EGRESS_POLICY;
pub use image_provenance::IMAGE_PROVENANCE;
pub use resource_ceilings::RESOURCE_CEILINGS;
pub use runtime_class::RUNTIME_CLASS;

/// This family's controls.
pub(crate) static CONTROLS: &[&crate::Control] = &[
    &RUNTIME_CLASS,
    &EGRESS_POLICY,
    &RESOURCE_CEILINGS,
    &IMAGE_PROVENANCE,
];
