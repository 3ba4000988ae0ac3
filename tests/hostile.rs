//! Hostile and careless input (issue 9, `../shared/hostile/README.md`): every case ends with a
//! clear finding or message and its exit code, in bounded time and memory, without touching
//! anything it should not. The files are generated here, at test time, in a temporary folder.
//!
//! Each run of the binary has a deadline (past it the run is killed and the test fails, so a
//! regression that hangs cannot hang the suite) and a memory bound enforced by the kernel
//! (`ulimit -d`: an allocation past it fails and the binary aborts, so a regression that would use
//! gigabytes fails fast instead of exhausting the machine). Where it can, a test asserts that the
//! work is bounded by construction (a limit's finding) rather than how long it took.
//!
//! To see the tests fail without the fixes, point `XXGK_LINT_BIN` at a build of an earlier commit.

#![allow(
    clippy::unwrap_used,
    reason = "test code: a failed unwrap is a failed test"
)]

use std::fs;
use std::io::Write as _;
use std::os::unix::process::ExitStatusExt as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// Time one run may take. The debug build of the linter's own code is unoptimised (the heavy
/// dependencies are built optimised, see Cargo.toml), and a 2-core CI machine runs these tests
/// side by side: the bound is several times what any run takes here.
const MAX_SECONDS: u64 = if cfg!(debug_assertions) { 60 } else { 10 };
/// Memory (the data segment and private writable mappings) one run may use, unless a test says.
const MAX_MEGABYTES: u64 = 512;

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn binary() -> PathBuf {
    std::env::var_os("XXGK_LINT_BIN").map_or_else(
        || PathBuf::from(env!("CARGO_BIN_EXE_xxgk-lint")),
        PathBuf::from,
    )
}

fn drain(mut pipe: impl std::io::Read + Send + 'static) -> JoinHandle<Vec<u8>> {
    std::thread::spawn(move || {
        let mut bytes = Vec::new();
        let _ = pipe.read_to_end(&mut bytes);
        bytes
    })
}

/// Runs the linter in `dir` with `args` (and `stdin`), killed past [`MAX_SECONDS`] and unable to
/// allocate past `megabytes`.
fn lint_within(dir: &Path, args: &[&str], stdin: Option<Vec<u8>>, megabytes: u64) -> Run {
    let mut command = Command::new("/bin/sh");
    command
        .arg("-c")
        .arg(r#"ulimit -d "$1" && shift && exec "$@""#)
        .arg("sh")
        .arg((megabytes * 1024).to_string())
        .arg(binary())
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        // Each worker's stack counts against the memory bound: as many as on a 2-core machine.
        .env("RAYON_NUM_THREADS", "2")
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let label = args.join(" ");
    let started = Instant::now();
    let mut child = command.spawn().expect("the binary runs");
    if let (Some(bytes), Some(mut pipe)) = (stdin, child.stdin.take()) {
        // The linter may stop reading early (past its limit): a broken pipe is expected.
        std::thread::spawn(move || {
            let _ = pipe.write_all(&bytes);
        });
    }
    let stdout = drain(child.stdout.take().expect("stdout is piped"));
    let stderr = drain(child.stderr.take().expect("stderr is piped"));
    let status = loop {
        if let Some(status) = child.try_wait().expect("the run can be waited for") {
            break status;
        }
        if started.elapsed() > Duration::from_secs(MAX_SECONDS) {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{label}: still running after {MAX_SECONDS} s, killed");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let stdout = String::from_utf8_lossy(&stdout.join().expect("stdout is read")).into_owned();
    let stderr = String::from_utf8_lossy(&stderr.join().expect("stderr is read")).into_owned();
    let Some(code) = status.code() else {
        panic!(
            "{label}: killed by signal {:?} after {:.1} s (past the {megabytes} MB memory bound, or a crash): {}",
            status.signal(),
            started.elapsed().as_secs_f64(),
            stderr.chars().take(2_000).collect::<String>()
        );
    };
    Run {
        code,
        stdout,
        stderr,
    }
}

fn lint_with(dir: &Path, args: &[&str], stdin: Option<Vec<u8>>) -> Run {
    lint_within(dir, args, stdin, MAX_MEGABYTES)
}

fn lint(dir: &Path, args: &[&str]) -> Run {
    lint_with(dir, args, None)
}

/// Runs `check` on every case and then fails with each case that failed, not just the first.
fn each<T: std::fmt::Debug>(cases: impl IntoIterator<Item = T>, check: impl Fn(&T)) {
    let failed: Vec<String> = cases
        .into_iter()
        .filter_map(|case| {
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| check(&case)))
                .err()
                .map(|_| format!("{case:?}"))
        })
        .collect();
    assert!(failed.is_empty(), "failed: {}", failed.join(", "));
}

/// The codes of each file's findings in a JSON run.
fn codes(run: &Run) -> Vec<(String, Vec<String>)> {
    let value: serde_json::Value = serde_json::from_str(&run.stdout)
        .unwrap_or_else(|error| panic!("{error}: {}{}", run.stdout, run.stderr));
    value["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|file| {
            let codes = file["diagnostics"]
                .as_array()
                .unwrap()
                .iter()
                .map(|d| d["code"].as_str().unwrap().to_owned())
                .collect();
            (file["path"].as_str().unwrap().to_owned(), codes)
        })
        .collect()
}

