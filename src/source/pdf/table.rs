//! Table geometry: a run of label and figure lines read as tables. Each line of figures anchors a
//! row; label fragments join the row whose ruled band holds them (or, without ruling lines, the
//! nearest row); label fragments are grouped into columns by their left edges; a short row's
//! figures are placed in the columns of the complete rows.

use super::lines::{Kind, Line, Margins, TOP_LEVEL_ORDINAL, Token};
use super::ruling::RulingLines;
use crate::source::TableKind;
use crate::source::canvas::{Canvas, RawCell};
use crate::source::cell::classify;

/// Whether a table starts at line `i`: a run of label and value lines holding at least two rows
/// of figures (or one long row under a header) before the next line of prose.
pub(super) fn starts_table(lines: &[Line], kinds: &[Kind], i: usize) -> bool {
    let run = kinds[i..].iter().take_while(|kind| **kind != Kind::Prose);
    let mut value_rows = 0;
    let mut figures = 0;
    for (offset, kind) in run.enumerate() {
        if *kind == Kind::Values {
            value_rows += 1;
            figures += lines[i + offset].values().count();
        }
    }
    figures >= 4 && (value_rows >= 2 || figures >= 5)
}

/// Reads a run of label and value lines as one or more tables (split at captions); returns the
/// number of lines consumed.
pub(super) fn table_run(
    canvas: &mut Canvas,
    lines: &[Line],
    kinds: &[Kind],
    margins: &Margins,
    ruling: &RulingLines,
) -> usize {
    let mut start = 0;
    for k in 0..=lines.len() {
        let caption = k < lines.len() && is_caption(lines, kinds, k);
        if k == lines.len() || caption {
            table_segment(
                canvas,
                &lines[start..k],
                kinds.get(start..k).unwrap_or(&[]),
                margins,
                ruling,
            );
            if caption {
                canvas.flush();
                canvas.push_text(&lines[k].text());
                canvas.flush();
            }
            start = k + 1;
        }
    }
    lines.len()
}

/// A top-level numbered label line followed by two or more label lines before the next figures,
/// or by none: a section heading, not a row label (as in flattened text).
fn is_caption(lines: &[Line], kinds: &[Kind], k: usize) -> bool {
    if kinds[k] != Kind::Label
        || lines[k].tokens.len() != 1
        || !TOP_LEVEL_ORDINAL.is_match(&lines[k].text())
    {
        return false;
    }
    let before_values = kinds[k + 1..].iter().position(|kind| *kind == Kind::Values);
    before_values.is_none_or(|labels| labels >= 2)
}

