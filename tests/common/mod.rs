//! Helpers shared by the integration tests.
#![allow(dead_code, reason = "each test binary uses a different subset")]

use std::path::{Path, PathBuf};

use codespan_reporting::term::termcolor::Buffer;
use xxgk_lint::lint::{self, FileResult};
use xxgk_lint::render::{self, Summary};
use xxgk_lint::rules::Registry;

/// The package root (tests run there, but be explicit).
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `../shared/<name>` beside the repository, when it exists.
pub fn shared(name: &str) -> Option<PathBuf> {
    let path = root().join("..").join("shared").join(name);
    path.is_dir().then_some(path)
}

/// `../shared/<name>` for a test that needs it. When it is missing the test is skipped (`None`,
/// saying so on stderr) on a clone without the shared material, but fails when `CI` is set to
/// anything: a CI run must not pass tests it did not run.
#[allow(
    clippy::print_stderr,
    reason = "a skipped test says so, as the test itself would"
)]
pub fn shared_or_skip(name: &str) -> Option<PathBuf> {
    let found = shared(name);
    if found.is_none() {
        let place = format!("../shared/{name}");
        if std::env::var_os("CI").is_some_and(|value| !value.is_empty()) {
            panic!("{place} is missing and CI is set: put the shared folder beside the repository");
        }
        eprintln!("skipped: {place} not present (with CI set this fails)");
    }
    found
}

pub fn registry() -> Registry {
    Registry::builtin().expect("built-in rules load")
}

/// Checks a file, shown by its path relative to the package root.
pub fn check(path: &Path) -> FileResult {
    let display = path
        .strip_prefix(root())
        .unwrap_or(path)
        .display()
        .to_string();
    lint::check_file(path, &display, &registry())
}

/// Checks a folder of reports as one run (no configuration file): consecutive years of one
/// issuer are compared, as `check` and `audit` do.
pub fn check_set(dir: &Path) -> Vec<FileResult> {
    use xxgk_lint::config::{ConfigSource, Overrides};
    use xxgk_lint::session::Session;
    let mut session = Session::new(
        ConfigSource::Isolated,
        Overrides::default(),
        root(),
        xxgk_lint::waivers::today(),
    );
    let relative = dir.strip_prefix(root()).unwrap_or(dir).to_path_buf();
    let inputs = xxgk_lint::input::collect(&[relative]);
    let jobs = session
        .plan(inputs.files, false)
        .expect("no configuration to get wrong");
    session.check_all(&jobs, false, true, &|| {}).0
}

/// The human output for several files, as the CLI prints them.
pub fn human_set(results: &[FileResult]) -> String {
    let mut buffer = Buffer::no_color();
    for result in results {
        render::human::render_file(&mut buffer, result, false).expect("rendering to memory");
    }
    let mut text = String::from_utf8(buffer.into_inner()).expect("output is UTF-8");
    text.push_str(&render::human::summary_line(&Summary::of(results)));
    text.push('\n');
    text
}

/// The human output for one file, without colour, as the CLI prints it.
pub fn human(result: &FileResult) -> String {
    let mut buffer = Buffer::no_color();
    render::human::render_file(&mut buffer, result, false).expect("rendering to memory");
    let mut text = String::from_utf8(buffer.into_inner()).expect("output is UTF-8");
    text.push_str(&render::human::summary_line(&Summary::of(
        std::slice::from_ref(result),
    )));
    text.push('\n');
    text
}

/// Names of the rules that fired.
pub fn names(result: &FileResult) -> Vec<&str> {
    result.diagnostics.iter().map(|d| d.name.as_str()).collect()
}

/// One line per finding, without source excerpts: for snapshots of real reports, whose text must
/// not be copied into the repository.
pub fn concise(result: &FileResult) -> String {
    let index = result
        .source
        .as_deref()
        .map(|text| (text, xxgk_lint::text::LineIndex::new(text)));
    let position = |range: Option<xxgk_lint::text::TextRange>| match (&index, range) {
        (Some((text, index)), Some(range)) => {
            let (line, column) = index.position(text, range.start);
            format!("{line}:{column}")
        }
        _ => "-".to_owned(),
    };
    let mut out = String::new();
    for d in &result.diagnostics {
        let range = d.primary.first().map(|label| label.range);
        out.push_str(&format!(
            "{}[{} {}] {} {}\n",
            d.severity.name(),
            d.code,
            d.name,
            position(range),
            d.message
        ));
    }
    for item in &result.not_assessable {
        out.push_str(&format!(
            "not-assessable[{} {}] {} {}：{}\n",
            item.code,
            item.name,
            position(item.range),
            item.check,
            item.reason
        ));
    }
    out
}
