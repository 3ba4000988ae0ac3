//! The report's prose as sentences, for checks that read what the text says (a claim, a date):
//! the paragraphs, without the tables a crawler ran into them and without the numbered headings,
//! cut at the ends of sentences (。；！？). Sentences are ranges of the report's normalised text
//! ([`Report::folded`]: whitespace removed, full-width punctuation made ASCII), which maps back to
//! the source for pointing at them.

use std::ops::Range;

use super::Report;
use crate::source::Document;
use crate::text::TextRange;

/// Characters that end a sentence, in normalised form.
const SENTENCE_ENDS: &[char] = &['。', ';', '!', '?'];
/// Characters that end a clause within a sentence, in normalised form.
const CLAUSE_ENDS: &[char] = &['。', ';', '!', '?', ',', ':'];

/// One sentence of the prose.
#[derive(Clone, Debug)]
pub struct Sentence {
    /// Its range in [`Report::folded`].
    pub folded: Range<usize>,
}

impl Sentence {
    /// Its normalised text.
    pub fn text<'a>(&self, report: &'a Report) -> &'a str {
        report
            .folded
            .as_str()
            .get(self.folded.clone())
            .unwrap_or("")
    }

    /// The clause (between commas, colons and sentence ends) around a byte range of the
    /// sentence's normalised text, as a range of that text.
    pub fn clause_around(&self, report: &Report, within: Range<usize>) -> Range<usize> {
        let text = self.text(report);
        let start = text
            .get(..within.start)
            .and_then(|before| before.rfind(CLAUSE_ENDS))
            .map_or(0, |at| at + before_len(text, at));
        let end = text
            .get(within.end..)
            .and_then(|after| after.find(CLAUSE_ENDS))
            .map_or(text.len(), |at| within.end + at);
        start..end
    }

    /// The source range of a byte range of the sentence's normalised text.
    pub fn source(&self, report: &Report, within: Range<usize>) -> TextRange {
        let base = self.folded.start;
        report
            .folded
            .source_range(base + within.start..base + within.end)
    }
}

/// The length of the character at `at` (a clause end found by `rfind`).
fn before_len(text: &str, at: usize) -> usize {
    text[at..].chars().next().map_or(1, char::len_utf8)
}

/// The sentences of the report's paragraphs, in order. Numbered headings are left out (a heading
/// run into the body — `六、其他需要报告的事项2021年，…` — ends where its sentence begins), and
/// so are the statistical tables a crawler ran into a paragraph.
pub fn sentences(doc: &Document, report: &Report) -> Vec<Sentence> {
    let folded = report.folded.as_str();
    // Stretches that are not prose: headings and tables, in normalised offsets.
    let mut cuts: Vec<Range<usize>> = report
        .headings
        .iter()
        .map(|heading| report.folded.folded_range(heading.range))
        .chain(
            report
                .tables
                .iter()
                .map(|table| report.folded.folded_range(table.range)),
        )
        .filter(|range| !range.is_empty())
        .collect();
    cuts.sort_by_key(|range| range.start);
    // Merged into disjoint stretches, sorted by start and by end alike, so that each paragraph
    // finds its own by binary search (a scan of every cut per paragraph was quadratic).
    let mut merged: Vec<Range<usize>> = Vec::with_capacity(cuts.len());
    for cut in cuts {
        match merged.last_mut() {
            Some(last) if cut.start <= last.end => last.end = last.end.max(cut.end),
            _ => merged.push(cut),
        }
    }
    let mut out = Vec::new();
    for paragraph in doc.paragraphs() {
        let range = report.folded.folded_range(paragraph);
        let mut pieces = vec![range.clone()];
        let first = merged.partition_point(|cut| cut.end <= range.start);
        let last = merged.partition_point(|cut| cut.start < range.end);
        for cut in merged.get(first..last.max(first)).unwrap_or_default() {
            pieces = pieces
                .into_iter()
                .flat_map(|piece| {
                    [
                        piece.start..cut.start.clamp(piece.start, piece.end),
                        cut.end.clamp(piece.start, piece.end)..piece.end,
                    ]
                })
                .filter(|piece| !piece.is_empty())
                .collect();
        }
        for piece in pieces {
            let Some(text) = folded.get(piece.clone()) else {
                continue;
            };
            let mut start = 0;
            for (at, c) in text.char_indices() {
                if SENTENCE_ENDS.contains(&c) {
                    let end = at + c.len_utf8();
                    if end > start {
                        out.push(Sentence {
                            folded: piece.start + start..piece.start + end,
                        });
                    }
                    start = end;
                }
            }
            if start < text.len() {
                out.push(Sentence {
                    folded: piece.start + start..piece.end,
                });
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::ModelConfig;
    use crate::source::{SourceKind, read_bytes};

    fn split(text: &str) -> Vec<String> {
        let doc = read_bytes(text.as_bytes(), Some(SourceKind::Text)).unwrap();
        let report = Report::build(&doc, &ModelConfig::default());
        sentences(&doc, &report)
            .iter()
            .map(|sentence| sentence.text(&report).to_owned())
            .collect()
    }

    #[test]
    fn paragraphs_are_cut_into_sentences_without_headings() {
        assert_eq!(
            split(
                "一、总体情况\n\n全年收到申请 62 件，均已办结。另有 1 件结转；无收费\n\n六、其他需要报告的事项\n"
            ),
            ["全年收到申请62件,均已办结。", "另有1件结转;", "无收费"]
        );
    }

    #[test]
    fn a_clause_is_bounded_by_commas() {
        let text = "全年收到申请62件，均已办结。";
        let doc = read_bytes(text.as_bytes(), Some(SourceKind::Text)).unwrap();
        let report = Report::build(&doc, &ModelConfig::default());
        let sentence = &sentences(&doc, &report)[0];
        let body = sentence.text(&report);
        let at = body.find("办结").unwrap();
        let clause = sentence.clause_around(&report, at..at + "办结".len());
        assert_eq!(&body[clause.clone()], "均已办结");
        assert_eq!(doc.slice(sentence.source(&report, clause)), "均已办结");
    }
}
