//! The data files built into the binary (see `build.rs`): rules, the default wording of each
//! check kind, and table layouts.

include!(concat!(env!("OUT_DIR"), "/builtin_files.rs"));