/// A message of a JSON run's findings containing `code`.
fn message_of(run: &Run, code: &str) -> String {
    let value: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    value["files"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|file| file["diagnostics"].as_array().unwrap().iter())
        .find(|d| d["code"] == code)
        .map(|d| d["message"].as_str().unwrap().to_owned())
        .unwrap_or_else(|| panic!("no {code} in {}", run.stdout))
}

fn running_as_root() -> bool {
    let id = Command::new("id").arg("-u").output().unwrap();
    String::from_utf8_lossy(&id.stdout).trim() == "0"
}

fn good_report() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures/reports/2021-good.txt")
}

fn tripping_page() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/rules/identity-mismatch/trip-2021-results-sum.html")
}

fn write(dir: &Path, name: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
    let path = dir.join(name);
    fs::write(&path, bytes).unwrap();
    path
}

// ---- PDF files, as ../shared/hostile/pdfs.py writes them ----

fn pdf(objects: &[Vec<u8>]) -> Vec<u8> {
    let mut out = b"%PDF-1.7\n".to_vec();
    let mut offsets = Vec::new();
    for (i, object) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n", i + 1).as_bytes());
        out.extend_from_slice(object);
        out.extend_from_slice(b"\nendobj\n");
    }
    let xref = out.len();
    out.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
    );
    for offset in offsets {
        out.extend_from_slice(format!("{offset:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    out
}

fn stream(data: &[u8], extra: &str) -> Vec<u8> {
    let mut out = format!("<< /Length {} {extra}>>\nstream\n", data.len()).into_bytes();
    out.extend_from_slice(data);
    out.extend_from_slice(b"\nendstream");
    out
}

fn deflate(data: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(data).unwrap();
    encoder.finish().unwrap()
}

fn flate_stream(data: &[u8]) -> Vec<u8> {
    stream(&deflate(data), "/Filter /FlateDecode ")
}

const FONT: &str = "<< /Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >> >>";

fn one_page(content: Vec<u8>) -> Vec<u8> {
    pdf(&[
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        format!(
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources {FONT} /Contents 4 0 R >>"
        )
        .into_bytes(),
        content,
    ])
}

#[test]
fn a_form_that_draws_itself_is_a_damaged_pdf_and_the_run_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let form = stream(
        b"/X Do",
        "/Type /XObject /Subtype /Form /BBox [0 0 9 9] /Resources 5 0 R ",
    );
    write(
        dir.path(),
        "xloop.pdf",
        pdf(&[
            b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources 5 0 R /Contents 4 0 R >>"
                .to_vec(),
            stream(b"/X Do", ""),
            b"<< /XObject << /X 6 0 R >> >>".to_vec(),
            form,
        ]),
    );
    let good = good_report();
    let run = lint(
        dir.path(),
        &[
            "check",
            "--format",
            "json",
            "xloop.pdf",
            good.to_str().unwrap(),
        ],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    let files = codes(&run);
    assert_eq!(files[0].1, ["E010"]);
    assert!(message_of(&run, "E010").contains("循环"));
    assert!(files[1].1.is_empty(), "the other file is still checked");
    // An audit of a crawled folder holding it still sums up every report.
    fs::copy(&good, dir.path().join("good.txt")).unwrap();
    let audit = lint(
        dir.path(),
        &["audit", "--format", "csv", "--no-progress", "-j", "2", "."],
    );
    assert_eq!(audit.code, 0, "{}", audit.stderr);
    assert!(audit.stdout.contains("good.txt") && audit.stdout.contains("xloop.pdf"));
}

#[test]
fn pdfs_that_would_take_gigabytes_are_refused_in_bounded_memory() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // q x 3M; a stream inflating to 2 GB; 600k ruling lines and 200k glyphs.
    let mut q = b"q ".repeat(3_000_000);
    q.extend_from_slice(b"BT /F1 12 Tf 72 700 Td (x) Tj ET");
    write(d, "q.pdf", one_page(flate_stream(&q)));
    let mut encoder = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::fast());
    let block = vec![b' '; 1 << 24];
    for _ in 0..128 {
        encoder.write_all(&block).unwrap();
    }
    write(
        d,
        "flate.pdf",
        one_page(stream(&encoder.finish().unwrap(), "/Filter /FlateDecode ")),
    );
    let mut rules: Vec<u8> = (0..600_000)
        .flat_map(|i| format!("{} 0 m {} 10 l S\n", 1000 + i % 1000, 1000 + i % 1000).into_bytes())
        .collect();
    rules.extend_from_slice(b"BT /F1 10 Tf 72 700 Td ");
    rules.extend_from_slice(&b"(a) Tj ".repeat(200_000));
    rules.extend_from_slice(b"ET");
    write(d, "rules.pdf", one_page(flate_stream(&rules)));
    let cases = [
        ("q.pdf", "图形状态（q）嵌套超过 1000 层"),
        ("flate.pdf", "内容解压后超过 64 MB"),
        ("rules.pdf", "超过 300000 个操作"),
    ];
    each(cases, |(name, says)| {
        let run = lint(d, &["check", "--format", "json", name]);
        assert_eq!(run.code, 1, "{name}: {}", run.stderr);
        assert_eq!(codes(&run)[0].1, ["E010"], "{name}");
        assert!(message_of(&run, "E010").contains(says), "{name}");
    });
}

