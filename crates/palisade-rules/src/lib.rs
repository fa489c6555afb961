//! Built-in controls, frameworks and the rule engine.
