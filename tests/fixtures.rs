//! Every rule has fixtures that trip it and fixtures that pass it (`fixtures/rules/<name>/`);
//! the human output of each is snapshotted.
#![allow(
    clippy::unwrap_used,
    reason = "test code: a failed unwrap is a failed test"
)]

mod common;

use common::{check, check_set, human, human_set, names, registry, root};

#[test]
fn trip_fixtures_trip_their_rule_and_pass_fixtures_do_not() {
    let registry = registry();
    let dir = root().join("fixtures/rules");
    let mut checked = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let rule_dir = entry.unwrap().path();
        let rule = rule_dir.file_name().unwrap().to_string_lossy().into_owned();
        assert!(
            registry.get(&rule).is_some(),
            "fixture folder {rule} names no rule"
        );
        for file in std::fs::read_dir(&rule_dir).unwrap() {
            let path = file.unwrap().path();
            let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
            // A folder is a set of reports checked together (cross-year rules).
            let results = if path.is_dir() {
                check_set(&path)
            } else {
                vec![check(&path)]
            };
            let fired = results
                .iter()
                .any(|result| names(result).contains(&rule.as_str()));
            if stem.starts_with("trip-") {
                assert!(
                    fired,
                    "{} should trip {rule}:\n{}",
                    path.display(),
                    human_set(&results)
                );
            } else if stem.starts_with("pass-") {
                assert!(
                    !fired,
                    "{} should pass {rule}:\n{}",
                    path.display(),
                    human_set(&results)
                );
            } else {
                panic!("fixture {} is neither trip-* nor pass-*", path.display());
            }
            checked += 1;
        }
    }
    assert!(checked >= 12, "only {checked} rule fixtures found");
}

#[test]
fn good_reports_have_no_findings_and_everything_is_assessable() {
    for entry in std::fs::read_dir(root().join("fixtures/reports")).unwrap() {
        let path = entry.unwrap().path();
        let result = check(&path);
        assert!(
            result.diagnostics.is_empty() && result.not_assessable.is_empty(),
            "{}:\n{}",
            path.display(),
            human(&result)
        );
    }
}

#[test]
fn human_output_of_rule_fixtures() {
    insta::glob!(
        "../fixtures/rules",
        "*/*.{txt,md,html,docx,pdf}",
        |path: &std::path::Path| {
            insta::assert_snapshot!(human(&check(path)));
        }
    );
}

#[test]
fn human_output_of_rule_fixture_sets() {
    let mut sets = 0;
    for rule_dir in std::fs::read_dir(root().join("fixtures/rules")).unwrap() {
        let rule_dir = rule_dir.unwrap().path();
        for entry in std::fs::read_dir(&rule_dir).unwrap() {
            let path = entry.unwrap().path();
            if !path.is_dir() {
                continue;
            }
            sets += 1;
            let name = format!(
                "{}__{}",
                rule_dir.file_name().unwrap().to_string_lossy(),
                path.file_name().unwrap().to_string_lossy()
            );
            insta::with_settings!({ snapshot_suffix => name }, {
                insta::assert_snapshot!("set", human_set(&check_set(&path)));
            });
        }
    }
    assert!(sets >= 4, "only {sets} fixture sets");
}

#[test]
fn report_model_of_good_reports() {
    insta::glob!(
        "../fixtures/reports",
        "*.{txt,md,html,docx,pdf}",
        |path: &std::path::Path| {
            let result = check(path);
            insta::assert_snapshot!(xxgk_lint::render::human::describe(&result));
        }
    );
}

#[test]
fn canonical_text_of_pages() {
    // What the human output shows for a page: reviewed like rule output when extraction changes.
    for name in [
        "reports/2021-good.html",
        "reports/2020-good.html",
        "rules/identity-mismatch/pass-2021-word-layout.html",
        "rules/identity-mismatch/pass-2021-subtotal-column.html",
        "reports/2021-good.docx",
    ] {
        let doc = xxgk_lint::source::read_file(&root().join("fixtures").join(name)).unwrap();
        insta::assert_snapshot!(format!("canonical_{}", name.replace('/', "_")), doc.text);
    }
}

#[test]
fn site_chrome_is_not_part_of_the_report() {
    let doc =
        xxgk_lint::source::read_file(&root().join("fixtures/reports/2021-good.html")).unwrap();
    for chrome in ["首页", "当前位置", "siteId", "分享到", "主办单位", ".nav"] {
        assert!(
            !doc.text.contains(chrome),
            "{chrome} leaked into:\n{}",
            doc.text
        );
    }
    assert!(
        doc.text
            .starts_with("青禾县人民政府2021年政府信息公开工作年度报告\n")
    );
}
