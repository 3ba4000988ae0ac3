//! Figures in the narrative: every number written in the report's prose paragraphs (Arabic or
//! Chinese numerals), with the clause it sits in, so that checks can read `收到政府信息公开申请65件`
//! as a count of applications and compare it with the tables.
//!
//! A clause ends at `。` `；` `！` `？` and at the paragraph's end. What a figure is about is the text
//! before it back to the previous figure of its clause (its *head*) and the text after it up to the
//! next comma or figure (its *tail*), so that one sentence's number is never read for another
//! phrase's subject. Which units count and which words name what is left to the rules (data).

use std::ops::Range;

use crate::source::Document;
use crate::text::numerals::{Numeral, arabic_prefix, chinese_prefix, is_chinese_numeral_char};
use crate::text::{Folded, TextRange};

/// A number written in a prose paragraph (not a date's year, month or day).
#[derive(Clone, Debug)]
pub struct NarrativeFigure {
    /// Its value.
    pub numeral: Numeral,
    /// Its place in the report's folded text (see [`crate::model::Report::folded`]).
    pub folded: Range<usize>,
    /// Its place in the canonical text.
    pub range: TextRange,
    /// The folded range of its clause.
    pub clause: Range<usize>,
}

/// The figures of a report's prose, in text order.
#[derive(Clone, Debug, Default)]
pub struct Narrative {
    /// The figures.
    pub figures: Vec<NarrativeFigure>,
}

/// Ends of a clause.
const CLAUSE_ENDS: &[char] = &['。', ';', '!', '?'];
/// Ends of a phrase within a clause (the tail of a figure stops there).
const PHRASE_ENDS: &[char] = &[',', '、', ':', '(', ')', '。', ';', '!', '?'];

impl Narrative {
    /// Finds the figures of the document's paragraphs in `folded` (the whole text, folded).
    pub fn find(doc: &Document, folded: &Folded) -> Self {
        let text = folded.as_str();
        let mut figures = Vec::new();
        for paragraph in doc.paragraphs() {
            let span = folded.folded_range(paragraph);
            let Some(body) = text.get(span.clone()) else {
                continue;
            };
            let mut clause_start = span.start;
            for (offset, piece) in split_inclusive_any(body, CLAUSE_ENDS) {
                let clause = clause_start..span.start + offset + piece.len();
                read_clause(text, folded, clause.clone(), &mut figures);
                clause_start = clause.end;
            }
        }
        Self { figures }
    }

    /// The text a figure is about, before it: back to the previous figure of its clause or the
    /// clause's start.
    pub fn head<'t>(&self, text: &'t str, index: usize) -> &'t str {
        let figure = &self.figures[index];
        let start = index
            .checked_sub(1)
            .map(|previous| &self.figures[previous])
            .filter(|previous| previous.clause == figure.clause)
            .map_or(figure.clause.start, |previous| previous.folded.end);
        text.get(start..figure.folded.start).unwrap_or("")
    }

    /// The text right after a figure, up to the next phrase end, figure or the clause's end.
    pub fn tail<'t>(&self, text: &'t str, index: usize) -> &'t str {
        let figure = &self.figures[index];
        let mut end = self
            .figures
            .get(index + 1)
            .filter(|next| next.clause == figure.clause)
            .map_or(figure.clause.end, |next| next.folded.start);
        if let Some(rest) = text.get(figure.folded.end..end)
            && let Some(at) = rest.find(PHRASE_ENDS)
        {
            end = figure.folded.end + at;
        }
        text.get(figure.folded.end..end).unwrap_or("")
    }

    /// The whole clause a figure sits in.
    pub fn clause<'t>(&self, text: &'t str, index: usize) -> &'t str {
        text.get(self.figures[index].clause.clone()).unwrap_or("")
    }
}

/// Pieces of `s` each ending with one of `ends` (the last may end without), with their offsets.
fn split_inclusive_any<'s>(s: &'s str, ends: &[char]) -> Vec<(usize, &'s str)> {
    let mut pieces = Vec::new();
    let mut start = 0;
    for (at, c) in s.char_indices() {
        if ends.contains(&c) {
            let end = at + c.len_utf8();
            pieces.push((start, &s[start..end]));
            start = end;
        }
    }
    if start < s.len() {
        pieces.push((start, &s[start..]));
    }
    pieces
}

