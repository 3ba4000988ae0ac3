//! Tables whose rows ran into the prose when a crawler flattened a page to text: the body on one
//! line and each row's cells written as one number (`…申请数量713000074二、上年结转…`).
//!
//! A paragraph is cut into label / figures pairs: a pair's figures are the digits (and spaces)
//! after its label, up to the next label. When the next label starts with an ordinal digit
//! (`2.其他法律…`), that digit belongs to the label. Each pair becomes a candidate row: its label
//! cut at its ordinals (`（三）不予公开` · `1.属于国家秘密`: the groups above a row, then the
//! row's own label) and one [`FigureRun`] cell. Which cells the run holds is only known once the
//! table reader knows the row's arithmetic ([`FigureRun::read`]); a space is a boundary between
//! cells, and a run is split only when exactly one split is possible ([`split`]).

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

use super::cell::classify;
use super::split::{SplitOutcome, split};
use super::{Cell, CellContent, Row, Table, TableKind};
use crate::text::{Folded, TextRange};

/// Where a numbered label starts: `一、`, `(一)`, `1.` / `1、` (normalised forms).
static ORDINAL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"[一二三四五六七八九十]{1,2}、|\([一二三四五六七八九十]{1,2}\)|[0-9][.、]")
        .expect("ordinal pattern is valid")
});

/// Label / figures pairs read out of one paragraph at most (see [`tables`]).
const MAX_PAIRS: usize = 5_000;

/// Figures written one after another (`713000074`, `0 0 00 00 0`): which cells they are is known
/// only once the row's arithmetic is given ([`FigureRun::read`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FigureRun {
    /// The run, normalised: ASCII digits, signs, decimal points and single spaces.
    text: String,
    /// For each byte of `text`, the span of the character it came from.
    places: Vec<TextRange>,
}

/// One figure read out of a run.
#[derive(Clone, Debug, PartialEq)]
pub struct Figure {
    /// Where it is written.
    pub range: TextRange,
    /// What it holds.
    pub content: CellContent,
}

/// How a run of figures reads as a row's cells.
#[derive(Clone, Debug, PartialEq)]
pub enum RunReading {
    /// The figures are written apart (by spaces, or a sign after a figure): the cells as written.
    AsWritten(Vec<Figure>),
    /// The figures ran together; this is the only split the row's arithmetic allows (or one digit
    /// per cell).
    Recovered(Vec<Figure>),
    /// No split, or more than one: the row cannot be read.
    Ambiguous,
}

impl FigureRun {
    /// The run as normalised.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The span of the whole run.
    pub fn range(&self) -> TextRange {
        match (self.places.first(), self.places.last()) {
            (Some(first), Some(last)) => first.cover(*last),
            _ => TextRange::default(),
        }
    }

    fn place(&self, bytes: &Range<usize>) -> TextRange {
        match (
            self.places.get(bytes.start),
            self.places.get(bytes.end.saturating_sub(1)),
        ) {
            (Some(first), Some(last)) => first.cover(*last),
            _ => self.range(),
        }
    }

    fn figures(&self, cuts: Vec<Range<usize>>) -> Vec<Figure> {
        cuts.into_iter()
            .map(|cut| Figure {
                range: self.place(&cut),
                content: classify(self.text.get(cut.clone()).unwrap_or("")),
            })
            .collect()
    }

    /// Reads the run as the cells of a row of `groups.iter().sum()` columns, each group ending
    /// with its total (表三 `[7]`; 表四 `[5, 5, 5]`; columns without a total are groups of 1).
    pub fn read(&self, groups: &[usize]) -> RunReading {
        let parts: usize = groups.iter().sum();
        let tokens = figures_as_written(&self.text);
        if tokens.len() == parts {
            return RunReading::AsWritten(self.figures(tokens));
        }
        let units = digits_with_signs(&self.text);
        if units.len() == parts {
            // One digit per cell: the only possible split, whatever the arithmetic says.
            return RunReading::Recovered(self.figures(units));
        }
        match split(&self.text, groups) {
            SplitOutcome::Unique(cuts) => {
                RunReading::Recovered(self.figures(cuts.into_iter().map(|(a, b)| a..b).collect()))
            }
            SplitOutcome::Ambiguous => RunReading::Ambiguous,
        }
    }
}

