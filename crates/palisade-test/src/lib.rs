//! Test and benchmark support. [`corpus`] generates a deterministic, realistic corpus of
//! Kubernetes manifests: mixed workloads with varied security settings, Services, ConfigMaps,
//! RBAC, NetworkPolicies, Ingresses and CRDs with large schemas, spread over many files.

pub mod corpus;