/// One table: rows anchored on the lines holding figures. A label line close to a row's figures
/// (within one and a half line heights: a label wrapped in its cell, a character of a vertical
/// group label) joins that row; any other label line is a row of its own (a caption, a header).
fn table_segment(
    canvas: &mut Canvas,
    lines: &[Line],
    kinds: &[Kind],
    margins: &Margins,
    ruling: &RulingLines,
) {
    let data: Vec<usize> = (0..lines.len())
        .filter(|&k| kinds[k] == Kind::Values)
        .collect();
    let Some(&last) = data.last() else {
        for line in lines {
            canvas.push_text(&line.text());
            canvas.flush();
        }
        return;
    };
    let label_limit = data
        .iter()
        .flat_map(|&k| lines[k].values().map(|t| t.x0))
        .fold(f64::INFINITY, f64::min);
    let columns = value_columns(&data.iter().map(|&k| &lines[k]).collect::<Vec<_>>());
    // How close a label line must be to a row of figures to belong to it: most of the table's
    // row pitch (the smallest spacing between rows of figures), within sane bounds of the font
    // size. Wrapped labels sit well inside it; captions and headers a full row away.
    let size = lines[data[0]].size;
    let pitch = data
        .windows(2)
        .filter(|pair| lines[pair[0]].page == lines[pair[1]].page)
        .map(|pair| (lines[pair[0]].y - lines[pair[1]].y).abs())
        .filter(|gap| *gap > 0.5 * size)
        .fold(f64::INFINITY, f64::min);
    let reach = if pitch.is_finite() {
        (0.8 * pitch).clamp(1.2 * size, 2.2 * size)
    } else {
        1.5 * size
    };
    // Each row of figures' band between the table's horizontal ruling lines, where the page has
    // them.
    let bands: Vec<Option<(f64, f64)>> = data
        .iter()
        .map(|&k| {
            let line = &lines[k];
            let x = line
                .values()
                .next()
                .map_or(line.x0(), |t| (t.x0 + t.x1) / 2.0);
            ruling.band(line.page, line.y, x)
        })
        .collect();
    // The row a label line belongs to: the one whose ruled band holds it; without ruling lines, the
    // nearest row of figures on the same page, if close enough.
    let owner = |line: &Line| -> Option<usize> {
        let ruled = data.iter().enumerate().find(|(band, k)| {
            lines[**k].page == line.page
                && bands[*band].is_some_and(|(below, above)| line.y > below && line.y < above)
        });
        if let Some((band, _)) = ruled {
            return Some(band);
        }
        if bands.iter().any(Option::is_some) {
            return None;
        }
        data.iter()
            .enumerate()
            .filter(|(_, k)| lines[**k].page == line.page)
            .map(|(band, k)| (band, (lines[*k].y - line.y).abs()))
            .filter(|(_, distance)| *distance <= reach)
            .min_by(|a, b| a.1.total_cmp(&b.1))
            .map(|(band, _)| band)
    };
    // A row broken across a page: the end of its label, alone at the top of the next page in a
    // ruled band that holds nothing but labels and keeps the row's cells (a vertical line between
    // the label and the figures' column: a caption spanning the table has none), belongs to the
    // last row of the page before.
    let x_of = |band: usize| {
        let line = &lines[data[band]];
        line.values()
            .next()
            .map_or(line.x0(), |t| (t.x0 + t.x1) / 2.0)
    };
    let continued = |k: usize| -> Option<usize> {
        let line = &lines[k];
        let before = data.iter().rposition(|&d| d < k)?;
        let previous = &lines[data[before]];
        if previous.page + 1 != line.page
            || data
                .get(before + 1)
                .is_some_and(|&next| lines[next].page != line.page)
        {
            return None;
        }
        let (below, above) = ruling.band(line.page, line.y, x_of(before))?;
        let label_end = line
            .tokens
            .iter()
            .map(|t| t.x1)
            .fold(f64::NEG_INFINITY, f64::max);
        if !ruling.separates(line.page, line.y, label_end, x_of(before)) {
            return None;
        }
        let labels_only = lines[data[before] + 1..]
            .iter()
            .filter(|other| other.page == line.page && other.y > below && other.y < above)
            .all(|other| {
                other
                    .tokens
                    .iter()
                    .all(|token| token.x1 <= label_limit + 0.5 * other.size)
            });
        labels_only.then_some(before)
    };
    enum Item<'l> {
        Row(usize),
        Own(&'l Line),
    }
    let mut items: Vec<Item<'_>> = Vec::new();
    let mut fragments: Vec<Vec<Fragment<'_>>> = vec![Vec::new(); data.len()];
    let mut trailing = Vec::new();
    for (k, line) in lines.iter().enumerate() {
        let position = f64::from(line.page) * 100_000.0 - line.y;
        let band = if kinds[k] == Kind::Values {
            data.iter().position(|&d| d == k)
        } else {
            owner(line).or_else(|| continued(k))
        };
        match band {
            Some(band) => {
                if kinds[k] == Kind::Values {
                    items.push(Item::Row(band));
                }
                for token in &line.tokens {
                    if token.x1 <= label_limit + 0.5 * line.size
                        && !classify(&token.text).is_value_like()
                    {
                        fragments[band].push((position, token.x0, token));
                    }
                }
            }
            None if k > last => trailing.push(line),
            None => items.push(Item::Own(line)),
        }
    }
    let mut rows: Vec<Vec<RawCell>> = Vec::with_capacity(items.len());
    for item in items {
        match item {
            Item::Own(line) => rows.push(vec![(line.text(), 1, 1)]),
            Item::Row(band) => {
                let mut cells: Vec<RawCell> = label_cells(&mut fragments[band], margins.body_size)
                    .into_iter()
                    .map(|text| (text, 1, 1))
                    .collect();
                cells.extend(
                    placed_values(&lines[data[band]], &columns)
                        .into_iter()
                        .map(|text| (text, 1, 1)),
                );
                rows.push(cells);
            }
        }
    }
    canvas.push_table(&rows, TableKind::PdfLayout);
    for line in trailing {
        canvas.push_text(&line.text());
        canvas.flush();
    }
}

