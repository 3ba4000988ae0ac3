//! The configuration's `[publication]`: a declared issuer type and a local deadline change what
//! the deadline rule (P003) holds a report to; mistakes in them are reported with their place.
#![allow(
    clippy::unwrap_used,
    reason = "test code: a failed unwrap is a failed test"
)]

mod common;

use std::path::Path;

use common::root;
use xxgk_lint::config::{Overrides, Settings};
use xxgk_lint::lint;

/// The P003 messages for a fixture checked under a configuration file with this text.
fn late(config: &str, fixture: &str) -> Vec<String> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("xxgk-lint.toml");
    std::fs::write(&path, config).unwrap();
    let settings = Settings::resolve(Some(&path), &Overrides::default(), dir.path()).unwrap();
    let report = root().join("fixtures/rules/publication-late").join(fixture);
    let result = lint::check_file(&report, fixture, &settings.registry);
    result
        .diagnostics
        .iter()
        .filter(|d| d.code == "P003")
        .map(|d| d.message.clone())
        .collect()
}

#[test]
fn a_declared_issuer_type_replaces_the_guess_from_the_name() {
    // A 开发区管委会 of unknown type, published 2022-03-20: on time for a government, late for a
    // department.
    let fixture = "pass-2021-zone-unknown-type.txt";
    assert!(late("", fixture).is_empty());
    let found = late("[publication]\nissuer-type = \"department\"\n", fixture);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].contains("2022年1月31日"), "{found:?}");
    assert!(late("[publication]\nissuer-type = \"government\"\n", fixture).is_empty());
}

#[test]
fn a_local_deadline_replaces_the_statutory_one() {
    // A government's report published 2022-03-20: on time by 31 March, late by a local 28 February.
    let fixture = "pass-2021-government-march.txt";
    let found = late("[publication]\ndeadline = \"02-28\"\n", fixture);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0].contains("本地规定的公布期限 2022年2月28日"),
        "{found:?}"
    );
    // And for a body with no national deadline.
    let found = late(
        "[publication]\nissuer-type = \"other\"\ndeadline = \"03-15\"\n",
        "pass-2021-zone-unknown-type.txt",
    );
    assert_eq!(found.len(), 1, "{found:?}");
}

#[test]
fn mistakes_in_publication_are_reported_at_their_place() {
    for (text, expected) in [
        ("[publication]\nissuer-type = \"county\"\n", "2:15"),
        ("[publication]\ndeadline = \"13-01\"\n", "2:12"),
        ("[publication]\ndeadlin = \"01-31\"\n", "2:1"),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("xxgk-lint.toml");
        std::fs::write(&path, text).unwrap();
        let error = Settings::resolve(Some(&path), &Overrides::default(), Path::new("."))
            .expect_err("the configuration is wrong")
            .to_string();
        assert!(error.contains(expected), "{text}: {error}");
    }
}

#[test]
fn show_config_states_the_publication_settings() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("xxgk-lint.toml");
    std::fs::write(
        &path,
        "[publication]\nissuer-type = \"government\"\ndeadline = \"02-20\"\n",
    )
    .unwrap();
    let settings = Settings::resolve(Some(&path), &Overrides::default(), dir.path()).unwrap();
    let described = settings.describe(&dir.path().join("a.html"));
    assert!(
        described.contains("[publication]\nissuer-type = \"government\"\ndeadline = \"02-20\""),
        "{described}"
    );
}

/// The publication date the model reads from a file.
fn published(path: &Path) -> Option<(String, String)> {
    let registry = common::registry();
    let doc = xxgk_lint::source::read_file(path).unwrap();
    let report = xxgk_lint::model::Report::build(&doc, registry.model());
    report.published.map(|published| {
        let source = match published.source {
            xxgk_lint::model::published::DateSource::Labelled(label) => label,
            xxgk_lint::model::published::DateSource::Signature => "落款".to_owned(),
        };
        (published.date.to_string(), source)
    })
}

#[test]
fn corpus_publication_dates_are_the_indexed_ones() {
    let Some(corpus) = common::shared_or_skip("corpus") else {
        return;
    };
    let index = std::fs::read_to_string(corpus.join("INDEX.tsv")).unwrap();
    let mut lines = index.lines();
    let header: Vec<&str> = lines.next().unwrap().split('\t').collect();
    let column = |name: &str| header.iter().position(|h| *h == name).unwrap();
    let (file, published_at) = (column("file"), column("published"));
    let mut compared = 0;
    for line in lines.filter(|line| !line.trim().is_empty()) {
        let fields: Vec<&str> = line.split('\t').collect();
        let found = published(&corpus.join(fields[file]));
        // The index records the page's date. The crawler's copies keep it in their header; the
        // saved article bodies (html/) and the PDF do not state it, and then nothing is read.
        match (fields[published_at].get(..10), found) {
            (Some(date), Some((found, _))) => {
                assert_eq!(found, date, "{}", fields[file]);
                compared += 1;
            }
            (_, None) => assert!(
                !fields[file].starts_with("text/"),
                "{}: no date read",
                fields[file]
            ),
            (None, Some(found)) => panic!("{}: {found:?} read, none indexed", fields[file]),
        }
    }
    assert!(compared >= 19, "only {compared} dates compared");
}

#[test]
fn seed_002_is_dated_by_its_page_not_its_signature() {
    let Some(seeds) = common::shared_or_skip("seeds") else {
        return;
    };
    let seed = std::fs::read_dir(&seeds)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .find(|path| {
            path.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with("002_")
        })
        .unwrap();
    // Signed 2018年2月6日; the page says 发布时间 : 2018-02-12, when it was put before the public.
    assert_eq!(
        published(&seed),
        Some(("2018-02-12".to_owned(), "发布时间".to_owned()))
    );
}
