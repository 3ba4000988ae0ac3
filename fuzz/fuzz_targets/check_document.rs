//! The whole pipeline — model and every built-in rule — on any bytes: never an internal error.
#![no_main]

use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use xxgk_lint::lint::check_bytes;
use xxgk_lint::rules::Registry;
use xxgk_lint::source::SourceKind;

static REGISTRY: LazyLock<Registry> = LazyLock::new(|| Registry::builtin().expect("built-in rules load"));

fuzz_target!(|data: &[u8]| {
    for kind in [SourceKind::Text, SourceKind::Html] {
        let result = check_bytes(data, Some(kind), "fuzz", &REGISTRY);
        assert!(result.diagnostics.iter().all(|d| d.code != "E999"));
    }
});
