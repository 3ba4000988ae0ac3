//! The statistical-period statement (统计期限): `本报告中所列数据的统计期限自2020年1月1日起至
//! 2020年12月31日止` and its variants (spec §7).
//!
//! Matching runs on the normalised text with all whitespace removed, so `2025 年 1 月 1 日` reads
//! as `2025年1月1日`; the span reported is the source text it came from. The words that introduce
//! the period (`统计期限`, `统计时限` …) are data: the period rule's `wordings`.

use std::sync::LazyLock;

use regex::Regex;
use serde::Serialize;

use crate::source::{Document, TableKind};
use crate::text::{Folded, TextRange, fold_char};

/// A calendar date as written in the statement (the year may be left out).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct WrittenDate {
    /// The year, when written.
    pub year: Option<i32>,
    /// The month.
    pub month: u32,
    /// The day.
    pub day: u32,
}

/// A statistical-period statement.
#[derive(Clone, Debug)]
pub struct PeriodStatement {
    /// The statement, from its subject (`本报告中所列数据`) to its last date.
    pub range: TextRange,
    /// The first and last day, when they could be read.
    pub dates: Option<(WrittenDate, WrittenDate)>,
}

/// The subject that may come before the wording (`本报告中所列数据的`).
const SUBJECT: &str = r"(?:(?:本年度报告|本报告|年报|报告)?中?(?:所列|使用|所有)?的?数据的?)?";

/// The wordings that introduce a statistical period (`统计期限`, `统计时限` …), compiled.
#[derive(Clone, Debug, Default)]
pub struct PeriodWordings {
    words: Vec<String>,
    anchor: Option<Regex>,
    /// The first characters of the wordings (normalised): a paragraph without any is skipped.
    first_chars: Vec<char>,
}

impl PeriodWordings {
    /// Compiles wordings (any form: they are normalised).
    pub fn new(words: impl IntoIterator<Item = String>) -> Self {
        let mut folded: Vec<String> = words
            .into_iter()
            .map(|word| crate::text::fold(&word))
            .filter(|word| !word.is_empty())
            .collect();
        folded.sort();
        folded.dedup();
        // Longer wordings first, so that one containing another wins.
        folded.sort_by_key(|word| std::cmp::Reverse(word.len()));
        let anchor = (!folded.is_empty())
            .then(|| {
                let alternatives: Vec<String> =
                    folded.iter().map(|word| regex::escape(word)).collect();
                Regex::new(&format!("{SUBJECT}(?:{})", alternatives.join("|"))).ok()
            })
            .flatten();
        let mut first_chars: Vec<char> = folded
            .iter()
            .filter_map(|word| word.chars().next())
            .collect();
        first_chars.dedup();
        Self {
            words: folded,
            anchor,
            first_chars,
        }
    }

    /// Adds more wordings.
    pub fn extend(&mut self, words: impl IntoIterator<Item = String>) {
        let all = self.words.iter().cloned().chain(words).collect::<Vec<_>>();
        *self = Self::new(all);
    }

    /// The wordings, normalised.
    pub fn words(&self) -> &[String] {
        &self.words
    }
}

/// Both dates written out in full (`2020年1月1日…至2020年12月31日`; the second year optional).
static EXPLICIT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?:为|是|:|自|从)*(?P<y1>\d{4})年(?P<m1>\d{1,2})月(?P<d1>\d{1,2})日?起?,?(?:至|到|—|-|~)+(?:(?P<y2>\d{4})年)?(?P<m2>\d{1,2})月(?P<d2>\d{1,2})日?止?",
    )
    .expect("explicit pattern is valid")
});

/// Dates whose 年 and 月 were lost in extraction (`201711日至20171231日`): only 1/1 and 12/31 are
/// accepted, which keeps the reading unambiguous.
static COMPACT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?:为|是|:|自|从)*(?P<y1>\d{4})年?0?1月?0?1日起?,?(?:至|到|—|-|~)+(?:(?P<y2>\d{4})年?)?12月?31日止?",
    )
    .expect("compact pattern is valid")
});

/// Month-only statements (`2020年1月至12月`).
static MONTHS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?:为|是|:|自|从)*(?P<y1>\d{4})年(?P<m1>\d{1,2})月份?起?,?(?:至|到|—|-|~)+(?:(?P<y2>\d{4})年)?(?P<m2>\d{1,2})月份?止?",
    )
    .expect("month pattern is valid")
});

/// Finds the first statistical-period statement. One whose dates can be read is preferred over one
/// whose dates were lost.
pub fn find_period(doc: &Document, wordings: &PeriodWordings) -> Option<PeriodStatement> {
    let anchor_pattern = wordings.anchor.as_ref()?;
    let mut unreadable = None;
    // A converter may have put prose into a table (markitdown's pipe tables): its rows are read
    // after the paragraphs.
    let prose_rows = doc
        .tables()
        .filter(|table| matches!(table.kind, TableKind::Markdown | TableKind::Flattened))
        .flat_map(|table| table.rows.iter().map(|row| row.range));
    for range in doc.paragraphs().chain(prose_rows) {
        let source = doc.slice(range);
        // A cheap filter before folding the paragraph, with the same per-character folding (so
        // 統 in a copy in traditional characters passes too).
        if !source
            .chars()
            .any(|c| fold_char(c).is_some_and(|c| wordings.first_chars.contains(&c)))
        {
            continue;
        }
        let folded = Folded::new(source, range.start);
        for anchor in anchor_pattern.find_iter(folded.as_str()) {
            let after = &folded.as_str()[anchor.end()..];
            match read_dates(after) {
                Some((dates, length)) => {
                    return Some(PeriodStatement {
                        range: folded.source_range(anchor.start()..anchor.end() + length),
                        dates: Some(dates),
                    });
                }
                None => {
                    unreadable.get_or_insert(PeriodStatement {
                        range: folded.source_range(anchor.start()..anchor.end()),
                        dates: None,
                    });
                }
            }
        }
    }
    unreadable
}

