//! The report's title, year, issuing body and kind (annual report or something else).

use std::sync::LazyLock;

use regex::Regex;
use serde::Serialize;

use crate::source::Document;
use crate::text::{TextRange, fold};

/// How many leading paragraphs may hold the title.
const TITLE_SEARCH_PARAGRAPHS: usize = 20;
/// A title is a short line.
const MAX_TITLE_CHARS: usize = 100;

/// Whether the document is an annual report.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ReportKind {
    /// A 政府信息公开工作年度报告.
    AnnualReport,
    /// Something else (a 工作要点落实情况 report, a work summary, an unrelated page).
    Other,
}

/// The title line.
#[derive(Clone, Debug)]
pub struct Title {
    /// Its text, without a `标题:` prefix or a site-name suffix.
    pub text: String,
    /// Where it is.
    pub range: TextRange,
}

static YEAR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"((?:19|20)\d{2})\s*年").expect("year pattern is valid"));

/// Words of a title that name a disclosure report.
const TITLE_WORDS: &[&str] = &["政府信息公开", "信息公开", "政务公开"];
/// Words of a title that name the annual report itself.
const REPORT_WORDS: &[&str] = &["年度报告", "年报", "工作报告"];
/// Prefixes that crawlers and CMS pages put before a title.
const TITLE_PREFIXES: &[&str] = &["标题:", "名称:", "标题：", "名称："];
/// Separators before a site-name suffix in an HTML `<title>`.
const TITLE_SUFFIX_SEPARATORS: &[&str] = &["_", " - ", "|", "——"];

/// Finds the title: the first short leading paragraph that names a disclosure report and a year;
/// failing that, one that names a disclosure report and the words 年度报告/年报. (A site's column
/// name, `政府信息公开年报`, often comes before the real title.)
pub fn find_title(doc: &Document) -> Option<Title> {
    let candidates: Vec<Title> = doc
        .paragraphs()
        .take(TITLE_SEARCH_PARAGRAPHS)
        .filter_map(|range| title_in(doc, range))
        .collect();
    let has_year = |title: &Title| YEAR.is_match(&fold(&title.text));
    let index = candidates
        .iter()
        .position(has_year)
        .or_else(|| (!candidates.is_empty()).then_some(0))?;
    candidates.into_iter().nth(index)
}

fn title_in(doc: &Document, range: TextRange) -> Option<Title> {
    let line = doc.slice(range);
    if line.chars().count() > MAX_TITLE_CHARS {
        return None;
    }
    let mut start = range.start;
    let mut text = line;
    for prefix in TITLE_PREFIXES {
        if let Some(rest) = text.strip_prefix(prefix) {
            start += prefix.len();
            text = rest;
        }
    }
    let leading = text.len() - text.trim_start().len();
    start += leading;
    text = text.trim();
    for separator in TITLE_SUFFIX_SEPARATORS {
        if let Some(at) = text.find(separator)
            && REPORT_WORDS.iter().any(|word| text[..at].contains(word))
        {
            text = text[..at].trim_end();
        }
    }
    let folded = fold(text);
    let names_disclosure = TITLE_WORDS.iter().any(|word| folded.contains(word));
    let names_report = REPORT_WORDS.iter().any(|word| folded.contains(word));
    let has_year = YEAR.is_match(&folded);
    // A column heading such as "政府信息公开" alone is not a title.
    if !names_disclosure || !(names_report || has_year) {
        return None;
    }
    Some(Title {
        text: text.to_owned(),
        range: TextRange::new(start, start + text.len()),
    })
}

/// The report year written in the title (`2020年`), with its span.
pub fn year_in_title(title: &Title) -> Option<(i32, TextRange)> {
    let caps = YEAR.captures(&title.text)?;
    let year = caps.get(1)?;
    let value: i32 = year.as_str().parse().ok()?;
    (2000..=2100).contains(&value).then(|| {
        (
            value,
            TextRange::new(
                title.range.start + year.start(),
                title.range.start + year.end(),
            ),
        )
    })
}

/// The issuing body named in the title: the text before the year, or between the year and the
/// report words when the year comes first (`2019年上海市人民政府办公厅政府信息公开…`).
pub fn issuer_in_title(title: &Title) -> Option<String> {
    let caps = YEAR.captures(&title.text)?;
    let whole = caps.get(0)?;
    let before = title.text[..whole.start()].trim();
    let candidate = if before.is_empty() {
        let after = title.text[whole.end()..].trim_start_matches('度');
        let end = TITLE_WORDS
            .iter()
            .filter_map(|word| after.find(word))
            .min()
            .unwrap_or(after.len());
        after[..end].trim()
    } else {
        before
    };
    let candidate = candidate.trim_matches(|c: char| c.is_whitespace() || "，,、：:".contains(c));
    (!candidate.is_empty()).then(|| candidate.to_owned())
}

/// Decides whether the document is an annual report, with the evidence. `other_words` mark a
/// document as something else (`工作要点落实情况`; the document-kind rule's data).
pub fn classify_kind(
    doc: &Document,
    title: Option<&Title>,
    has_statutory_tables: bool,
    other_words: &[String],
) -> (ReportKind, String) {
    let opening: String = doc
        .paragraphs()
        .take(4)
        .map(|range| fold(doc.slice(range)))
        .collect();
    let other_word = |text: &str| {
        other_words
            .iter()
            .find(|word| text.contains(word.as_str()))
            .map(String::as_str)
    };
    if let Some(title) = title {
        let folded = fold(&title.text);
        if let Some(word) = other_word(&folded)
            && !REPORT_WORDS.iter().any(|report| folded.contains(report))
        {
            return (ReportKind::Other, format!("标题含「{word}」"));
        }
        return (ReportKind::AnnualReport, format!("标题「{}」", title.text));
    }
    if let Some(word) = other_word(&opening)
        && !has_statutory_tables
    {
        return (ReportKind::Other, format!("开头含「{word}」，且没有标题"));
    }
    if has_statutory_tables {
        return (ReportKind::AnnualReport, "含法定统计表".to_owned());
    }
    if opening.contains("年度报告") || opening.contains("年报") {
        return (ReportKind::AnnualReport, "开头提及「年度报告」".to_owned());
    }
    if opening.contains("政府信息公开") && opening.contains("报告") {
        return (
            ReportKind::AnnualReport,
            "开头提及「政府信息公开」报告".to_owned(),
        );
    }
    (
        ReportKind::Other,
        "未发现年度报告标题、法定统计表或法定章节".to_owned(),
    )
}
