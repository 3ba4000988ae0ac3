//! Placing a matched row's figures in its layout's columns: by the header cells above them, by
//! count, or split out of a run of figures by the row's arithmetic.

use std::collections::HashMap;

use super::candidates::{Candidate, Value, interpreted};
use super::provenance;
use crate::model::layout::{Domain, Layout};
use crate::model::table::{Provenance, RowCells, TypedCell, TypedRow, TypedTable};
use crate::source::{CellContent, FigureRun, RunReading, Table, TableKind};
use crate::text::{TextRange, fold};

/// The arithmetic of a row's columns for splitting figures that ran together: each total ends a
/// group with the columns before it; a column outside any group is a group of its own.
pub(super) fn column_groups(layout: &Layout, columns: &[(&str, Domain)]) -> Vec<usize> {
    let mut groups = Vec::new();
    let mut open = 0;
    for (name, _) in columns {
        open += 1;
        if layout
            .columns
            .iter()
            .any(|column| column.key == *name && column.total)
        {
            groups.push(open);
            open = 0;
        }
    }
    groups.extend(std::iter::repeat_n(1, open));
    groups
}

fn typed(value: &Value, provenance: Provenance) -> TypedCell {
    TypedCell {
        content: value.content.clone(),
        range: value.range,
        provenance,
    }
}

