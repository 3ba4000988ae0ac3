//! Numbered headings: `一、` (level 1), `（一）` (level 2), `1.` / `（1）` (level 3).
//!
//! The level comes from the ordinal style, never from the words: 总体情况's sub-headings reuse the
//! section names (`（一）主动公开政府信息情况`). A run-in heading (`（一）高规格成立组织机构。为推动…`)
//! ends at its first sentence break.

use std::sync::LazyLock;

use regex::Regex;
use serde::Serialize;

use super::ordinal::{Ordinal, split_ordinal};
use crate::source::Document;
use crate::text::{Folded, TextRange};

/// A heading longer than this (in chars) is a numbered sentence, not a heading.
const MAX_HEADING_CHARS: usize = 60;

/// Paragraphs this long (in bytes) are whole bodies run onto one line by a crawler; only in them
/// are headings looked for after the start (ordinary paragraphs list "一、…二、…" as prose).
const RUN_ON_BODY_BYTES: usize = 3_000;

/// An inline heading: an ordinal after a sentence end, a closing bracket, a space, or the last
/// figure of a table (`…18651.06三、收到和处理…`, `…52元三、…`).
static INLINE_ORDINAL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?:[。!?;)"\]]|\s|[0-9](?:元|件|条|个|项)?)\s*([一二三四五六七八九十]{1,2}、|\([一二三四五六七八九十]{1,2}\))"#)
        .expect("inline ordinal pattern is valid")
});

/// 表三 row labels that look like level-1 headings (spec §2.3, trap 1).
const TABLE_ROW_WORDS: &[&str] = &["本年新收", "上年结转", "本年度办理结果", "结转下年度"];

/// A numbered heading.
#[derive(Clone, Debug, Serialize)]
pub struct Heading {
    /// 1 for `一、`, 2 for `（一）`, 3 for `1.`.
    pub level: u8,
    /// The ordinal's value (`三` → 3).
    pub number: u32,
    /// The heading's words, normalised for matching (ordinal removed).
    pub words: String,
    /// The span of the heading, ordinal included.
    #[serde(skip)]
    pub range: TextRange,
}

/// Finds the numbered headings among a document's paragraphs.
pub fn find_headings(doc: &Document) -> Vec<Heading> {
    let mut headings = Vec::new();
    for range in doc.paragraphs() {
        match heading_in(doc, range) {
            Some(heading) => headings.push(heading),
            None => headings.extend(hinted_heading(doc, range)),
        }
        if range.len() >= RUN_ON_BODY_BYTES {
            headings.extend(inline_headings(doc, range));
        }
    }
    headings
}

/// A paragraph the source marks as a heading (a Word heading style) but whose text carries no
/// ordinal: its level is the style's, its number unknown (0).
fn hinted_heading(doc: &Document, range: TextRange) -> Option<Heading> {
    let &(_, level) = doc.heading_hints.iter().find(|(hint, _)| *hint == range)?;
    let folded = Folded::new(doc.slice(range), range.start);
    let words: String = folded.as_str().chars().take(MAX_HEADING_CHARS).collect();
    if words.chars().count() < 2 {
        return None;
    }
    Some(Heading {
        level: level.clamp(1, 3),
        number: 0,
        range: folded.source_range(0..words.len()),
        words,
    })
}

/// Headings inside a run-on body: `…联系。 一、 概述 推进…`, `…成效。二、主动公开政府信息情况 第二十条…`.
/// The words end at a space, a digit (the text's `2019年…`), punctuation or an opening bracket.
fn inline_headings(doc: &Document, range: TextRange) -> Vec<Heading> {
    let folded = Folded::with_spaces(doc.slice(range), range.start);
    let text = folded.as_str();
    let mut headings = Vec::new();
    for caps in INLINE_ORDINAL.captures_iter(text) {
        let Some(ordinal) = caps.get(1) else {
            continue;
        };
        let (level, number) = match split_ordinal(ordinal.as_str()) {
            (Some(Ordinal::Top(n)), _) => (1, n),
            (Some(Ordinal::Paren(n)), _) => (2, n),
            _ => continue,
        };
        let rest = text[ordinal.end()..].trim_start_matches(' ');
        let words_start = text.len() - rest.len();
        let words: String = rest
            .chars()
            .take_while(|c| {
                !c.is_whitespace() && !c.is_ascii_digit() && !"。,;:!?(（，；：".contains(*c)
            })
            .take(MAX_HEADING_CHARS)
            .collect();
        if words.chars().count() < 2 {
            continue;
        }
        // The label may be broken by a space (`三、本年度办 理结果`).
        let unspaced: String = rest.chars().filter(|c| *c != ' ').take(12).collect();
        if level == 1 && TABLE_ROW_WORDS.iter().any(|word| unspaced.contains(word)) {
            continue;
        }
        headings.push(Heading {
            level,
            number,
            range: folded.source_range(ordinal.start()..words_start + words.len()),
            words,
        });
    }
    headings
}

