//! Throughput of `audit` over 1,000 synthetic reports (three in four web pages, one in four
//! flattened text; see `examples/synth`), and of checking one of them: `cargo bench --bench audit`.
//! Files are written once to a temporary folder; each iteration reads, checks, pairs years,
//! summarises and renders, as the command does (on rayon's default pool: every core).

#[path = "../examples/synth/mod.rs"]
mod synth;

use std::hint::black_box;
use std::path::PathBuf;
use std::sync::LazyLock;

use divan::Bencher;
use divan::counter::ItemsCount;
use xxgk_lint::audit::{Audit, Grouping, render, xlsx};
use xxgk_lint::config::{ConfigSource, Overrides};
use xxgk_lint::input;
use xxgk_lint::lint::FileResult;
use xxgk_lint::session::Session;
use xxgk_lint::waivers;

fn main() {
    divan::main();
}

const REPORTS: usize = 1000;

/// The generated folder (kept for the whole run).
static FOLDER: LazyLock<tempfile::TempDir> = LazyLock::new(|| {
    let dir = tempfile::tempdir().expect("a temporary folder");
    for index in 0..REPORTS {
        let report = synth::report(index);
        std::fs::write(dir.path().join(&report.name), report.text).expect("writable");
    }
    dir
});

fn run(paths: &[PathBuf]) -> (Audit, Vec<FileResult>) {
    let mut session = Session::new(
        ConfigSource::Isolated,
        Overrides::default(),
        PathBuf::from("."),
        waivers::today(),
    );
    let inputs = input::collect(paths);
    let jobs = session.plan(inputs.files, false).expect("no configuration");
    let (results, pairing) = session.check_all(&jobs, true, true, &|| {});
    let registry = &jobs[0].settings.registry;
    let grouping = Grouping {
        roots: paths.to_vec(),
        map: None,
    };
    (
        Audit::build(&results, &pairing, registry, &grouping),
        results,
    )
}

fn audit(paths: &[PathBuf]) -> String {
    render::table(&run(paths).0)
}

/// The summary of 1,000 reports, checked once.
static CHECKED: LazyLock<(Audit, Vec<FileResult>)> =
    LazyLock::new(|| run(&[FOLDER.path().to_path_buf()]));

/// Writing the summary of 1,000 reports as JSON.
#[divan::bench(sample_count = 10)]
fn render_json_1000(bencher: Bencher<'_, '_>) {
    let (audit, _) = &*CHECKED;
    bencher.bench(|| render::json(black_box(audit)).len());
}

/// Writing the summary of 1,000 reports as an Excel workbook.
#[divan::bench(sample_count = 10)]
fn render_xlsx_1000(bencher: Bencher<'_, '_>) {
    let (audit, results) = &*CHECKED;
    bencher.bench(|| {
        xlsx::workbook(black_box(audit), results)
            .expect("a workbook")
            .len()
    });
}

/// Writing the summary of 1,000 reports as the HTML page with its charts.
#[divan::bench(sample_count = 10)]
fn render_html_1000(bencher: Bencher<'_, '_>) {
    let (audit, results) = &*CHECKED;
    bencher.bench(|| render::html(black_box(audit), results).len());
}

/// The whole audit of 1,000 reports.
#[divan::bench(sample_count = 10)]
fn audit_1000_reports(bencher: Bencher<'_, '_>) {
    let paths = vec![FOLDER.path().to_path_buf()];
    bencher
        .counter(ItemsCount::new(REPORTS))
        .bench(|| audit(black_box(&paths)));
}

/// Checking one typical web-page report (the same pipeline, one file).
#[divan::bench]
fn check_one_report(bencher: Bencher<'_, '_>) {
    let path = FOLDER.path().join(synth::report(2).name);
    let paths = vec![path];
    bencher.bench(|| audit(black_box(&paths)));
}
