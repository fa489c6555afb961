//! Kubernetes object model: objects, pod-spec views over every workload kind.
