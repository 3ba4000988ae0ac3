//! Readers (decoding, plain text with flattened tables, HTML with merged cells) on any bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;
use xxgk_lint::source::{SourceKind, read_bytes};

fuzz_target!(|data: &[u8]| {
    for kind in [SourceKind::Text, SourceKind::Html] {
        if let Ok(doc) = read_bytes(data, Some(kind)) {
            for range in doc.paragraphs() {
                assert!(doc.text.get(range.range()).is_some());
            }
        }
    }
});
