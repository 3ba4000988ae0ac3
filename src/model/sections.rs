//! Numbered headings: `一、` (level 1), `（一）` (level 2), `1.` / `（1）` (level 3).
//!
//! The level comes from the ordinal style, never from the words: 总体情况's sub-headings reuse the
//! section names (`（一）主动公开政府信息情况`). A run-in heading (`（一）高规格成立组织机构。为推动…`)
//! ends at its first sentence break.

use serde::Serialize;

use super::layout::{Ordinal, split_ordinal};
use crate::source::Document;
use crate::text::{Folded, TextRange};

/// A heading longer than this (in chars) is a numbered sentence, not a heading.
const MAX_HEADING_CHARS: usize = 60;

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
    doc.paragraphs()
        .filter_map(|range| heading_in(doc, range))
        .collect()
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
    fn table_row_labels_are_not_headings() {
        assert!(headings("四、结转下年度继续办理\n三、本年度办理结果\n").is_empty());
    }

    #[test]
    fn a_long_numbered_sentence_is_not_a_heading() {
        let long = format!("一、{}", "这是一句很长的话没有任何标点".repeat(8));
        assert!(headings(&long).is_empty());
    }
}
