//! YAML/JSON loading with spans on every node, Kubernetes scalar typing and input budgets.
