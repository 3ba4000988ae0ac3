//! Throughput of checking one report, per input form: `cargo bench`.
//!
//! Inputs, one or more of each kind: the synthetic reports in `fixtures/reports` (HTML with merged
//! cells, text flattened one cell per line, free-form pre-2019 text, a Word draft, PDFs made by
//! LibreOffice, a converter's Markdown, a hard-wrapped `pdftotext -layout` copy) and, when
//! `../shared/corpus` is present, a real Word-exported page (~315 KB), real crawler text copies
//! (one with tables run together), a real 6-page published PDF and converters' copies of real
//! reports (pdftotext, markitdown, pandoc).

use std::hint::black_box;
use std::path::Path;
use std::sync::LazyLock;

use divan::Bencher;
use divan::counter::BytesCount;
use xxgk_lint::lint::check_bytes;
use xxgk_lint::model::Report;
use xxgk_lint::rules::Registry;
use xxgk_lint::source::{SourceKind, read_bytes};

fn main() {
    divan::main();
}

static REGISTRY: LazyLock<Registry> =
    LazyLock::new(|| Registry::builtin().expect("built-in rules load"));

const INPUTS: &[&str] = &[
    "fixtures/reports/2021-good.html",
    "fixtures/reports/2021-good.txt",
    "fixtures/reports/2017-good.txt",
    "fixtures/reports/2021-good.docx",
    "fixtures/reports/2021-good.pdf",
    "fixtures/reports/2021-good-narrow-columns.pdf",
    "fixtures/reports/2021-good.md",
    "fixtures/reports/2024-good-layout.txt",
    "../shared/corpus/html/pingtan-zone-2021.html",
    "../shared/corpus/text/pingtan-zone-2018.txt",
    "../shared/corpus/text/pingtan-zone-2022.txt",
    "../shared/corpus/pdf/huaian-city-2024.pdf",
    "../shared/corpus/converted/huaian-city-2024.pdftotext.txt",
    "../shared/corpus/converted/huaian-city-2024.pdftotext-layout.txt",
    "../shared/corpus/converted/huaian-city-2024.markitdown.md",
    "../shared/corpus/converted/pingtan-zone-2021.pandoc.md",
];

fn input(path: &str) -> Option<(Vec<u8>, SourceKind)> {
    let full = Path::new(env!("CARGO_MANIFEST_DIR")).join(path);
    let bytes = std::fs::read(full).ok()?;
    let kind = match path.rsplit('.').next() {
        Some("html") => SourceKind::Html,
        Some("docx") => SourceKind::Docx,
        Some("pdf") => SourceKind::Pdf,
        Some("md") => SourceKind::Markdown,
        _ => SourceKind::Text,
    };
    Some((bytes, kind))
}

/// Decode, read, build the model, run every rule.
#[divan::bench(args = INPUTS)]
fn check(bencher: Bencher<'_, '_>, path: &str) {
    let Some((bytes, kind)) = input(path) else {
        return;
    };
    LazyLock::force(&REGISTRY);
    bencher
        .counter(BytesCount::new(bytes.len()))
        .bench(|| check_bytes(black_box(&bytes), Some(kind), path, &REGISTRY));
}

/// Decode and read only.
#[divan::bench(args = INPUTS)]
fn read(bencher: Bencher<'_, '_>, path: &str) {
    let Some((bytes, kind)) = input(path) else {
        return;
    };
    bencher
        .counter(BytesCount::new(bytes.len()))
        .bench(|| read_bytes(black_box(&bytes), Some(kind)));
}

/// The report model of an already-read document.
#[divan::bench(args = INPUTS)]
fn model(bencher: Bencher<'_, '_>, path: &str) {
    let Some((bytes, kind)) = input(path) else {
        return;
    };
    let Ok(doc) = read_bytes(&bytes, Some(kind)) else {
        return;
    };
    let registry = Registry::builtin().expect("built-in rules load");
    bencher.bench(|| Report::build(black_box(&doc), registry.model()));
}

/// Loading the built-in rules (done once per run).
#[divan::bench]
fn load_rules() -> Registry {
    Registry::builtin().expect("built-in rules load")
}