/// A row's figures in its columns: by header cells, by count, or split out of a run.
pub(super) fn place(
    candidate: &Candidate<'_>,
    columns: &[(&'static str, Domain)],
    groups: Vec<usize>,
    header_map: &HashMap<usize, &'static str>,
) -> (RowCells, Option<TextRange>) {
    let provenance = provenance(candidate.kind);
    if let [cell] = candidate.values.as_slice()
        && let CellContent::Run(run) = &cell.content
    {
        return read_run(run, &groups);
    }
    let mut values: Vec<&Value> = candidate.values.iter().collect();
    // A table wider than the row (表二's two-figure rows in a four-column table) pads it with
    // blank cells.
    while values.len() > columns.len()
        && values
            .last()
            .is_some_and(|cell| cell.content == CellContent::Blank)
    {
        values.pop();
    }
    // A converter's table repeats a merged label cell as blanks before the figures.
    while interpreted(candidate.kind)
        && values.len() > columns.len()
        && values
            .first()
            .is_some_and(|cell| cell.content == CellContent::Blank)
    {
        values.remove(0);
    }
    if !header_map.is_empty() {
        let mut placed: Vec<Option<TypedCell>> = vec![None; columns.len()];
        let mut complete = values.len() == columns.len();
        for cell in &values {
            let slot = header_map
                .get(&cell.column)
                .and_then(|name| columns.iter().position(|(column, _)| column == name));
            match slot {
                Some(index) if placed[index].is_none() => {
                    placed[index] = Some(typed(cell, provenance));
                }
                _ => complete = false,
            }
        }
        if complete && placed.iter().all(Option::is_some) {
            return (
                RowCells::Aligned(placed.into_iter().flatten().collect()),
                None,
            );
        }
    }
    let cells: Vec<TypedCell> = values.iter().map(|cell| typed(cell, provenance)).collect();
    if cells.len() == columns.len() {
        (RowCells::Aligned(cells), None)
    } else {
        (RowCells::Misaligned(cells), None)
    }
}

/// The cells of a run of figures, and the run when they were recovered from it.
pub(super) fn read_run(run: &FigureRun, groups: &[usize]) -> (RowCells, Option<TextRange>) {
    let cells = |figures: Vec<crate::source::Figure>, provenance| {
        figures
            .into_iter()
            .map(|figure| TypedCell {
                content: figure.content,
                range: figure.range,
                provenance,
            })
            .collect()
    };
    match run.read(groups) {
        RunReading::AsWritten(figures) => (
            RowCells::Aligned(cells(figures, Provenance::Extracted)),
            None,
        ),
        RunReading::Recovered(figures) => (
            RowCells::Aligned(cells(figures, Provenance::Recovered)),
            Some(run.range()),
        ),
        RunReading::Ambiguous => (RowCells::Unreadable(run.range()), None),
    }
}

/// For a table read from markup, the column each grid column carries: the lowest header cell
/// above the first data row that names a column (blank header cells are looked through).
pub(super) fn header_columns(
    table: &Table,
    header_rows: usize,
    layout: &'static Layout,
    present: &[bool],
) -> HashMap<usize, &'static str> {
    let mut map = HashMap::new();
    for column in 0..table.width() {
        for row in (0..header_rows).rev() {
            let Some(cell) = table.covering(row, column) else {
                continue;
            };
            let label = fold(&cell.text);
            if label.is_empty() {
                continue;
            }
            if let Some(index) = layout.column_named(&label)
                && (!layout.columns[index].optional || present.get(index).copied().unwrap_or(false))
            {
                map.insert(column, layout.columns[index].key.as_str());
            }
            break;
        }
    }
    map
}

/// A table whose rows are written one after another in one line, without labels (表四: three
/// groups of five figures).
pub(super) fn read_one_line(
    layout: &'static Layout,
    candidates: &[Candidate<'_>],
    run_on: bool,
    provenance: Provenance,
) -> Option<TypedTable> {
    let mut values: Vec<&Value> = Vec::new();
    let mut first_data_row: Option<&Candidate<'_>> = None;
    // In a table whose layout was interpreted, figures keep their order only when they come
    // together: figures cut apart by header words (a PDF's content order) cannot be placed.
    let mut interrupted = false;
    let mut scattered = false;
    for candidate in candidates {
        let has_values = !candidate.values.is_empty();
        if candidate.has_figure() || (has_values && first_data_row.is_some()) {
            let cut = !candidate.labels.is_empty() || !candidate.pending.is_empty();
            if first_data_row.is_some() && (interrupted || cut) && interpreted(candidate.kind) {
                scattered = true;
            }
            first_data_row.get_or_insert(candidate);
            values.extend(&candidate.values);
            if run_on {
                break;
            }
        } else if first_data_row.is_some() && !candidate.labels.is_empty() {
            interrupted = true;
        }
    }
    if run_on && values.is_empty() {
        return None;
    }
    let present = vec![false; layout.columns.len()];
    let columns: Vec<(&'static str, Domain)> = layout
        .columns
        .iter()
        .filter(|column| !column.optional)
        .map(|column| (column.key.as_str(), column.domain))
        .collect();
    let width = columns.len();
    let expected = layout.rows.len() * width;
    let label = values
        .first()
        .zip(values.last())
        .map(|(first, last)| first.range.cover(last.range));
    let range = candidates
        .iter()
        .map(|candidate| candidate.range)
        .reduce(TextRange::cover)
        .unwrap_or_default();
    let row_provenance =
        first_data_row.map_or(provenance, |candidate| super::provenance(candidate.kind));
    // Every row's cells, or one outcome for them all.
    let mut recovered_from = None;
    let per_row: Result<Vec<Vec<TypedCell>>, RowCells> = match values.as_slice() {
        [] => Err(RowCells::Missing),
        [cell] if matches!(cell.content, CellContent::Run(_)) => {
            let CellContent::Run(run) = &cell.content else {
                return None;
            };
            let groups: Vec<usize> = layout
                .rows
                .iter()
                .flat_map(|_| column_groups(layout, &columns))
                .collect();
            match read_run(run, &groups) {
                (RowCells::Aligned(cells), from) => {
                    recovered_from = from;
                    Ok(cells.chunks(width).map(<[TypedCell]>::to_vec).collect())
                }
                (other, _) => Err(other),
            }
        }
        _ => {
            let placed = first_data_row.and_then(|candidate| {
                matches!(candidate.kind, TableKind::Grid | TableKind::PdfLayout)
                    .then(|| place_by_headers(layout, candidate, &values, &columns))
                    .flatten()
            });
            match placed {
                Some(placed) => Ok(placed),
                None if values.len() == expected && !scattered => Ok(values
                    .chunks(width)
                    .map(|chunk| {
                        chunk
                            .iter()
                            .map(|cell| typed(cell, row_provenance))
                            .collect()
                    })
                    .collect()),
                None => Err(RowCells::Misaligned(
                    values
                        .iter()
                        .map(|cell| typed(cell, row_provenance))
                        .collect(),
                )),
            }
        }
    };
    let rows = layout
        .rows
        .iter()
        .enumerate()
        .map(|(g, spec)| {
            let cells = match &per_row {
                Ok(rows) => rows
                    .get(g)
                    .map_or(RowCells::Missing, |cells| RowCells::Aligned(cells.clone())),
                Err(outcome) => outcome.clone(),
            };
            TypedRow {
                key: &spec.key,
                display: &spec.label,
                label,
                columns: layout.row_columns(spec, &present),
                cells,
                provenance: row_provenance,
                recovered_from,
            }
        })
        .collect();
    Some(TypedTable {
        id: layout.table,
        layout,
        range,
        rows,
        unrecognised: Vec::new(),
        unplaced: Vec::new(),
    })
}

/// Places a one-line table's figures by the header cells above them: (row, column) for each grid
/// column. `None` unless every figure finds a place of its own.
fn place_by_headers(
    layout: &Layout,
    first: &Candidate<'_>,
    values: &[&Value],
    columns: &[(&'static str, Domain)],
) -> Option<Vec<Vec<TypedCell>>> {
    let width = columns.len();
    if values.len() != layout.rows.len() * width {
        return None;
    }
    let table = first.table?;
    let provenance = provenance(first.kind);
    let mut placed: Vec<Vec<Option<TypedCell>>> = vec![vec![None; width]; layout.rows.len()];
    for cell in values {
        let mut group = None;
        let mut column = None;
        for row in 0..first.row {
            let Some(header) = table.covering(row, cell.column) else {
                continue;
            };
            let label = fold(&header.text);
            if let Some(g) = layout
                .rows
                .iter()
                .position(|spec| spec.words.contains(&label))
            {
                group = Some(g);
            }
            if let Some(c) = columns.iter().position(|(name, _)| {
                layout
                    .column_named(&label)
                    .is_some_and(|i| layout.columns[i].key == *name)
            }) {
                column = Some(c);
            }
        }
        let slot = &mut placed[group?][column?];
        if slot.is_some() {
            return None;
        }
        *slot = Some(typed(cell, provenance));
    }
    placed
        .into_iter()
        .map(|row| row.into_iter().collect::<Option<Vec<_>>>())
        .collect()
}
