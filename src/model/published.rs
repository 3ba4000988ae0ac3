//! When a report was published, as its page or its text says (spec §1.2), and what the
//! configuration declares about its publisher.
//!
//! Two places state a date: the page's metadata near the top (`发布时间：2022-01-20`,
//! `发文日期: 2021年03月08日` — the labels are data, the deadline rule's `words`), and the date
//! signed under the report (a paragraph holding nothing but `2018年2月6日`, among the last ones).
//! The page's date is preferred: it is when the report was put before the public, which is what
//! the deadline is about; the signature is when it was signed, which can only be earlier (seed 002
//! is signed 2018-02-06 and shows 发布时间 2018-02-12). Either way a date after the deadline
//! proves the report late; a signature before it proves nothing about publication.

use std::sync::LazyLock;

use jiff::civil::Date;
use regex::Regex;
use serde::Deserialize;

use super::sections::Heading;
use crate::source::Document;
use crate::text::{Folded, TextRange, fold};

/// Leading paragraphs where a page's metadata may stand (when no heading ends them sooner).
const METADATA_PARAGRAPHS: usize = 20;
/// Trailing paragraphs where a signature may stand (site boilerplate often follows it).
const SIGNATURE_PARAGRAPHS: usize = 8;

/// What kind of body publishes a report, which sets its statutory deadline (2019 条例 第四十九条).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum IssuerType {
    /// A 县级以上地方人民政府 (its report is published by its 主管部门): by 31 March.
    Government,
    /// A 县级以上人民政府部门 (a government's own 办公厅/办公室 included): by 31 January.
    Department,
    /// Any other body (乡镇、街道 …): no national deadline; a local one may be configured.
    Other,
}

impl IssuerType {
    /// The name used in rule and configuration files.
    pub fn name(self) -> &'static str {
        match self {
            Self::Government => "government",
            Self::Department => "department",
            Self::Other => "other",
        }
    }

    /// Parses a name used in rule and configuration files.
    pub fn parse(name: &str) -> Option<Self> {
        match name {
            "government" => Some(Self::Government),
            "department" => Some(Self::Department),
            "other" => Some(Self::Other),
            _ => None,
        }
    }

    /// The names, for messages.
    pub const NAMES: [&'static str; 3] = ["government", "department", "other"];
}

/// A month and day (a deadline in the year after the report year).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MonthDay {
    /// 1–12.
    pub month: i8,
    /// 1–31.
    pub day: i8,
}

impl MonthDay {
    /// Parses `MM-DD` (`01-31`); `None` unless it is a day of some year (02-29 is refused: a
    /// deadline must exist every year).
    pub fn parse(text: &str) -> Option<Self> {
        let (month, day) = text.trim().split_once('-')?;
        let (month, day): (i8, i8) = (month.parse().ok()?, day.parse().ok()?);
        Date::new(2023, month, day).ok()?;
        Some(Self { month, day })
    }

    /// This month and day in a year.
    pub fn in_year(self, year: i16) -> Option<Date> {
        Date::new(year, self.month, self.day).ok()
    }
}

/// What the configuration declares about the publisher of the reports it covers
/// (`[publication]` in `xxgk-lint.toml`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Declared {
    /// The publisher's type, instead of the guess from the title.
    pub issuer_type: Option<IssuerType>,
    /// A local deadline (in the year after the report year), instead of the statutory one.
    pub deadline: Option<MonthDay>,
}

/// Where a publication date was read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DateSource {
    /// The page's metadata, after this label (`发布时间`).
    Labelled(String),
    /// The date signed under the report.
    Signature,
}

/// A date the report states for its publication.
#[derive(Clone, Debug)]
pub struct PublishedDate {
    /// The date.
    pub date: Date,
    /// Where it was read.
    pub source: DateSource,
    /// The date as written (label included for a labelled date).
    pub range: TextRange,
}

/// The labels that introduce a publication date (`发布时间` …), normalised, in order of
/// preference.
#[derive(Clone, Debug, Default)]
pub struct PublicationWords {
    words: Vec<String>,
}

impl PublicationWords {
    /// Adds labels (any form: they are normalised); earlier ones are preferred.
    pub fn extend(&mut self, words: impl IntoIterator<Item = String>) {
        for word in words {
            let word = fold(&word);
            if !word.is_empty() && !self.words.contains(&word) {
                self.words.push(word);
            }
        }
    }

    /// The labels, normalised.
    pub fn words(&self) -> &[String] {
        &self.words
    }
}

/// A date as pages write it: `2022-01-20`, `2022/1/20`, `2022.01.20`, `2022年1月20日` (a time may
/// follow; spaces are kept as one, so `2022-02-08 16:34` does not read as day `0816`).
static DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^ ?:? ?(\d{4}) ?(?:-|/|\.|年) ?(\d{1,2}) ?(?:-|/|\.|月) ?(\d{1,2})(?: ?日)?(?:$|[^\d])",
    )
    .expect("date pattern is valid")
});

/// A paragraph that is nothing but a date written out (`2018年2月6日`).
static SIGNATURE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$").expect("signature pattern is valid")
});

/// The publication date the document states: the first labelled date in the leading
/// paragraphs (before the first section heading), in the order of the labels' preference; else the
/// last date signed in the trailing paragraphs.
pub fn find_published(
    doc: &Document,
    headings: &[Heading],
    words: &PublicationWords,
) -> Option<PublishedDate> {
    labelled(doc, headings, words).or_else(|| signature(doc, headings))
}