fn heading_in(doc: &Document, range: TextRange) -> Option<Heading> {
    let source = doc.slice(range);
    // Only the first part of a paragraph can be a heading; fold a bounded prefix.
    let prefix_end = source
        .char_indices()
        .nth(MAX_HEADING_CHARS + 8)
        .map_or(source.len(), |(i, _)| i);
    let folded = Folded::new(&source[..prefix_end], range.start);
    let text = folded.as_str();
    let (ordinal, rest) = split_ordinal(text);
    let (level, number) = match ordinal? {
        Ordinal::Top(n) => (1, n),
        Ordinal::Paren(n) => (2, n),
        Ordinal::Digit(n) => (3, n),
    };
    let rest_start = text.len() - rest.len();
    let words_len = rest
        .char_indices()
        .find(|&(_, c)| matches!(c, '。' | ';' | '!' | '?' | ':' | '！' | '？'))
        .map(|(i, _)| i);
    let words_len = match words_len {
        Some(len) => len,
        None if prefix_end == source.len() => rest.len(),
        // No sentence break in a long paragraph: a numbered sentence, not a heading.
        None => return None,
    };
    let words = rest[..words_len].trim_end_matches([',', '、']).to_owned();
    if words.is_empty() || words.chars().count() > MAX_HEADING_CHARS {
        return None;
    }
    if level == 1 && TABLE_ROW_WORDS.iter().any(|word| words.contains(word)) {
        return None;
    }
    let range = folded.source_range(0..rest_start + words.len());
    Some(Heading {
        level,
        number,
        words,
        range,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::{SourceKind, read_bytes};

    fn headings(text: &str) -> Vec<(u8, u32, String)> {
        let doc = read_bytes(text.as_bytes(), Some(SourceKind::Text)).unwrap();
        find_headings(&doc)
            .into_iter()
            .map(|h| (h.level, h.number, h.words))
            .collect()
    }

    #[test]
    fn levels_come_from_ordinal_style() {
        let found = headings(
            "一、总体情况\n（一）主动公开政府信息情况\n1、落实主动公开,加强定期审查。全区100%的单位都按照规定编制了目录。\n\
             (四)高标准开展公开服务。依托网站创建平台，截至目前已公开各类信息5.4万条，持续加强日常管理。\n\
             六、其他需要报告的事项\n2021年,我市将重点做好以下几方面工作:\n",
        );
        assert_eq!(
            found,
            [
                (1, 1, "总体情况".to_owned()),
                (2, 1, "主动公开政府信息情况".to_owned()),
                (3, 1, "落实主动公开,加强定期审查".to_owned()),
                (2, 4, "高标准开展公开服务".to_owned()),
                (1, 6, "其他需要报告的事项".to_owned()),
            ]
        );
    }

    #[test]
    fn headings_inside_a_run_on_body_are_found() {
        let filler = "推进政府信息公开工作，做好各项工作。".repeat(100);
        let body = format!(
            "前言。 一、 概述 {filler}二、主动公开政府信息情况 第二十条{filler}（一）予以公开7000007\
             四、结转下年度继续办理 0 0 00 00 0 五、存在的主要问题及改进情况2019年，{filler}\
             行政事业性收费18651.06六、其他需要报告的事项 无。"
        );
        let found = headings(&body);
        assert_eq!(
            found,
            [
                (1, 1, "概述".to_owned()),
                (1, 2, "主动公开政府信息情况".to_owned()),
                (2, 1, "予以公开".to_owned()),
                (1, 5, "存在的主要问题及改进情况".to_owned()),
                (1, 6, "其他需要报告的事项".to_owned()),
            ]
        );
    }

    #[test]
    fn table_row_labels_are_not_headings() {
        assert!(headings("四、结转下年度继续办理\n三、本年度办理结果\n").is_empty());
        let filler = "推进政府信息公开工作，做好各项工作。".repeat(100);
        let run_on =
            format!("{filler}二上年结转0三、本年度办 理结果 （一）予以公开7000007{filler}");
        assert!(headings(&run_on).iter().all(|(level, _, _)| *level != 1));
    }

    #[test]
    fn a_long_numbered_sentence_is_not_a_heading() {
        let long = format!("一、{}", "这是一句很长的话没有任何标点".repeat(8));
        assert!(headings(&long).is_empty());
    }
}
