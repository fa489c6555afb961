//! Names of the CycloneDX properties Palisade writes into SBOMs and reads back from them
//! (palisade-report writes, palisade-pkg reads).

pub const ECOSYSTEM: &str = "palisade:package:ecosystem";
pub const SOURCE_NAME: &str = "palisade:package:source_name";
pub const SOURCE_VERSION: &str = "palisade:package:source_version";
pub const LAYER_DIGEST: &str = "palisade:layer:digest";
pub const LAYER_INDEX: &str = "palisade:layer:index";
pub const LAYER_CREATED_BY: &str = "palisade:layer:created_by";
pub const LAYER_BASE: &str = "palisade:layer:base";
