//! Matching a region's rows to a layout's: by the words of each row's last label cell, under the
//! group the labels above it opened.

use super::candidates::{Candidate, Label, interpreted};
use crate::model::layout::{Layout, RowSpec, strip_annotation};
use crate::model::ordinal::{Ordinal, split_ordinal};
use crate::source::Document;
use crate::text::{Folded, TextRange, fold};

/// The group context of rows read in order: the group the last group label opened, and the group
/// of the last row recognised (where a group label was lost or broken up, the rows that follow
/// still belong to it).
#[derive(Default)]
struct Groups<'l> {
    group: Option<&'l str>,
    last_group: Option<&'l str>,
}

fn names_group<'l>(layout: &'l Layout, ordinal: Option<Ordinal>, rest: &str) -> Option<&'l str> {
    layout
        .groups
        .iter()
        .find(|group| {
            group.words.iter().any(|word| rest.contains(word.as_str()))
                && (group.ordinal.is_none() || ordinal.is_none() || ordinal == group.ordinal)
        })
        .map(|group| group.key.as_str())
}

/// The row of `layout` a label names under `group`: the exact label beats a word within it, a
/// longer word a shorter one, an earlier row a later one. Returns the row's index and the word.
/// In run-on text an unnumbered row's word must end the label: what comes before it is the text
/// since the last figures (a caption, headers, prose).
fn best_row<'l>(
    layout: &'l Layout,
    ordinal: Option<Ordinal>,
    rest: &str,
    group: Option<&str>,
    run_on: bool,
) -> Option<(usize, &'l str)> {
    let stripped = strip_annotation(rest);
    let tail = stripped.trim_end_matches(|c: char| !c.is_alphanumeric());
    // Every word that can name a row is within `rest` (`stripped` and `tail` are its prefixes).
    let held = layout.row_words.in_text(rest);
    held.chunk_by(|a, b| a.0 == b.0)
        .filter_map(|words| {
            let index = words.first()?.0;
            let row = &layout.rows[index];
            let allowed = (row.ordinal.is_none() || ordinal.is_none() || ordinal == row.ordinal)
                && row
                    .group
                    .as_deref()
                    .is_none_or(|required| group == Some(required));
            if !allowed {
                return None;
            }
            let suffix_only = run_on && !row.numbered;
            words
                .iter()
                .filter_map(|&(_, at)| {
                    let word = row.words[at].as_str();
                    let exact = stripped == word;
                    let found = !suffix_only || tail.ends_with(word);
                    (exact || found).then_some((usize::from(exact), word.len(), word))
                })
                .max_by_key(|(exact, length, _)| (*exact, *length))
                .map(|(exact, length, word)| ((exact, length, std::cmp::Reverse(index)), word))
        })
        .max_by_key(|(rank, _)| *rank)
        .map(|((_, _, std::cmp::Reverse(index)), word)| (index, word))
}

impl<'l> Groups<'l> {
    fn observe(&mut self, layout: &'l Layout, folded: &str) {
        let (ordinal, rest) = split_ordinal(folded);
        if let Some(group) = names_group(layout, ordinal, rest) {
            self.group = Some(group);
        }
    }

    fn row(
        &mut self,
        layout: &'l Layout,
        ordinal: Option<Ordinal>,
        rest: &str,
        run_on: bool,
    ) -> Option<(usize, &'l str)> {
        let found = best_row(layout, ordinal, rest, self.group, run_on).or_else(|| {
            self.last_group
                .and_then(|group| best_row(layout, ordinal, rest, Some(group), run_on))
        })?;
        self.last_group = layout.group_of(&layout.rows[found.0]);
        Some(found)
    }
}

/// A row matched: the candidate and where its label is.
pub(super) struct Matched {
    pub(super) candidate: usize,
    pub(super) label: TextRange,
    /// Named by its first word (its own name), not a variant: only then does a marker row tell the
    /// edition.
    pub(super) by_name: bool,
}

/// What one layout makes of a region.
pub(super) struct Reading {
    pub(super) layout: &'static Layout,
    pub(super) rows: Vec<Option<Matched>>,
    pub(super) unrecognised: Vec<TextRange>,
    pub(super) unplaced: Vec<TextRange>,
    pub(super) score: usize,
}