#[test]
fn glyphs_among_tens_of_thousands_of_ruling_lines_are_placed_quickly() {
    let dir = tempfile::tempdir().unwrap();
    // 80,000 ruling lines across the text and 40,000 glyphs, within the operator limit: each
    // glyph scanned every line (3.2 billion comparisons); the lines are indexed now.
    let mut content: Vec<u8> = (0..80_000)
        .flat_map(|i| {
            let at = i / 2;
            if i % 2 == 0 {
                let x = 50 + at % 500;
                format!("{x} 600 m {x} 800 l S\n").into_bytes()
            } else {
                let y = 600 + at % 200;
                format!("50 {y} m 550 {y} l S\n").into_bytes()
            }
        })
        .collect();
    content.extend_from_slice(b"BT /F1 10 Tf 72 700 Td ");
    content.extend_from_slice(&b"(1) Tj ".repeat(40_000));
    content.extend_from_slice(b"ET");
    write(dir.path(), "grid.pdf", one_page(flate_stream(&content)));
    let run = lint(dir.path(), &["check", "--format", "json", "grid.pdf"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(codes(&run)[0].1, ["S002"]);
}

#[test]
fn pages_of_millions_of_glyphs_are_refused_in_bounded_memory() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // A million one-glyph operators (715 MB before: each operator parsed and kept); three
    // million glyphs in 100,000 operators (545 MB before: every glyph kept up to three million).
    let mut operators = b"BT /F1 10 Tf 72 700 Td ".to_vec();
    operators.extend_from_slice(&b"(a) Tj ".repeat(1_000_000));
    operators.extend_from_slice(b"ET");
    write(d, "operators.pdf", one_page(flate_stream(&operators)));
    let mut glyphs = b"BT /F1 10 Tf 72 700 Td ".to_vec();
    glyphs.extend_from_slice(
        &format!("({}) Tj ", "1".repeat(30))
            .repeat(100_000)
            .into_bytes(),
    );
    glyphs.extend_from_slice(b"ET");
    write(d, "glyphs.pdf", one_page(flate_stream(&glyphs)));
    for (name, says) in [
        ("operators.pdf", "超过 300000 个操作"),
        ("glyphs.pdf", "文字超过 1000000 个字符"),
    ] {
        let run = lint_within(d, &["check", "--format", "json", name], None, 384);
        assert_eq!(run.code, 1, "{name}: {}", run.stderr);
        assert_eq!(codes(&run)[0].1, ["E010"], "{name}");
        assert!(message_of(&run, "E010").contains(says), "{name}");
    }
}

#[test]
fn empty_and_broken_pdfs_say_what_they_are() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "empty.pdf", b"");
    write(
        d,
        "zero.pdf",
        pdf(&[
            b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
            b"<< /Type /Pages /Kids [] /Count 0 >>".to_vec(),
        ]),
    );
    write(
        d,
        "loop.pdf",
        pdf(&[
            b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
            b"<< /Type /Pages /Kids [2 0 R] /Count 1 >>".to_vec(),
        ]),
    );
    let run = lint(
        d,
        &[
            "check",
            "--format",
            "json",
            "empty.pdf",
            "zero.pdf",
            "loop.pdf",
        ],
    );
    assert_eq!(run.code, 1);
    let files = codes(&run);
    assert_eq!(files[0].1, ["E004"], "a 0-byte file is empty");
    assert_eq!(
        files[1].1,
        ["E010"],
        "no pages is damaged, not 'no text layer'"
    );
    assert_eq!(files[2].1, ["E010"]);
    assert!(run.stdout.contains("没有任何页面") && run.stdout.contains("循环"));
}