/// A label fragment: its vertical position (top to bottom across pages), its left edge, its token.
type Fragment<'t> = (f64, f64, &'t Token);

/// Label fragments of one row grouped into columns by where they start (a vertical group label,
/// a group, the row label), each column's fragments joined top to bottom.
fn label_cells(fragments: &mut [Fragment<'_>], size: f64) -> Vec<String> {
    fragments.sort_by(|a, b| a.1.total_cmp(&b.1));
    let mut columns: Vec<(f64, Vec<Fragment<'_>>)> = Vec::new();
    for fragment in fragments.iter() {
        match columns.last_mut() {
            Some((x, members)) if fragment.1 - *x < 1.2 * size => members.push(*fragment),
            _ => columns.push((fragment.1, vec![*fragment])),
        }
    }
    columns
        .into_iter()
        .map(|(_, mut members)| {
            members.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.total_cmp(&b.1)));
            members
                .iter()
                .map(|(_, _, token)| token.text.as_str())
                .collect::<String>()
        })
        .filter(|text| !text.is_empty())
        .collect()
}

/// The x-centres of the value columns, from the rows with the most figures, when those are most
/// of the rows (a table whose rows differ in width, like 表二, gets none).
fn value_columns(rows: &[&Line]) -> Vec<f64> {
    let widest = rows
        .iter()
        .map(|line| line.values().count())
        .max()
        .unwrap_or(0);
    let full: Vec<&&Line> = rows
        .iter()
        .filter(|line| line.values().count() == widest)
        .collect();
    if widest < 2 || full.len() * 2 < rows.len() {
        return Vec::new();
    }
    (0..widest)
        .map(|column| {
            let sum: f64 = full
                .iter()
                .filter_map(|line| line.values().nth(column))
                .map(|token| (token.x0 + token.x1) / 2.0)
                .sum();
            sum / full.len() as f64
        })
        .collect()
}

/// A row's figures, with an empty cell where a column has none — placed by position, and only
/// when every figure falls clearly in one column.
fn placed_values(line: &Line, columns: &[f64]) -> Vec<String> {
    let values: Vec<&Token> = line.values().collect();
    if columns.is_empty() || values.len() >= columns.len() {
        return values.iter().map(|token| token.text.clone()).collect();
    }
    let spacing = columns
        .windows(2)
        .map(|pair| pair[1] - pair[0])
        .fold(f64::INFINITY, f64::min);
    let mut placed: Vec<Option<String>> = vec![None; columns.len()];
    for token in &values {
        let centre = (token.x0 + token.x1) / 2.0;
        let nearest = columns
            .iter()
            .enumerate()
            .min_by(|(_, a), (_, b)| (*a - centre).abs().total_cmp(&(*b - centre).abs()))
            .map(|(index, _)| index);
        match nearest {
            Some(index)
                if placed[index].is_none() && (columns[index] - centre).abs() < spacing / 2.0 =>
            {
                placed[index] = Some(token.text.clone());
            }
            // Ambiguous: keep the figures as they are (the row will read as misaligned).
            _ => return values.iter().map(|token| token.text.clone()).collect(),
        }
    }
    placed.into_iter().map(Option::unwrap_or_default).collect()
}
