//! The web page (`web/`): the JSON it saves is `check --format json`'s, byte for byte; and the
//! built page (`web/dist`, from `web/build.sh`) works in a real headless Chromium opened from
//! `file://`, driven as a person would: choose a file, read the findings, click one, save.
//!
//! The browser test needs `web/dist` and Chromium. Without them it is skipped with a message,
//! except under CI (`CI` set), where it fails: CI builds the page and installs Chromium first.
//! It keeps a screenshot and a print to PDF of the newest run in `target/page-test/`.
#![allow(
    clippy::unwrap_used,
    clippy::print_stderr,
    reason = "test code: a failed unwrap is a failed test; a skipped test says why on stderr"
)]

#[path = "common/browser.rs"]
mod browser;
mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use browser::{Browser, base64_decode, chromium, output_dir, unavailable};
use serde_json::{Value, json};
use xxgk_lint::page::{Page, PageFile};

/// A report with a table identity broken (T001), as a page.
const HTML_T001: &str = "fixtures/rules/identity-mismatch/trip-2021-results-sum.html";

/// `xxgk-lint check --format json --isolated NAME [--previous NAME]`, run in the file's folder so
/// that the path shown is the bare name, as in the page (a browser gives no folder).
fn cli_json(file: &Path, previous: Option<&Path>) -> Vec<u8> {
    let dir = file.parent().expect("a file in a folder");
    let name = |path: &Path| path.file_name().expect("a file name").to_owned();
    let mut command = assert_cmd::Command::cargo_bin("xxgk-lint").expect("binary is built");
    command
        .current_dir(dir)
        .args(["check", "--format", "json", "--isolated"])
        .arg(name(file));
    if let Some(previous) = previous {
        command.arg("--previous").arg(previous);
    }
    let output = command.output().expect("xxgk-lint runs");
    assert!(
        output.status.code().is_some_and(|code| code < 2),
        "check failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    output.stdout
}

fn page_json(file: &Path, previous: Option<&Path>) -> String {
    let page = Page::new().expect("built-in rules load");
    let bytes = fs::read(file).unwrap();
    let name = file.file_name().unwrap().to_string_lossy().into_owned();
    let previous_bytes = previous.map(|path| fs::read(path).unwrap());
    let previous_name =
        previous.map(|path| path.file_name().unwrap().to_string_lossy().into_owned());
    let previous = match (&previous_name, &previous_bytes) {
        (Some(name), Some(bytes)) => Some(PageFile { name, bytes }),
        _ => None,
    };
    page.check(
        PageFile {
            name: &name,
            bytes: &bytes,
        },
        previous,
    )
    .json
}

/// One fixture per input form, and a pair of years.
fn forms() -> Vec<(PathBuf, Option<PathBuf>)> {
    let root = common::root();
    let one = |path: &str| (root.join(path), None);
    vec![
        one(HTML_T001),
        one("fixtures/rules/identity-mismatch/trip-2020-row-total.txt"),
        one("fixtures/rules/identity-mismatch/trip-2021-word-draft.docx"),
        one("fixtures/rules/identity-mismatch/trip-2021-results-sum.pdf"),
        one("fixtures/rules/table-unreadable/trip-2022-run-together.txt"),
        one("fixtures/rules/identity-mismatch/pass-2020-short-rows.txt"),
        (
            root.join("fixtures/rules/carry-over-mismatch/trip-2021-2022/2022.txt"),
            Some(PathBuf::from("2021.html")),
        ),
    ]
}

#[test]
fn the_page_gives_the_json_of_check() {
    for (file, previous) in forms() {
        let previous_path = previous.as_ref().map(|name| file.with_file_name(name));
        let expected = cli_json(&file, previous.as_deref());
        let got = page_json(&file, previous_path.as_deref());
        assert!(
            got.as_bytes() == expected.as_slice(),
            "{}: the page's JSON differs from check --format json",
            file.display()
        );
    }
}

#[test]
fn last_years_report_of_another_year_is_not_compared() {
    let root = common::root();
    let dir = root.join("fixtures/rules/carry-over-mismatch/trip-2021-2022");
    let page = Page::new().unwrap();
    let current = fs::read(dir.join("2022.txt")).unwrap();
    let view = page.check(
        PageFile {
            name: "2022.txt",
            bytes: &current,
        },
        Some(PageFile {
            name: "2022-copy.txt",
            bytes: &current,
        }),
    );
    let previous = view.previous.expect("the previous report is described");
    assert!(!previous.compared);
    assert!(
        previous.notices[0].contains("未做跨年度核对"),
        "{previous:?}"
    );
}

#[test]
fn the_page_explains_every_rule_as_the_cli_does() {
    let page = Page::new().unwrap();
    for rule in page.rules() {
        let text = page
            .explain(&rule.code)
            .expect("every listed code is explained");
        let cli = assert_cmd::Command::cargo_bin("xxgk-lint")
            .unwrap()
            .args(["explain", "--isolated", &rule.code])
            .output()
            .unwrap();
        assert_eq!(text.as_bytes(), cli.stdout.as_slice(), "{}", rule.code);
    }
    assert!(page.explain("T999").is_none());
}

// ---------------------------------------------------------------------------------------------
// The browser test.

/// Chooses a report (and last year's, or none) and waits for the page to finish with it.
fn check_in_page(browser: &mut Browser, file: &Path, previous: Option<&Path>) {
    let name = |path: &Path| path.file_name().unwrap().to_string_lossy().into_owned();
    let runs = |browser: &mut Browser| {
        browser
            .eval("Number(document.body.dataset.runs || 0)")
            .as_u64()
            .unwrap_or(0)
    };
    let before = runs(browser);
    match previous {
        Some(previous) => browser.choose("#previous", previous),
        None => {
            browser.eval(
                "document.getElementById('previous-clear').hidden || \
                 document.getElementById('previous-clear').click()",
            );
        }
    }
    browser.choose("#file", file);
    let checked = format!("{}|{}", name(file), previous.map(name).unwrap_or_default());
    let condition = format!(
        "Number(document.body.dataset.runs || 0) > {before} && \
         ['done', 'failed'].includes(document.body.dataset.state) && \
         document.body.dataset.checked === {}",
        json!(checked)
    );
    browser.wait_for(&condition, Duration::from_secs(90));
}

/// The findings shown: code, message, classes.
fn shown(browser: &mut Browser) -> Vec<(String, String, String)> {
    let value = browser.eval(
        "Array.from(document.querySelectorAll('.finding')).map(c => [c.dataset.code, \
         c.querySelector('.message').textContent, c.className])",
    );
    value
        .as_array()
        .into_iter()
        .flatten()
        .map(|item| {
            let text = |i: usize| item[i].as_str().unwrap_or_default().to_owned();
            (text(0), text(1), text(2))
        })
        .collect()
}

/// The findings the JSON of `check` has: code and message, and the not-assessable checks.
fn expected(json: &[u8]) -> (Vec<(String, String)>, Vec<String>) {
    let value: Value = serde_json::from_slice(json).unwrap();
    let file = &value["files"][0];
    let findings = file["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_owned(),
                d["message"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let gaps = file["not_assessable"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["check"].as_str().unwrap().to_owned())
        .collect();
    (findings, gaps)
}

/// A PDF whose form draws itself (a reader that follows it recurses without end).
fn self_drawing_pdf() -> Vec<u8> {
    let stream = |data: &str, extra: &str| {
        format!(
            "<< /Length {} {extra}>>\nstream\n{data}\nendstream",
            data.len()
        )
    };
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_owned(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_owned(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources 5 0 R /Contents 4 0 R >>"
            .to_owned(),
        stream("/X Do", ""),
        "<< /XObject << /X 6 0 R >> >>".to_owned(),
        stream(
            "/X Do",
            "/Type /XObject /Subtype /Form /BBox [0 0 9 9] /Resources 5 0 R ",
        ),
    ];
    let mut out = String::from("%PDF-1.7\n");
    let mut offsets = Vec::new();
    for (i, object) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.push_str(&format!("{} 0 obj\n{object}\nendobj\n", i + 1));
    }
    let xref = out.len();
    out.push_str(&format!(
        "xref\n0 {}\n0000000000 65535 f \n",
        objects.len() + 1
    ));
    for offset in offsets {
        out.push_str(&format!("{offset:010} 00000 n \n"));
    }
    out.push_str(&format!(
        "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
        objects.len() + 1
    ));
    out.into_bytes()
}

/// A .docx whose document part expands to 65 MiB of spaces.
fn zip_bomb(path: &Path) {
    use std::io::Write as _;
    let mut zip = zip::ZipWriter::new(fs::File::create(path).unwrap());
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    zip.start_file("word/document.xml", options).unwrap();
    let block = vec![b' '; 1024 * 1024];
    for _ in 0..65 {
        zip.write_all(&block).unwrap();
    }
    zip.finish().unwrap();
}

#[test]
fn the_page_works_in_a_browser() {
    let root = common::root();
    let index = root.join("web/dist/index.html");
    if !index.is_file() {
        unavailable("web/dist is not built (run web/build.sh)");
        return;
    }
    let Some(binary) = chromium() else {
        unavailable("no Chromium (apt-get install chromium, or set XXGK_CHROMIUM)");
        return;
    };
    let mut browser = match Browser::launch(&binary) {
        Ok(browser) => browser,
        Err(why) => {
            unavailable(&why);
            return;
        }
    };
    let started = Instant::now();
    let out = output_dir("page-test");
    let downloads = tempfile::tempdir().unwrap();
    browser.browser_call(
        "Browser.setDownloadBehavior",
        json!({"behavior": "allow", "downloadPath": downloads.path().to_string_lossy()}),
    );
    browser.call("Network.enable", json!({}));
    browser.call("Page.enable", json!({}));
    browser.call(
        "Emulation.setDeviceMetricsOverride",
        json!({"width": 1366, "height": 768, "deviceScaleFactor": 1, "mobile": false}),
    );
    let dist = root.join("web/dist");
    let page_url = format!("file://{}", index.display());
    let loading = Instant::now();
    browser.call("Page.navigate", json!({"url": page_url}));
    browser.wait_for(
        "document.body.getAttribute('data-state') === 'ready'",
        Duration::from_secs(60),
    );
    let mut timings = vec![format!(
        "page opened to engine ready: {} ms",
        loading.elapsed().as_millis()
    )];

    // One fixture per input form, one with last year's report: the findings shown are those
    // of `check`, and the JSON saved is `check --format json`, byte for byte.
    let scratch = tempfile::tempdir().unwrap();
    let markdown = scratch.path().join("2020-row-total.md");
    fs::copy(
        root.join("fixtures/rules/identity-mismatch/trip-2020-row-total.txt"),
        &markdown,
    )
    .unwrap();
    let mut cases = forms();
    cases.push((markdown, None));
    for (file, previous) in &cases {
        let previous_path = previous.as_ref().map(|name| file.with_file_name(name));
        check_in_page(&mut browser, file, previous_path.as_deref());
        let ms = browser.eval("Number(document.getElementById('status').dataset.ms)");
        timings.push(format!(
            "{}: {} ms",
            file.file_name().unwrap().to_string_lossy(),
            ms
        ));
        let cli = cli_json(file, previous.as_deref());
        let (findings, gaps) = expected(&cli);
        let mut on_page: Vec<(String, String)> = shown(&mut browser)
            .into_iter()
            .filter(|(_, _, class)| !class.contains("gap"))
            .map(|(code, message, _)| (code, message))
            .collect();
        let mut wanted = findings.clone();
        on_page.sort();
        wanted.sort();
        assert_eq!(on_page, wanted, "{}", file.display());
        let gaps_shown: Vec<String> = shown(&mut browser)
            .into_iter()
            .filter(|(_, _, class)| class.contains("gap"))
            .map(|(_, message, _)| message)
            .collect();
        assert_eq!(
            gaps_shown,
            gaps,
            "not-assessable notes of {}",
            file.display()
        );

        // Save the JSON with the keyboard: focus the button, press Enter.
        for entry in fs::read_dir(downloads.path()).unwrap() {
            fs::remove_file(entry.unwrap().path()).unwrap();
        }
        browser.eval("document.getElementById('save').focus()");
        browser.press("Enter", 13);
        let start = Instant::now();
        let saved = loop {
            let done: Vec<PathBuf> = fs::read_dir(downloads.path())
                .unwrap()
                .map(|entry| entry.unwrap().path())
                .filter(|path| path.extension().is_some_and(|ext| ext == "json"))
                .collect();
            if let Some(path) = done.first() {
                break fs::read(path).unwrap();
            }
            assert!(
                start.elapsed() < Duration::from_secs(30),
                "no JSON saved for {}",
                file.display()
            );
            std::thread::sleep(Duration::from_millis(50));
        };
        assert!(
            saved == cli,
            "{}: the JSON saved differs from check --format json",
            file.display()
        );
    }

    // Dropping two files on the page: the report and last year's (the older year in the name).
    let pair = root.join("fixtures/rules/carry-over-mismatch/trip-2021-2022");
    let before = browser
        .eval("Number(document.body.dataset.runs || 0)")
        .as_u64()
        .unwrap_or(0);
    let files = json!([
        pair.join("2021.html").to_string_lossy(),
        pair.join("2022.txt").to_string_lossy()
    ]);
    for kind in ["dragEnter", "dragOver", "drop"] {
        browser.call(
            "Input.dispatchDragEvent",
            json!({"type": kind, "x": 600, "y": 400,
                   "data": {"items": [], "files": files, "dragOperationsMask": 1}}),
        );
    }
    browser.wait_for(
        &format!(
            "Number(document.body.dataset.runs || 0) > {before} && \
             document.body.dataset.checked === '2022.txt|2021.html'"
        ),
        Duration::from_secs(60),
    );
    let dropped = shown(&mut browser);
    assert!(
        dropped.iter().any(|(code, _, _)| code == "T005"),
        "dropping both years compares them: {dropped:?}"
    );

    // Reading problems look different from defects in the report.
    check_in_page(
        &mut browser,
        &root.join("fixtures/rules/table-unreadable/trip-2022-run-together.txt"),
        None,
    );
    let reading = browser.eval(
        "Array.from(document.querySelectorAll('.finding.extraction')).every(c => \
         c.querySelector('.badge.reading') && getComputedStyle(c).borderTopStyle === 'dashed')\
         && document.querySelectorAll('.finding.extraction').length > 0",
    );
    assert_eq!(reading, json!(true), "reading problems are marked");

    // The identity mismatch: its wrong cell is marked in a table drawn as a table; selecting the
    // finding with the keyboard marks the cells it was computed from and scrolls to it.
    check_in_page(&mut browser, &root.join(HTML_T001), None);
    let cli = cli_json(&root.join(HTML_T001), None);
    let value: Value = serde_json::from_slice(&cli).unwrap();
    let first = &value["files"][0]["diagnostics"][0];
    let found = first["found"].as_i64().unwrap();
    let cell = browser.eval(
        "(() => { const td = document.querySelector('table.doc-table td.primary.error'); \
         return td ? td.textContent.trim() : null; })()",
    );
    assert_eq!(cell, json!(found.to_string()), "the wrong cell is marked");
    browser.eval("document.querySelector('.finding.error').focus()");
    browser.press("Enter", 13);
    let selected = browser.eval(
        "(() => { const p = document.querySelector('td.primary.current'); \
         const s = document.querySelectorAll('td.secondary.current').length; \
         const r = p && p.getBoundingClientRect(); \
         const pane = document.getElementById('document').getBoundingClientRect(); \
         return [p ? p.querySelector('.callout').textContent : '', s, \
                 !!r && r.top >= pane.top && r.bottom <= pane.bottom]; })()",
    );
    let label = first["labels"][0]["message"].as_str().unwrap();
    assert_eq!(
        selected[0],
        json!(label),
        "the cell says what the terminal says"
    );
    assert!(
        selected[1].as_u64().unwrap_or(0) > 0,
        "the parts are marked"
    );
    assert_eq!(
        selected[2],
        json!(true),
        "the wrong cell is scrolled into view"
    );

    // A rule's documentation, from the finding.
    browser.eval("document.querySelector('.finding.error [data-explain]').click()");
    browser.wait_for(
        "document.getElementById('explain').open",
        Duration::from_secs(10),
    );
    let docs = browser.eval("document.getElementById('explain-body').textContent");
    let explain = assert_cmd::Command::cargo_bin("xxgk-lint")
        .unwrap()
        .args(["explain", "--isolated", "T001"])
        .output()
        .unwrap();
    assert_eq!(docs, json!(String::from_utf8_lossy(&explain.stdout)));
    browser.press("Escape", 27);
    browser.wait_for(
        "!document.getElementById('explain').open",
        Duration::from_secs(10),
    );

    // The screenshot a reviewer looks at, and the print view.
    let shot = browser.call("Page.captureScreenshot", json!({"format": "png"}));
    let png = base64_decode(shot["data"].as_str().unwrap());
    fs::write(out.join("page.png"), png).unwrap();
    let print = browser.call(
        "Page.printToPDF",
        json!({"printBackground": true, "paperWidth": 8.27, "paperHeight": 11.69}),
    );
    fs::write(
        out.join("print.pdf"),
        base64_decode(print["data"].as_str().unwrap()),
    )
    .unwrap();

    // Bad files: a clear message, and the page goes on with the next file.
    let bad = tempfile::tempdir().unwrap();
    let empty = bad.path().join("空白.txt");
    fs::write(&empty, b"").unwrap();
    let binary = bad.path().join("图片.txt");
    fs::write(
        &binary,
        b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0",
    )
    .unwrap();
    let bomb = bad.path().join("炸弹.docx");
    zip_bomb(&bomb);
    let broken = bad.path().join("损坏.pdf");
    fs::write(
        &broken,
        b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 9 0 R\nendobj\ntrailer\n<<>>\n%%EOF\n",
    )
    .unwrap();
    let looping = bad.path().join("自绘.pdf");
    fs::write(&looping, self_drawing_pdf()).unwrap();
    for file in [&empty, &binary, &bomb, &broken, &looping] {
        check_in_page(&mut browser, file, None);
        let message = browser.eval(
            "(() => { const s = document.getElementById('status'); \
             return s.classList.contains('problem') ? s.textContent : ''; })()",
        );
        let message = message.as_str().unwrap_or_default().to_owned();
        let name = file.file_name().unwrap().to_string_lossy().into_owned();
        assert!(
            message.contains(&name),
            "{name}: a clear message naming the file, got {message:?}"
        );
        timings.push(format!("{name}: {message}"));
        // The page still works.
        check_in_page(&mut browser, &root.join(HTML_T001), None);
        assert_eq!(
            browser.eval("document.querySelectorAll('.finding.error').length"),
            json!(2),
            "the page works after {name}"
        );
    }

    // Nothing but the page's own files was requested.
    let own = format!("file://{}/", dist.display());
    let foreign: Vec<String> = browser
        .requests()
        .into_iter()
        .filter(|url| {
            !url.starts_with(&own) && !url.starts_with("blob:") && !url.starts_with("data:")
        })
        .collect();
    assert!(
        foreign.is_empty(),
        "requests beyond the page's files: {foreign:?}"
    );

    timings.push(format!(
        "whole browser test: {:.1} s",
        started.elapsed().as_secs_f64()
    ));
    fs::write(out.join("timings.txt"), timings.join("\n") + "\n").unwrap();
}

#[test]
fn page_writes_out_the_built_page_or_says_how_to_build_it() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("网页");
    let run = assert_cmd::Command::cargo_bin("xxgk-lint")
        .unwrap()
        .arg("page")
        .arg(&out)
        .output()
        .unwrap();
    if cfg!(feature = "embed-page") {
        assert_eq!(run.status.code(), Some(0));
        for name in ["index.html", "style.css", "app.js", "engine.js"] {
            assert_eq!(
                fs::read(out.join(name)).unwrap(),
                fs::read(common::root().join("web/dist").join(name)).unwrap(),
                "{name}"
            );
        }
    } else {
        assert_eq!(run.status.code(), Some(2));
        assert!(String::from_utf8_lossy(&run.stderr).contains("web/build.sh"));
        assert!(!out.exists());
    }
}