// ---- outputs ----

#[test]
fn outputs_never_replace_an_input_a_device_a_fifo_or_a_link() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let report = fs::read(good_report()).unwrap();
    write(d, "r.txt", &report);
    write(d, "config.toml", "");
    fs::hard_link(d.join("r.txt"), d.join("hard.txt")).unwrap();
    std::os::unix::fs::symlink("target.txt", d.join("link.txt")).unwrap();
    let fifo = Command::new("mkfifo").arg(d.join("fifo")).status().unwrap();
    assert!(fifo.success());
    let mut outputs = vec![
        ("r.txt", "就是输入文件"),
        ("./r.txt", "就是输入文件"),
        ("hard.txt", "就是输入文件"),
        ("config.toml", "就是输入文件"),
        ("fifo", "不是普通文件"),
        (".", "不是普通文件"),
        ("link.txt", "是符号链接"),
    ];
    // A build that regressed would replace a device it may write to (as root): the devices are
    // tried only where it may not (the FIFO goes through the same refusal).
    if !running_as_root() {
        outputs.extend([("/dev/null", "不是普通文件"), ("/dev/full", "不是普通文件")]);
    }
    each(outputs, |(output, says)| {
        let run = lint(
            d,
            &[
                "check",
                "--format",
                "json",
                "--config",
                "config.toml",
                "-o",
                output,
                "r.txt",
            ],
        );
        assert_eq!(run.code, 2, "-o {output}: {}", run.stderr);
        assert!(run.stderr.contains(says), "-o {output}: {}", run.stderr);
    });
    assert_eq!(fs::read(d.join("r.txt")).unwrap(), report);
    assert!(
        fs::symlink_metadata(d.join("link.txt"))
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert!(!d.join("target.txt").exists());
    let audit = lint(d, &["audit", "--format", "json", "-o", "hard.txt", "r.txt"]);
    assert_eq!(audit.code, 2);
    // --add-waivers does not rewrite a report given as the waiver file, nor replace a link or
    // write through it.
    each(["r.txt", "hard.txt", "link.txt"], |waivers| {
        let run = lint(
            d,
            &["check", "--add-waivers", "--waivers", waivers, "r.txt"],
        );
        assert_eq!(run.code, 2, "--waivers {waivers}: {}", run.stderr);
    });
    assert_eq!(fs::read(d.join("r.txt")).unwrap(), report);
    assert!(!d.join("target.txt").exists());
    // An ordinary output is written.
    let run = lint(d, &["check", "--format", "json", "-o", "out.json", "r.txt"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(d.join("out.json").is_file());
}

// ---- bounded reads ----

fn fifo_in(dir: &Path) {
    let made = Command::new("mkfifo")
        .arg(dir.join("fifo"))
        .status()
        .unwrap();
    assert!(made.success());
}

#[test]
fn devices_and_fifos_given_as_files_are_refused_and_the_run_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    fifo_in(d);
    let good = good_report();
    let run = lint(
        d,
        &[
            "check",
            "--format",
            "json",
            "/dev/zero",
            "fifo",
            good.to_str().unwrap(),
        ],
    );
    assert_eq!(run.code, 1);
    let files = codes(&run);
    assert_eq!(files[0].1, ["E001"]);
    assert_eq!(files[1].1, ["E001"]);
    assert!(message_of(&run, "E001").contains("不是普通文件"));
    assert!(files[2].1.is_empty());
}

#[test]
fn a_pipe_on_standard_input_is_read_up_to_the_limit() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // The limit is counted on the read: 40 MB down a pipe is refused after 32 MiB.
    let piped = lint_with(
        d,
        &["check", "--format", "json", "/dev/stdin"],
        Some(vec![b'x'; 40 << 20]),
    );
    assert_eq!(codes(&piped)[0].1, ["E006"]);
    let piped = lint_with(
        d,
        &["check", "--format", "json", "/dev/stdin"],
        Some(fs::read(good_report()).unwrap()),
    );
    assert_eq!(piped.code, 0, "{}", piped.stderr);
}