pub(super) fn read_with(
    doc: &Document,
    layout: &'static Layout,
    siblings: &[&'static Layout],
    candidates: &[Candidate<'_>],
    words: &str,
) -> Reading {
    let mut rows: Vec<Option<Matched>> = layout.rows.iter().map(|_| None).collect();
    let mut unrecognised = Vec::new();
    let mut unplaced = Vec::new();
    let mut groups = Groups::default();
    for (index, candidate) in candidates.iter().enumerate() {
        let run_on = candidate.run_on();
        // Rows whose place this copy does not show are left out of "unrecognised": the reading,
        // not the report, lost their labels.
        let reported = !run_on && !interpreted(candidate.kind);
        for label in candidate.pending.iter().chain(&candidate.labels) {
            groups.observe(layout, &label.folded);
        }
        let Some(last) = candidate.labels.last() else {
            match pending_row(layout, &mut groups, candidate) {
                Some((row, label, by_name)) if rows[row].is_none() => {
                    rows[row] = Some(Matched {
                        candidate: index,
                        label,
                        by_name,
                    });
                }
                _ if candidate.has_figure() && reported => unrecognised.push(candidate.range),
                _ if candidate.has_figure() && !run_on => unplaced.push(candidate.range),
                _ => {}
            }
            continue;
        };
        let (ordinal, rest) = split_ordinal(&last.folded);
        // A label with no figures after it is a header or a group label, unless it is numbered
        // like a data row (its figures were lost). A run-on label without figures is the text
        // before the next row.
        let is_group = siblings
            .iter()
            .any(|sibling| names_group(sibling, ordinal, rest).is_some());
        if candidate.values.is_empty() && (ordinal.is_none() || is_group || run_on) {
            continue;
        }
        let found = groups
            .row(layout, ordinal, rest, run_on)
            .map(|(row, word)| {
                let label = if run_on {
                    run_on_label(doc, last, &layout.rows[row], word)
                } else {
                    last.range
                };
                (
                    row,
                    label,
                    layout.rows[row].words.first().is_some_and(|w| w == word),
                )
            })
            .or_else(|| pending_row(layout, &mut groups, candidate))
            .or_else(|| trailing_row(layout, &mut groups, candidate));
        let Some((row, label, by_name)) = found else {
            if candidate.has_figure() && reported {
                unrecognised.push(candidate.range);
            } else if candidate.has_figure() && !run_on {
                unplaced.push(candidate.range);
            }
            continue;
        };
        if rows[row].is_some() {
            // A run-on text repeats words in prose; in a table a second row of a kind is wrong.
            if reported {
                unrecognised.push(candidate.range);
            }
            continue;
        }
        rows[row] = Some(Matched {
            candidate: index,
            label,
            by_name,
        });
    }
    let marker_rows = layout
        .rows
        .iter()
        .zip(&rows)
        .filter(|(spec, matched)| spec.marker && matched.as_ref().is_some_and(|m| m.by_name))
        .count();
    let marker_columns = layout
        .columns
        .iter()
        .filter(|column| {
            column.marker
                && column
                    .words
                    .iter()
                    .any(|word| words.contains(word.as_str()))
        })
        .count();
    Reading {
        layout,
        rows,
        unrecognised,
        unplaced,
        score: marker_rows + marker_columns,
    }
}

/// The row a pending label names (a label a converter put on a line of its own), the most recent
/// first. Only a numbered label or a row's exact words are trusted this far from their figures.
fn pending_row<'l>(
    layout: &'l Layout,
    groups: &mut Groups<'l>,
    candidate: &Candidate<'_>,
) -> Option<(usize, TextRange, bool)> {
    if !candidate.has_figure() {
        return None;
    }
    // A numbered label wrapped onto the row's own line (`1、申请人…逾期不补` · `正、行政机关…`).
    let wrapped = candidate
        .pending
        .last()
        .zip(candidate.labels.last())
        .map(|(pending, own)| {
            Label::new(
                format!("{}{}", pending.text, own.text),
                pending.range.cover(own.range),
            )
        });
    wrapped
        .iter()
        .chain(candidate.pending.iter().rev())
        .find_map(|label| {
            let (ordinal, rest) = split_ordinal(&label.folded);
            let (row, word) = groups.row(layout, ordinal, rest, false)?;
            let by_name = layout.rows[row].words.first().is_some_and(|w| w == word);
            (ordinal.is_some() || strip_annotation(rest) == word).then_some((
                row,
                label.range,
                by_name,
            ))
        })
}

/// The row a numbered label names with the label lines after its figures joined on (a label
/// wrapped around its figures: `1.申请人无正当理由逾期不` · figures · `补正、行政机关…`).
fn trailing_row<'l>(
    layout: &'l Layout,
    groups: &mut Groups<'l>,
    candidate: &Candidate<'_>,
) -> Option<(usize, TextRange, bool)> {
    let own = candidate.labels.last()?;
    if !candidate.has_figure() || candidate.trailing.is_empty() {
        return None;
    }
    let mut text = own.text.clone();
    for piece in &candidate.trailing {
        text.push_str(&piece.text);
    }
    let folded = fold(&text);
    let (ordinal, rest) = split_ordinal(&folded);
    ordinal?;
    let (row, word) = groups.row(layout, ordinal, rest, false)?;
    let by_name = layout.rows[row].words.first().is_some_and(|w| w == word);
    Some((row, own.range, by_name))
}

/// The label of a row read from run-on text: its last label piece, or — when that piece holds
/// the words before the row's own label too (表二's `第二十条第（一）项信息内容…规章`) — the
/// word that names the row, at its end.
fn run_on_label(doc: &Document, cell: &Label, row: &RowSpec, word: &str) -> TextRange {
    let trimmed = cell.folded.trim_end_matches(|c: char| !c.is_alphanumeric());
    let longer = trimmed.chars().count() > row.label.chars().count() + 4;
    if !longer || !trimmed.ends_with(word) {
        return cell.range;
    }
    let folded = Folded::new(doc.slice(cell.range), cell.range.start);
    match folded.as_str().rfind(word) {
        Some(at) => folded.source_range(at..at + word.len()),
        None => cell.range,
    }
}