/// The candidate tables of paragraphs whose table rows ran into one line, one per paragraph that
/// holds at least two label / figures pairs.
pub(super) fn tables(text: &str, paragraphs: impl Iterator<Item = TextRange>) -> Vec<Table> {
    let mut tables = Vec::new();
    for range in paragraphs {
        let Some(source) = text.get(range.range()) else {
            continue;
        };
        // Most paragraphs hold no figure at all: skip them before normalising.
        if !source
            .chars()
            .any(|c| c.is_ascii_digit() || ('０'..='９').contains(&c))
        {
            continue;
        }
        let folded = Folded::with_spaces(source, range.start);
        // A crawler's body holds a few hundred label / figures pairs; a paragraph with thousands
        // is not a flattened report, and reading each as a row made a 30 MB line take gigabytes.
        let Some(pairs) = pairs(folded.as_str()).filter(|pairs| pairs.len() <= MAX_PAIRS) else {
            continue;
        };
        if pairs.iter().filter(|pair| !pair.values.is_empty()).count() < 2 {
            continue;
        }
        let rows: Vec<Row> = pairs.iter().map(|pair| row(&folded, pair)).collect();
        tables.push(Table::new(range, rows, TableKind::RunTogether));
    }
    tables
}

/// A label and the run of figures after it (byte ranges of the normalised paragraph).
struct Pair {
    label: Range<usize>,
    values: Range<usize>,
}

fn row(folded: &Folded, pair: &Pair) -> Row {
    let text = folded.as_str();
    let label = text.get(pair.label.clone()).unwrap_or("");
    let mut cells = Vec::new();
    for piece in pieces(label) {
        let piece_text = &label[piece.clone()];
        let trimmed = piece_text.trim_end();
        let start = pair.label.start + piece.start;
        let cell_text = trimmed.replace(' ', "");
        if cell_text.is_empty() {
            continue;
        }
        cells.push(Cell {
            range: folded.source_range(start..start + trimmed.len()),
            content: classify(&cell_text),
            text: cell_text,
            column: cells.len(),
            column_span: 1,
            row_span: 1,
        });
    }
    if !pair.values.is_empty() {
        let run_text = text.get(pair.values.clone()).unwrap_or("").to_owned();
        let places = pair
            .values
            .clone()
            .map(|byte| folded.source_range(byte..byte + 1))
            .collect();
        let run = FigureRun {
            text: run_text.clone(),
            places,
        };
        cells.push(Cell {
            range: run.range(),
            text: run_text,
            content: CellContent::Run(run),
            column: cells.len(),
            column_span: 1,
            row_span: 1,
        });
    }
    let end = if pair.values.is_empty() {
        pair.label.end
    } else {
        pair.values.end
    };
    Row {
        range: folded.source_range(pair.label.start..end),
        cells,
    }
}

/// Cuts text into alternating labels and runs of figures; `None` past [`MAX_PAIRS`] runs.
///
/// Works on bytes: every character a run is made of is ASCII, and a byte below 0x80 is always a
/// whole character, so the neighbours of a byte tell what the neighbouring characters are
/// without a table of every character (16 bytes a character: hundreds of megabytes for a long line).
fn pairs(text: &str) -> Option<Vec<Pair>> {
    let bytes = text.as_bytes();
    let digit_at = |i: Option<usize>| i.and_then(|i| bytes.get(i)).is_some_and(u8::is_ascii_digit);
    let is_value = |i: usize| -> bool {
        match bytes[i] {
            b'0'..=b'9' | b' ' => true,
            b'.' => digit_at(i.checked_sub(1)) && digit_at(Some(i + 1)),
            // A sign opens a figure, also right after another one (`35-15`: 35 | -15).
            b'-' | b'+' => digit_at(Some(i + 1)),
            _ => false,
        }
    };
    // Runs of value characters that hold a digit; everything else is label.
    let mut runs: Vec<Range<usize>> = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if !is_value(i) {
            i += 1;
            continue;
        }
        let start = i;
        while i < bytes.len() && is_value(i) {
            i += 1;
        }
        let (mut from, mut to) = (start, i);
        // A digit followed by `.`/`、` opens the next label (`00000002.其他…`).
        if text[i..].starts_with(['.', '、']) && bytes[to - 1].is_ascii_digit() {
            to -= 1;
        }
        let run = &text[from..to];
        let trimmed_start = run.len() - run.trim_start().len();
        from += trimmed_start;
        to = from + text[from..to].trim_end().len();
        if text[from..to].contains(|c: char| c.is_ascii_digit()) {
            if runs.len() == MAX_PAIRS {
                return None;
            }
            runs.push(from..to);
        }
    }
    let mut pairs = Vec::with_capacity(runs.len() + 1);
    let mut label_start = 0;
    for run in runs {
        pairs.push(Pair {
            label: label_start..run.start,
            values: run.clone(),
        });
        label_start = run.end;
    }
    if label_start < text.len() {
        pairs.push(Pair {
            label: label_start..text.len(),
            values: text.len()..text.len(),
        });
    }
    Some(pairs)
}