#[test]
fn a_device_or_fifo_as_configuration_waivers_or_last_year_fails_the_run() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    fifo_in(d);
    let good = good_report();
    let cases = [
        ["--config", "fifo"],
        ["--config", "/dev/zero"],
        ["--waivers", "fifo"],
        ["--waivers", "/dev/zero"],
        ["--previous", "fifo"],
        ["--previous", "/dev/zero"],
    ];
    each(cases, |[option, path]| {
        let run = lint(d, &["check", option, path, good.to_str().unwrap()]);
        assert_eq!(run.code, 2, "{option} {path}: {}", run.stderr);
    });
}

// ---- configuration and waivers ----

#[test]
fn globs_that_cannot_compile_are_configuration_errors() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let glob = format!("{}b{}", "{a,".repeat(200), "}".repeat(200));
    write(
        d,
        "bad.toml",
        format!("[per-file-ignores]\n'{glob}' = [\"T001\"]\n"),
    );
    write(
        d,
        "bad-waivers.toml",
        format!("[[waiver]]\npath = '{glob}'\nmatches = \"x\"\n"),
    );
    let good = good_report();
    each(
        [("--config", "bad.toml"), ("--waivers", "bad-waivers.toml")],
        |(option, file)| {
            let run = lint(d, &["check", option, file, good.to_str().unwrap()]);
            assert_eq!(run.code, 2, "{}", run.stderr);
            assert!(run.stderr.contains(&format!("{file}:2:")), "{}", run.stderr);
        },
    );
}

#[test]
fn nesting_past_the_toml_parsers_limit_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(
        d,
        "deep.toml",
        format!("x = {}{}\n", "[".repeat(100_000), "]".repeat(100_000)),
    );
    let good = good_report();
    each(["--config", "--waivers"], |option| {
        let run = lint(d, &["check", option, "deep.toml", good.to_str().unwrap()]);
        assert_eq!(run.code, 2, "{option}: {}", run.stderr);
        assert!(run.stderr.contains("deep.toml:1:"), "{}", run.stderr);
    });
}

#[test]
fn a_hundred_thousand_globs_are_compiled_in_bounded_memory() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // One regex a glob: 15 s and 765 MB in release before.
    let many: String = (0..100_000)
        .map(|i| format!("\"dir{i}/*.txt\" = [\"T001\"]\n"))
        .collect();
    write(d, "many.toml", format!("[per-file-ignores]\n{many}"));
    let good = good_report();
    let run = lint_within(
        d,
        &["check", "--config", "many.toml", good.to_str().unwrap()],
        None,
        384,
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
}

#[test]
fn ten_thousand_unused_waivers_render_quickly() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // In the human format each E013 excerpted the whole waiver file.
    let waivers: String = (0..10_000)
        .map(|i| {
            format!("[[waiver]]\nmatches = \"不存在{i}\"\nreason = \"r\"\napproved-by = \"a\"\nexpires = 2099-01-01\n\n")
        })
        .collect();
    write(d, "w.toml", waivers);
    let good = good_report();
    let run = lint(d, &["check", "--waivers", "w.toml", good.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("10000 个警告"));
}