/// The figures of one clause.
fn read_clause(text: &str, folded: &Folded, clause: Range<usize>, out: &mut Vec<NarrativeFigure>) {
    let Some(body) = text.get(clause.clone()) else {
        return;
    };
    let mut previous: Option<char> = None;
    let mut chars = body.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        let rest = &body[at..];
        let read = if c.is_ascii_digit()
            && !previous.is_some_and(|p| p.is_ascii_alphanumeric() || p == '.')
        {
            arabic_prefix(rest)
        } else if is_chinese_numeral_char(c)
            && !previous.is_some_and(|p| is_chinese_numeral_char(p) || p == '第')
        {
            chinese_prefix(rest).filter(|(_, len)| !enumerates(&rest[*len..]))
        } else {
            None
        };
        // A date's parts (`2021年`, `12月31日`) are not figures: they neither count nor end the
        // text a figure is about.
        let read = read.filter(|(_, len)| !rest[*len..].starts_with(['年', '月', '日', '号']));
        match read {
            Some((numeral, len)) => {
                let start = clause.start + at;
                out.push(NarrativeFigure {
                    numeral,
                    folded: start..start + len,
                    range: folded.source_range(start..start + len),
                    clause: clause.clone(),
                });
                previous = body[..at + len].chars().next_back();
                while chars.peek().is_some_and(|(next, _)| *next < at + len) {
                    chars.next();
                }
            }
            None => previous = Some(c),
        }
    }
}

/// Whether what follows a Chinese numeral makes it a count: a measure word (`两件`, `三个`,
/// `十五条`), possibly after 余/多 (`二十余件`). Without one it is part of a word (`统一`, `一站式`)
/// or an enumeration (`一是`, `一、`).
fn enumerates(after: &str) -> bool {
    const MEASURE_WORDS: &[char] = &[
        '件', '起', '个', '条', '部', '份', '项', '次', '人', '家', '篇', '场', '宗', '类', '批',
        '名', '位', '万', '亿', '年', '月', '日', '天', '元', '所', '台', '套', '张', '本', '期',
        '轮', '%',
    ];
    let after = after.trim_start_matches(['余', '多']);
    !after.starts_with(MEASURE_WORDS)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::{SourceKind, read_bytes};

    fn figures(text: &str) -> (Folded, Narrative) {
        let doc = read_bytes(text.as_bytes(), Some(SourceKind::Text)).expect("reads");
        let folded = Folded::new(&doc.text, 0);
        let narrative = Narrative::find(&doc, &folded);
        (folded, narrative)
    }

    #[test]
    fn figures_with_their_heads_and_tails() {
        let (folded, narrative) =
            figures("本年度共收到70件申请，及时办结69件，1件结转下年度继续办理。全年办理两件。\n");
        let text = folded.as_str();
        let values: Vec<_> = narrative
            .figures
            .iter()
            .map(|f| f.numeral.integer)
            .collect();
        assert_eq!(values, [Some(70), Some(69), Some(1), Some(2)]);
        assert_eq!(narrative.head(text, 0), "本年度共收到");
        assert_eq!(narrative.tail(text, 0), "件申请");
        assert_eq!(narrative.head(text, 1), "件申请,及时办结");
        assert_eq!(narrative.tail(text, 2), "件结转下年度继续办理");
        // A new clause: the head does not reach back into the sentence before.
        assert_eq!(narrative.head(text, 3), "全年办理");
    }

    #[test]
    fn enumerations_and_ordinals_are_not_figures() {
        let (_, narrative) =
            figures("一是加强领导，第三方评估，一站式服务，统一标准，2,315条，二十余件。\n");
        let values: Vec<_> = narrative
            .figures
            .iter()
            .map(|f| f.numeral.integer)
            .collect();
        assert_eq!(values, [Some(2315), Some(20)]);
    }
}