fn read_dates(after: &str) -> Option<((WrittenDate, WrittenDate), usize)> {
    let number = |caps: &regex::Captures<'_>, name: &str| -> Option<u32> {
        caps.name(name).and_then(|m| m.as_str().parse().ok())
    };
    let year = |caps: &regex::Captures<'_>, name: &str| -> Option<i32> {
        caps.name(name).and_then(|m| m.as_str().parse().ok())
    };
    if let Some(caps) = EXPLICIT.captures(after) {
        let start = WrittenDate {
            year: year(&caps, "y1"),
            month: number(&caps, "m1")?,
            day: number(&caps, "d1")?,
        };
        let end = WrittenDate {
            year: year(&caps, "y2"),
            month: number(&caps, "m2")?,
            day: number(&caps, "d2")?,
        };
        return Some(((start, end), caps.get(0)?.end()));
    }
    if let Some(caps) = COMPACT.captures(after) {
        let start = WrittenDate {
            year: year(&caps, "y1"),
            month: 1,
            day: 1,
        };
        let end = WrittenDate {
            year: year(&caps, "y2"),
            month: 12,
            day: 31,
        };
        return Some(((start, end), caps.get(0)?.end()));
    }
    if let Some(caps) = MONTHS.captures(after) {
        let end_month = number(&caps, "m2")?;
        let start = WrittenDate {
            year: year(&caps, "y1"),
            month: number(&caps, "m1")?,
            day: 1,
        };
        let end = WrittenDate {
            year: year(&caps, "y2"),
            month: end_month,
            day: days_in_month(end_month),
        };
        return Some(((start, end), caps.get(0)?.end()));
    }
    None
}

fn days_in_month(month: u32) -> u32 {
    match month {
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::{SourceKind, read_bytes};

    fn period(text: &str) -> Option<(String, Option<(WrittenDate, WrittenDate)>)> {
        let doc = read_bytes(text.as_bytes(), Some(SourceKind::Text)).unwrap();
        let wordings = PeriodWordings::new(
            ["统计期限", "统计时限", "统计期间", "统计周期", "统计时间"].map(String::from),
        );
        find_period(&doc, &wordings).map(|p| (doc.slice(p.range).to_owned(), p.dates))
    }

    fn date(year: Option<i32>, month: u32, day: u32) -> WrittenDate {
        WrittenDate { year, month, day }
    }

    #[test]
    fn spec_variants_are_read() {
        let cases = [
            (
                "本报告中所列数据的统计期限为2020年1月1日起至2020年12月31日。",
                Some(2020),
                Some(2020),
            ),
            (
                "本报告中所列数据的统计期限自2017年1月1日起,至2017年12月31日止。",
                Some(2017),
                Some(2017),
            ),
            (
                "本年度报告中所列数据统计期限从2019年1月1日到12月31日止。",
                Some(2019),
                None,
            ),
            (
                "所列数据统计期限为 2025  1  1  日至 2025  12  31  日。",
                Some(2025),
                Some(2025),
            ),
            ("统计期限为201711日至20171231日", Some(2017), Some(2017)),
            (
                "本报告中所列数据的统计时限自2012年1月1日至2012年12月31日。",
                Some(2012),
                Some(2012),
            ),
            (
                "年报中所有数据统计期限为2022年1月1日至2022年12月31日。",
                Some(2022),
                Some(2022),
            ),
        ];
        for (text, y1, y2) in cases {
            let (_, dates) = period(text).unwrap_or_else(|| panic!("no period in {text}"));
            let (start, end) = dates.unwrap_or_else(|| panic!("no dates in {text}"));
            assert_eq!(start, date(y1, 1, 1), "{text}");
            assert_eq!(end, date(y2, 12, 31), "{text}");
        }
    }

    #[test]
    fn span_covers_the_statement() {
        let (shown, _) =
            period("前言。本报告中所列数据的统计期限为2020年1月1日起至2020年12月31日。其他")
                .unwrap();
        assert_eq!(
            shown,
            "本报告中所列数据的统计期限为2020年1月1日起至2020年12月31日"
        );
    }

    #[test]
    fn other_days_and_lost_dates() {
        let (_, dates) = period("统计期限为2020年1月1日至2020年11月30日。").unwrap();
        assert_eq!(dates.unwrap().1, date(Some(2020), 11, 30));
        let (shown, dates) =
            period("本报告所列数据的统计期限自至。本报告的电子版可在网站下载。").unwrap();
        assert_eq!(dates, None);
        assert_eq!(shown, "本报告所列数据的统计期限");
        assert!(period("没有任何期限说明。").is_none());
    }
}