#[test]
fn the_rules_walker_does_not_follow_links_into_loops() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    fs::create_dir_all(d.join("R/real")).unwrap();
    fs::create_dir_all(d.join("R/loop")).unwrap();
    let rule =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("rules/period/P001-period-missing.toml");
    fs::copy(rule, d.join("R/real/P001-period-missing.toml")).unwrap();
    for i in 1..=3 {
        std::os::unix::fs::symlink(".", d.join(format!("R/loop/l{i}"))).unwrap();
    }
    let good = good_report();
    let run = lint(d, &["check", "--rules", "R", good.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    // The same folder named by a configuration file in the repository.
    write(d, "xxgk-lint.toml", "rules = [\"R\"]\n");
    fs::copy(good_report(), d.join("good.txt")).unwrap();
    let run = lint(d, &["check", "good.txt"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
}

// ---- text, HTML and Word ----

#[test]
fn pages_built_to_nest_deeply_or_carry_endless_attributes_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let attributes: Vec<String> = (0..500_000).map(|i| format!("a{i}=1")).collect();
    let pages = [
        ("div.html", "<div/>".repeat(200_000)),
        (
            "script.html",
            format!("<SCRIPT></SCRIPT>{}", "<div>".repeat(200_000)),
        ),
        ("rb.html", "<rb>".repeat(100_000)),
        ("optgroup.html", "<optgroup>".repeat(100_000)),
        ("attributes.html", format!("<p {}>x", attributes.join(" "))),
    ];
    for (name, page) in &pages {
        write(d, name, page);
    }
    each(pages.map(|(name, _)| name), |name| {
        let run = lint(d, &["check", "--format", "json", name]);
        assert_eq!(run.code, 1, "{name}: {}", run.stderr);
        assert_eq!(codes(&run)[0].1, ["E008"], "{name}");
    });
}

#[test]
fn a_page_with_thousands_of_findings_renders_quickly_and_is_capped() {
    let dir = tempfile::tempdir().unwrap();
    let page = fs::read_to_string(tripping_page()).unwrap();
    // Thousands of rows the table reader does not know, each a finding.
    let rows = "<tr><td>未知的行</td><td>1</td><td>2</td></tr>".repeat(5_000);
    let page = page.replacen("</table>", &format!("{rows}</table>"), 1);
    // And thousands of sentences whose figure disagrees with 表三 (N001), each a finding.
    let paragraphs = "<p>一、总体情况</p><p>全年共收到政府信息公开申请999件。</p>".repeat(5_000);
    let page = page.replacen("</body>", &format!("{paragraphs}</body>"), 1);
    write(dir.path(), "many.html", page);
    let json = lint(dir.path(), &["check", "--format", "json", "many.html"]);
    assert_eq!(json.code, 1, "{}", json.stderr);
    let found = &codes(&json)[0].1;
    assert_eq!(found.len(), 1_001, "the most severe 1,000 and one E015");
    assert!(found.iter().filter(|code| *code == "T001").count() == 2);
    assert!(message_of(&json, "E015").contains("另有 4003 条问题"));
    // Each diagnostic excerpts its own lines, not the whole text.
    let human = lint(dir.path(), &["check", "many.html"]);
    assert_eq!(human.code, 1, "{}", human.stderr);
    assert!(human.stdout.contains("warning[E015]"));
}

#[test]
fn merged_cells_spanning_the_whole_grid_are_read_in_bounded_memory() {
    let dir = tempfile::tempdir().unwrap();
    let rows = "<tr><td colspan=65535 rowspan=65535>一、本年新收政府信息公开申请数量</td></tr>"
        .repeat(20_000);
    write(
        dir.path(),
        "spans.html",
        format!(
            "{}<table>{rows}</table>",
            "<p>一、总体情况</p>".repeat(20_000)
        ),
    );
    // In the human format, as the case was found.
    let run = lint(dir.path(), &["check", "spans.html"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("warning[P001]"), "{}", run.stdout);
}

#[test]
fn text_that_repeats_headings_stays_linear() {
    let dir = tempfile::tempdir().unwrap();
    // Each numbered line looked at every later line (is it a caption?), each paragraph at every
    // heading: 100,000 lines took 173 s in a debug build, 8 s now.
    write(
        dir.path(),
        "headings.txt",
        format!(
            "青禾县人民政府2021年政府信息公开工作年度报告\n{}",
            "一、总体情况\n".repeat(100_000)
        ),
    );
    let run = lint(dir.path(), &["check", "--format", "json", "headings.txt"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(!codes(&run)[0].1.contains(&"E999".to_owned()));
}

#[test]
fn a_long_line_of_text_takes_a_small_multiple_of_its_size() {
    let dir = tempfile::tempdir().unwrap();
    // 3 MB on one line: 315 MB before (a table of every character, and every figure read as a
    // table row), about 45 MB in a debug build now, most of it the binary's own.
    let sentence = "本报告统计期限自2021年1月1日至2021年12月31日。一、总体情况 公开政府信息2315条，（一）主动公开 ";
    write(
        dir.path(),
        "one-line.txt",
        sentence.repeat(3_000_000 / sentence.len()),
    );
    let run = lint_within(
        dir.path(),
        &["check", "--format", "json", "one-line.txt"],
        None,
        96,
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(codes(&run)[0].1, ["S002"]);
}

#[test]
fn run_together_rows_with_endless_readings_are_not_assessable_quickly() {
    let dir = tempfile::tempdir().unwrap();
    let fixture = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/rules/table-unreadable/trip-2022-run-together.txt");
    let text = fs::read_to_string(fixture).unwrap();
    let start = text.find("三、收到和处理").unwrap();
    let end = start + text[start..].find("四、").unwrap();
    // Each run of two or more digits in 表三 becomes 56 non-zero digits.
    let mut seed = 1u64;
    let mut digit = move || {
        seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
        char::from(b'1' + u8::try_from((seed >> 33) % 9).unwrap())
    };
    let mut middle = String::new();
    let mut chars = text[start..end].chars().peekable();
    while let Some(c) = chars.next() {
        if c.is_ascii_digit() && chars.peek().is_some_and(char::is_ascii_digit) {
            while chars.peek().is_some_and(char::is_ascii_digit) {
                chars.next();
            }
            middle.extend((0..56).map(|_| digit()));
        } else {
            middle.push(c);
        }
    }
    write(
        dir.path(),
        "runon.txt",
        format!("{}{middle}{}", &text[..start], &text[end..]),
    );
    let run = lint(dir.path(), &["check", "--format", "json", "runon.txt"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    // The search gives up: the rows are not read, and the sums that need them not assessed.
    assert!(
        run.stdout
            .contains("表三中有 23 行数字连在一起，无法确定各单元格")
    );
    let value: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let not_assessable = value["files"][0]["not_assessable"].as_array().unwrap();
    assert!(not_assessable.iter().any(|check| check["code"] == "T001"));
    assert!(!codes(&run)[0].1.contains(&"T001".to_owned()));
}

fn docx(dir: &Path, name: &str, document: &str, extra: &[(&str, &str)]) {
    let file = fs::File::create(dir.join(name)).unwrap();
    let mut zip = zip::ZipWriter::new(file);
    // Stored: a compression ratio of 1 passes the bomb check.
    let options =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    zip.start_file("word/document.xml", options).unwrap();
    zip.write_all(document.as_bytes()).unwrap();
    for (part, text) in extra {
        zip.start_file(*part, options).unwrap();
        zip.write_all(text.as_bytes()).unwrap();
    }
    zip.finish().unwrap();
}

const W: &str = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main""#;

fn body(inner: &str) -> String {
    format!("<w:document {W}><w:body>{inner}</w:body></w:document>")
}

#[test]
fn word_documents_that_expand_without_bound_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let nest = format!(
        "{}<w:p><w:r><w:t>{}</w:t></w:r></w:p>{}",
        "<w:tbl><w:tr><w:tc>".repeat(40_000),
        "一".repeat(200_000),
        "</w:tc></w:tr></w:tbl>".repeat(40_000)
    );
    docx(d, "nest.docx", &body(&nest), &[]);
    let numbering = format!(
        "<w:numbering {W}><w:abstractNum w:abstractNumId=\"0\"><w:lvl w:ilvl=\"0\"><w:start w:val=\"4294967295\"/><w:numFmt w:val=\"decimal\"/><w:lvlText w:val=\"{}\"/></w:lvl></w:abstractNum><w:num w:numId=\"1\"><w:abstractNumId w:val=\"0\"/></w:num></w:numbering>",
        "%1".repeat(3000)
    );
    let numbered = "<w:p><w:pPr><w:numPr><w:ilvl w:val=\"0\"/><w:numId w:val=\"1\"/></w:numPr></w:pPr><w:r><w:t>x</w:t></w:r></w:p>"
        .repeat(10_000);
    docx(
        d,
        "num.docx",
        &body(&numbered),
        &[("word/numbering.xml", &numbering)],
    );
    // One paragraph that expands to 60 MB: 20,000 characters in a table nested 1,000 deep.
    let wide = format!(
        "{}<w:p><w:r><w:t>{}</w:t></w:r></w:p>{}",
        "<w:tbl><w:tr><w:tc>".repeat(1_000),
        "一".repeat(20_000),
        "</w:tc></w:tr></w:tbl>".repeat(1_000)
    );
    docx(d, "wide.docx", &body(&wide), &[]);
    // Nesting alone, with little text: read without recursion running out of stack.
    let deep = format!(
        "{}<w:p><w:r><w:t>一</w:t></w:r></w:p>{}",
        "<w:tbl><w:tr><w:tc>".repeat(40_000),
        "</w:tc></w:tr></w:tbl>".repeat(40_000)
    );
    docx(d, "deep.docx", &body(&deep), &[]);
    let cases = [
        ("nest.docx", "E009"),
        ("wide.docx", "E009"),
        // A level template of 6,000 bytes is not a list number: the paragraphs read as written.
        ("num.docx", "S002"),
        ("deep.docx", "S002"),
    ];
    each(cases, |(name, code)| {
        let run = lint(d, &["check", "--format", "json", name]);
        assert_eq!(codes(&run)[0].1, [*code], "{name}: {}", run.stderr);
        if *code == "E009" {
            assert!(message_of(&run, "E009").contains("展开后的文字超过 32 MB"));
        }
    });
}

#[test]
fn a_utf16_document_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let xml = format!(
        "\u{feff}<?xml version=\"1.0\" encoding=\"UTF-16\"?>{}",
        body("<w:p><w:r><w:t>青禾县人民政府2021年政府信息公开工作年度报告</w:t></w:r></w:p>")
    );
    let utf16: Vec<u8> = xml.encode_utf16().flat_map(u16::to_le_bytes).collect();
    let file = fs::File::create(dir.path().join("utf16.docx")).unwrap();
    let mut zip = zip::ZipWriter::new(file);
    zip.start_file(
        "word/document.xml",
        zip::write::SimpleFileOptions::default(),
    )
    .unwrap();
    zip.write_all(&utf16).unwrap();
    zip.finish().unwrap();
    let run = lint(dir.path(), &["check", "--format", "json", "utf16.docx"]);
    assert!(
        !codes(&run)[0].1.contains(&"E009".to_owned()),
        "{}",
        run.stdout
    );
}

// ---- names and text that reach the terminal ----

#[test]
fn names_and_text_never_reach_the_terminal_raw_and_formats_stay_well_formed() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let page = fs::read_to_string(tripping_page()).unwrap();
    let hostile = page.replacen(
        "（七）总计",
        "（七）\u{1b}]0;pwned\u{7}总计\u{1b}[2J\u{202e}",
        1,
    );
    fs::create_dir(d.join("in")).unwrap();
    for name in ["a\u{1b}[31mred.html", "b\u{b}v\nnl.html", "d\\back.html"] {
        write(&d.join("in"), name, &hostile);
    }
    {
        use std::os::unix::ffi::OsStrExt as _;
        let name = std::ffi::OsStr::from_bytes(b"c\xffbad.html");
        fs::write(d.join("in").join(name), &hostile).unwrap();
    }
    let unsafe_chars = |text: &str| {
        text.chars()
            .any(|c| (c.is_control() && c != '\n' && c != '\t') || c == '\u{202e}')
    };
    for format in [
        "human", "concise", "github", "junit", "sarif", "json", "jsonl",
    ] {
        let run = lint(d, &["check", "--format", format, "in"]);
        assert_eq!(run.code, 1, "{format}: {}", run.stderr);
        assert!(
            !unsafe_chars(&run.stdout),
            "{format} lets control characters through"
        );
        // U+FFFD in a name (percent-encoded in a SARIF URI) would make two names look alike.
        let replaced = if format == "sarif" {
            run.stdout.contains("%EF%BF%BD")
        } else {
            run.stdout.contains('\u{fffd}')
        };
        assert!(!replaced, "{format} replaces bytes of a name");
        match format {
            "concise" => {
                assert!(
                    run.stdout.lines().all(|line| line.starts_with("in/")),
                    "{}",
                    run.stdout
                );
            }
            "junit" => {
                let mut reader = quick_xml::Reader::from_str(&run.stdout);
                loop {
                    match reader.read_event() {
                        Ok(quick_xml::events::Event::Eof) => break,
                        Ok(_) => {}
                        Err(error) => panic!("JUnit XML not well-formed: {error}"),
                    }
                }
            }
            "sarif" => assert!(run.stdout.contains("in/d%5Cback.html")),
            "json" => assert!(run.stdout.contains(r#""in/c\\xffbad.html""#)),
            _ => {}
        }
    }
}

// ---- honest messages ----

#[test]
fn an_audit_of_a_path_that_does_not_exist_fails_the_run() {
    let dir = tempfile::tempdir().unwrap();
    let run = lint(dir.path(), &["audit", "/no/such/folder"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("不存在"), "{}", run.stderr);
}

#[test]
fn an_unreadable_folder_is_a_finding() {
    use std::os::unix::fs::PermissionsExt as _;
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    fs::create_dir_all(d.join("reports/locked")).unwrap();
    fs::copy(good_report(), d.join("reports/good.txt")).unwrap();
    fs::copy(good_report(), d.join("reports/locked/good.txt")).unwrap();
    fs::set_permissions(d.join("reports/locked"), fs::Permissions::from_mode(0o000)).unwrap();
    fs::set_permissions(d, fs::Permissions::from_mode(0o755)).unwrap();
    let args = ["check", "--format", "concise", "reports"];
    // Root reads any folder: run as nobody instead, where setpriv (util-linux) can drop to it.
    let mut command = if running_as_root() {
        if !Path::new("/usr/bin/setpriv").exists() {
            eprintln!("skipped: running as root without /usr/bin/setpriv");
            return;
        }
        // A copy inside the temporary folder: nobody may not reach the build folder.
        let copy = d.join("xxgk-lint");
        fs::copy(binary(), &copy).unwrap();
        fs::set_permissions(&copy, fs::Permissions::from_mode(0o755)).unwrap();
        let mut command = Command::new("/usr/bin/setpriv");
        command
            .args(["--reuid=65534", "--regid=65534", "--clear-groups"])
            .arg(copy);
        command
    } else {
        Command::new(binary())
    };
    let output = command.args(args).current_dir(d).output().unwrap();
    // So that the temporary folder can be removed.
    fs::set_permissions(d.join("reports/locked"), fs::Permissions::from_mode(0o755)).unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains("reports/locked: E001"),
        "{stdout}{}",
        String::from_utf8_lossy(&output.stderr)
    );
}
