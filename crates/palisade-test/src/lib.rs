//! Test and benchmark support. [`corpus`] generates a deterministic, realistic corpus of
//! Kubernetes manifests: mixed workloads with varied security settings, Services, ConfigMaps,
//! RBAC, NetworkPolicies, Ingresses and CRDs with large schemas, spread over many files. [`http`] serves fixed replies on 127.0.0.1 for download tests.
//! [`schemas`] validates against official schemas that live outside the repository.

pub mod corpus;
pub mod http;
pub mod schemas;