fn labelled(
    doc: &Document,
    headings: &[Heading],
    words: &PublicationWords,
) -> Option<PublishedDate> {
    if words.words().is_empty() {
        return None;
    }
    let body_start = headings
        .iter()
        .find(|heading| heading.level == 1)
        .map_or(usize::MAX, |heading| heading.range.start);
    let mut best: Option<(usize, PublishedDate)> = None;
    for range in doc.paragraphs().take(METADATA_PARAGRAPHS) {
        if range.start >= body_start {
            break;
        }
        // A crawler's body run onto one line starts before the first heading: only its opening
        // counts as metadata.
        let end = range.end.min(body_start);
        let Some(source) = doc.text.get(range.start..end) else {
            continue;
        };
        let folded = Folded::with_spaces(source, range.start);
        let text = folded.as_str();
        for (rank, word) in words.words().iter().enumerate() {
            if best
                .as_ref()
                .is_some_and(|(best_rank, _)| *best_rank <= rank)
            {
                break;
            }
            for (at, _) in text.match_indices(word.as_str()) {
                let after = at + word.len();
                let Some(caps) = DATE.captures(&text[after..]) else {
                    continue;
                };
                let (Some(date), Some(day)) = (date_of(&caps), caps.get(3)) else {
                    continue;
                };
                best = Some((
                    rank,
                    PublishedDate {
                        date,
                        source: DateSource::Labelled(word.clone()),
                        range: folded.source_range(at..after + day.end()),
                    },
                ));
                break;
            }
        }
    }
    best.map(|(_, date)| date)
}

fn signature(doc: &Document, headings: &[Heading]) -> Option<PublishedDate> {
    let last_heading = headings
        .iter()
        .filter(|heading| heading.level == 1)
        .map(|heading| heading.range.end)
        .max()?;
    let paragraphs: Vec<TextRange> = doc.paragraphs().collect();
    let tail = paragraphs.len().saturating_sub(SIGNATURE_PARAGRAPHS);
    paragraphs[tail..]
        .iter()
        .rev()
        .filter(|range| range.start >= last_heading)
        .find_map(|range| {
            let folded = Folded::new(doc.slice(*range), range.start);
            let caps = SIGNATURE.captures(folded.as_str())?;
            Some(PublishedDate {
                date: date_of(&caps)?,
                source: DateSource::Signature,
                range: folded.source_range(0..folded.as_str().len()),
            })
        })
}

fn date_of(caps: &regex::Captures<'_>) -> Option<Date> {
    let number = |index: usize| caps.get(index)?.as_str().parse::<i16>().ok();
    let (year, month, day) = (number(1)?, number(2)?, number(3)?);
    Date::new(year, i8::try_from(month).ok()?, i8::try_from(day).ok()?).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::sections::find_headings;
    use crate::source::{SourceKind, read_bytes};

    fn published(text: &str) -> Option<(String, String, DateSource)> {
        let doc = read_bytes(text.as_bytes(), Some(SourceKind::Text)).unwrap();
        let mut words = PublicationWords::default();
        words.extend(["发布时间", "发布日期", "发文日期", "成文日期"].map(String::from));
        let headings = find_headings(&doc);
        find_published(&doc, &headings, &words).map(|found| {
            (
                found.date.to_string(),
                doc.slice(found.range).to_owned(),
                found.source,
            )
        })
    }

    const BODY: &str =
        "一、总体情况\n\n全年主动公开信息100条。\n\n六、其他需要报告的事项\n\n无。\n";

    #[test]
    fn a_labelled_date_is_read_in_its_forms() {
        for (line, date) in [
            ("发布时间 : 2018-02-12     来源:门户网站", "2018-02-12"),
            ("发布时间: 2022-02-08 16:34", "2022-02-08"),
            ("信息来源: 发文日期: 2021年03月08日", "2021-03-08"),
            ("发布日期：2022/1/5", "2022-01-05"),
            ("成文日期：2022.01.28", "2022-01-28"),
        ] {
            let text = format!("某县2021年政府信息公开工作年度报告\n\n{line}\n\n{BODY}");
            let (found, _, source) = published(&text).unwrap_or_else(|| panic!("{line}"));
            assert_eq!(found, date, "{line}");
            assert!(matches!(source, DateSource::Labelled(_)), "{line}");
        }
    }

    #[test]
    fn the_page_date_is_preferred_to_the_signature_and_to_later_labels() {
        let text = format!(
            "报告\n\n成文日期：2022-01-10 发布时间：2022-02-12\n\n{BODY}\n某县人民政府\n\n2022年2月6日\n\n扫一扫在手机打开当前页\n"
        );
        let (date, shown, source) = published(&text).unwrap();
        assert_eq!(date, "2022-02-12");
        assert_eq!(shown, "发布时间：2022-02-12");
        assert_eq!(source, DateSource::Labelled("发布时间".to_owned()));
    }

    #[test]
    fn a_signature_is_read_when_the_page_states_no_date() {
        let text =
            format!("报告\n\n{BODY}\n某县人民政府\n\n2022年2月6日\n\n扫一扫在手机打开当前页\n");
        let (date, shown, source) = published(&text).unwrap();
        assert_eq!(
            (date.as_str(), shown.as_str()),
            ("2022-02-06", "2022年2月6日")
        );
        assert_eq!(source, DateSource::Signature);
    }

    #[test]
    fn dates_in_the_body_are_not_publication_dates() {
        // A labelled date after the first heading, a date inside a sentence: neither counts.
        let text = "报告\n\n一、总体情况\n\n发布时间：2022-05-01\n\n截至2022年3月1日共发布信息。\n\n六、其他\n\n无。\n";
        assert_eq!(published(text), None);
        assert_eq!(MonthDay::parse("02-29"), None);
        assert_eq!(
            MonthDay::parse("1-31"),
            Some(MonthDay { month: 1, day: 31 })
        );
    }
}
