//! Conventions of the rule set, and errors of rule files.
#![allow(
    clippy::unwrap_used,
    reason = "test code: a failed unwrap is a failed test"
)]

mod common;

use std::fs;

use common::{registry, root};
use xxgk_lint::rules::Registry;

#[test]
fn every_rule_is_documented_and_has_trip_and_pass_fixtures() {
    for rule in registry().rules() {
        for (part, text) in [
            ("summary", &rule.summary),
            ("clause", &rule.clause),
            ("docs.what", &rule.docs.what),
            ("docs.why", &rule.docs.why),
            ("docs.example", &rule.docs.example),
        ] {
            assert!(!text.trim().is_empty(), "{} has no {part}", rule.code);
        }
        let dir = root().join("fixtures/rules").join(&rule.name);
        let names: Vec<String> = fs::read_dir(&dir)
            .unwrap_or_else(|_| panic!("{} has no fixture folder {}", rule.code, dir.display()))
            .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert!(
            names.iter().any(|n| n.starts_with("trip-")),
            "{} has no trip fixture",
            rule.code
        );
        assert!(
            names.iter().any(|n| n.starts_with("pass-")),
            "{} has no pass fixture",
            rule.code
        );
    }
}

#[test]
fn rule_files_are_named_after_their_code_and_name_in_a_family_folder() {
    for rule in registry().rules() {
        let path = std::path::Path::new(&rule.source);
        let stem = path.file_stem().unwrap().to_string_lossy();
        assert_eq!(
            stem,
            format!("{}-{}", rule.code, rule.name),
            "{}",
            rule.source
        );
        let family = path
            .parent()
            .unwrap()
            .file_name()
            .unwrap()
            .to_string_lossy();
        let expected = match &rule.code[..1] {
            "S" => "structure",
            "T" => "tables",
            "P" => "period",
            "N" => "narrative",
            other => panic!("no family folder for prefix {other}"),
        };
        assert_eq!(family, expected, "{}", rule.source);
    }
}

#[test]
fn messages_follow_the_house_style() {
    for rule in registry().rules() {
        for (key, message) in rule.messages.iter().chain(&rule.help) {
            assert!(
                !message.ends_with(['。', '！', '.']),
                "{} {key}: no closing full stop",
                rule.code
            );
            assert!(
                !message.contains('"'),
                "{} {key}: quote document text with 「」",
                rule.code
            );
        }
    }
}

/// Digits in normalised text are ASCII; `\d` (every script's digits) makes automata several
/// times larger, compiled on every run (`[^。;,\d]{0,20}` ≈ 2 ms, with `0-9` ≈ 0.4 ms).
#[test]
fn built_in_patterns_write_digits_as_0_to_9() {
    for rule in registry().rules() {
        let text = fs::read_to_string(root().join(&rule.source)).unwrap();
        for (number, line) in text.lines().enumerate() {
            assert!(
                line.trim_start().starts_with('#') || !line.contains("\\d"),
                "{}:{}: write [0-9] for \\d",
                rule.source,
                number + 1
            );
        }
    }
}

fn load_error(text: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("rule.toml"), text).unwrap();
    let mut registry = Registry::builtin().unwrap();
    let error = registry
        .extend_from_dir(dir.path())
        .expect_err("the rule file is bad");
    format!("{}:{}: {}", error.line, error.column, error.message)
}

const HEADER: &str = r#"code = "X001"
name = "custom"
severity = "error"
summary = "s"
clause = "c"
[docs]
what = "w"
why = "y"
example = "e"
"#;

#[test]
fn load_errors_point_at_the_offending_line() {
    let unknown_key = load_error(&format!(
        "{HEADER}[check]\nkind = \"period-statement\"\nwordings = [\"统计期限\"]\nextra = 1\n[messages]\nmissing = \"m\"\n"
    ));
    assert!(
        unknown_key.starts_with("13:1: 未知的键 `extra`"),
        "{unknown_key}"
    );

    let unknown_row = load_error(&format!(
        "{HEADER}[check]\nkind = \"year-change\"\nratio = 5.0\nfloor = 30\n[[check.cells]]\ntable = \"表三\"\nrows = [\"第九十九行\"]\ncolumns = [\"总计\"]\n[messages]\njump = \"j\"\n"
    ));
    assert!(
        unknown_row.starts_with("16:") && unknown_row.contains("未知的行「第九十九行」"),
        "{unknown_row}"
    );

    let typo = load_error(&format!("{HEADER}[check]\nkind = \"period-statment\"\n"));
    assert!(
        typo.starts_with("11:8:") && typo.contains("period-statement"),
        "{typo}"
    );

    let placeholder = load_error(&format!(
        "{HEADER}[messages]\nmissing = \"{{nope}}\"\n[check]\nkind = \"period-statement\"\nwordings = [\"统计期限\"]\n"
    ));
    assert!(
        placeholder.starts_with("11:11:") && placeholder.contains("{nope}"),
        "{placeholder}"
    );

    let missing_message = load_error(&format!(
        "{HEADER}[check]\nkind = \"period-statement\"\nwordings = [\"统计期限\"]\n"
    ));
    assert!(
        missing_message.contains("缺少「missing」"),
        "{missing_message}"
    );

    let era = load_error(&format!(
        "{HEADER}[messages]\nmissing = \"m\"\nno-list = \"n\"\n[check]\nkind = \"required-sections\"\n[[check.set]]\neras = [\"format-2030\"]\nheadings = \"top-level\"\n[[check.set.section]]\ntitle = \"t\"\nkeywords = [[\"k\"]]\n"
    ));
    assert!(
        era.starts_with("16:9:") && era.contains("format-2030"),
        "{era}"
    );

    let bad_code = load_error(&HEADER.replace("X001", "E123").replace(
        "[docs]",
        "[check]\nkind = \"period-statement\"\nwordings = [\"统计期限\"]\n[docs]",
    ));
    assert!(bad_code.starts_with("1:8:"), "{bad_code}");
}

#[test]
fn a_user_rule_may_not_reuse_a_built_in_name_under_another_code() {
    let text = fs::read_to_string(root().join("rules/period/P001-period-missing.toml"))
        .unwrap()
        .replace("code = \"P001\"", "code = \"P009\"");
    let error = load_error(&text);
    assert!(error.contains("period-missing"), "{error}");
}

#[test]
fn the_readme_lists_every_rule_and_engine_code() {
    let readme = fs::read_to_string(root().join("README.md")).unwrap();
    for rule in registry().rules() {
        let row = format!("| {} | `{}` |", rule.code, rule.name);
        assert!(
            readme.contains(&row),
            "README lacks the row for {} {}",
            rule.code,
            rule.name
        );
    }
    for engine in xxgk_lint::lint::ENGINE_CODES {
        let (code, name) = (engine.code, engine.name);
        let row = format!("| {code} | `{name}` |");
        assert!(
            readme.contains(&row),
            "README lacks the row for {code} {name}"
        );
    }
}