/// The parts of a label that each start with an ordinal, as ranges of `label`; the last names the
/// row, the others are the groups above it (`（三）不予公开1.属于国家秘密`).
fn pieces(label: &str) -> Vec<Range<usize>> {
    let starts: Vec<usize> = ORDINAL.find_iter(label).map(|m| m.start()).collect();
    let mut out = Vec::with_capacity(starts.len() + 1);
    if starts.first() != Some(&0) {
        out.push(0..starts.first().copied().unwrap_or(label.len()));
    }
    for (k, &start) in starts.iter().enumerate() {
        out.push(start..starts.get(k + 1).copied().unwrap_or(label.len()));
    }
    out
}

/// The figures of a run as written: separated by spaces, or by a sign that follows a digit
/// (`35-15` is 35 | -15).
fn figures_as_written(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut open: Option<usize> = None;
    let mut after_digit = false;
    for (i, c) in text.char_indices() {
        if (c == ' ' || (matches!(c, '-' | '+') && after_digit))
            && let Some(start) = open.take()
        {
            out.push(start..i);
        }
        if c != ' ' && open.is_none() {
            open = Some(i);
        }
        after_digit = c.is_ascii_digit();
    }
    if let Some(start) = open {
        out.push(start..text.len());
    }
    out
}

/// Each digit of a run with the sign before it: the cells when a row has one digit per cell.
fn digits_with_signs(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut sign: Option<usize> = None;
    for (i, c) in text.char_indices() {
        if matches!(c, '-' | '+') {
            sign = Some(i);
        } else if c.is_ascii_digit() {
            out.push(sign.take().unwrap_or(i)..i + 1);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(text: &str) -> FigureRun {
        FigureRun {
            text: text.to_owned(),
            places: (0..text.len()).map(|i| TextRange::new(i, i + 1)).collect(),
        }
    }

    fn values(reading: &RunReading) -> Vec<String> {
        let figures = match reading {
            RunReading::AsWritten(figures) | RunReading::Recovered(figures) => figures,
            RunReading::Ambiguous => return Vec::new(),
        };
        figures
            .iter()
            .map(|figure| match &figure.content {
                CellContent::Number(n) => n.value.to_string(),
                other => format!("{other:?}"),
            })
            .collect()
    }

    #[test]
    fn a_run_reads_as_written_split_or_not_at_all() {
        let spaced = run("0 1 1 0 2");
        assert!(matches!(spaced.read(&[5]), RunReading::AsWritten(_)));
        let glued = run("713000074");
        let reading = glued.read(&[7]);
        assert!(matches!(reading, RunReading::Recovered(_)));
        assert_eq!(values(&reading), ["71", "3", "0", "0", "0", "0", "74"]);
        assert_eq!(run("220000325").read(&[7]), RunReading::Ambiguous);
        // One digit per cell, whatever the arithmetic.
        assert_eq!(values(&run("000").read(&[1, 1, 1])), ["0", "0", "0"]);
        // A sign after a figure separates the figures as written.
        let signed = run("35-15");
        assert!(matches!(signed.read(&[1, 1]), RunReading::AsWritten(_)));
        assert_eq!(values(&signed.read(&[1, 1])), ["35", "-15"]);
    }

    #[test]
    fn paragraphs_become_rows_of_label_pieces_and_a_run() {
        let text = "三、本年度办理结果（一）予以公开210000021（三）不予公开1.属于国家秘密00000002.其他法律行政法规禁止公开0000000";
        let tables = tables(text, std::iter::once(TextRange::new(0, text.len())));
        assert_eq!(tables.len(), 1);
        let labels: Vec<Vec<&str>> = tables[0]
            .rows
            .iter()
            .map(|row| {
                row.cells
                    .iter()
                    .filter(|cell| !matches!(cell.content, CellContent::Run(_)))
                    .map(|cell| cell.text.as_str())
                    .collect()
            })
            .collect();
        assert_eq!(
            labels,
            [
                vec!["三、本年度办理结果", "(一)予以公开"],
                vec!["(三)不予公开", "1.属于国家秘密"],
                vec!["2.其他法律行政法规禁止公开"],
            ]
        );
        let runs: Vec<&str> = tables[0]
            .rows
            .iter()
            .filter_map(|row| match &row.cells.last()?.content {
                CellContent::Run(run) => Some(run.text()),
                _ => None,
            })
            .collect();
        assert_eq!(runs, ["210000021", "0000000", "0000000"]);
    }
}
