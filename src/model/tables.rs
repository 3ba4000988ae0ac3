//! Tables 二, 三 and 四 read into typed cells, keyed by the official row and column names.
//!
//! A cell is only ever placed in a column when its position is known: from the page's header
//! cells, or because the row has exactly the number of figures the layout expects. A row with
//! too few or too many figures is kept as *misaligned*: its figures are shown to the user but no
//! check may use them (the missing ones may have been blank cells that flattening dropped).

use std::collections::HashMap;

use super::layout::{
    self, Domain, Edition, GroupSpec, Ordinal, RowSpec, T2RowSpec, TableId, split_ordinal,
};
use serde::Serialize;

use crate::source::{Cell, CellContent, Document, Table, TableKind};
use crate::text::{TextRange, fold};

/// A statistical table read into the official layout.
#[derive(Clone, Debug)]
pub struct TypedTable {
    /// Which table.
    pub id: TableId,
    /// The format edition its layout follows (表二 and 表三).
    pub edition: Option<Edition>,
    /// The span of the source table(s).
    pub range: TextRange,
    /// Where the cells came from, which says how far their columns can be trusted.
    pub source: TableSource,
    /// The layout's rows, in order; rows absent from the source are [`RowCells::Missing`].
    pub rows: Vec<TypedRow>,
    /// Rows holding figures whose label matches no row of the layout (or repeats one).
    pub unrecognised: Vec<TextRange>,
}

/// Where a typed table's cells came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum TableSource {
    /// A table with explicit cells (HTML, Word).
    Grid,
    /// Text flattened one cell per line (blank cells dropped).
    Flattened,
    /// Rebuilt from positions on PDF pages.
    PdfLayout,
    /// Text in which a row's figures ran together (`713000074`).
    RunTogether,
}

impl From<TableKind> for TableSource {
    fn from(kind: TableKind) -> Self {
        match kind {
            TableKind::Grid => Self::Grid,
            TableKind::Flattened => Self::Flattened,
            TableKind::PdfLayout => Self::PdfLayout,
        }
    }
}

/// A row whose figures ran together in the source.
#[derive(Clone, Debug)]
pub struct RunTogether {
    /// The run of figures as written.
    pub range: TextRange,
    /// True when exactly one split was possible and the cells were recovered from it.
    pub recovered: bool,
}

/// A row of the official layout and what the source holds for it.
#[derive(Clone, Debug)]
pub struct TypedRow {
    /// The key rules use (`（三）1`, `行政复议`, `规章`).
    pub key: &'static str,
    /// The label used in messages.
    pub display: &'static str,
    /// Where the row's label is (or, for 表四, its figures); `None` when the row is missing.
    pub label: Option<TextRange>,
    /// The layout's columns for this row, with their domains.
    pub columns: Vec<(&'static str, Domain)>,
    /// The cells.
    pub cells: RowCells,
    /// Set when the row's figures ran together in the source.
    pub run_together: Option<RunTogether>,
}

/// The cells of a row.
#[derive(Clone, Debug)]
pub enum RowCells {
    /// The row is not in the source.
    Missing,
    /// One cell per layout column, in layout order.
    Aligned(Vec<TypedCell>),
    /// The figures found, whose columns cannot be known (too few or too many).
    Misaligned(Vec<TypedCell>),
    /// The figures ran together and cannot be split into cells (see [`TypedRow::run_together`]).
    Unreadable,
}

/// One cell: what it holds and where.
#[derive(Clone, Debug)]
pub struct TypedCell {
    /// Its content.
    pub content: CellContent,
    /// Its span.
    pub range: TextRange,
    /// True when the cell was recovered by splitting figures that ran together.
    pub recovered: bool,
}

/// Why a cell's figure cannot be used.
#[derive(Clone, Debug, PartialEq)]
pub enum CellProblem {
    /// The whole row is missing.
    RowMissing,
    /// The row has the wrong number of figures, so the cell cannot be placed.
    RowMisaligned {
        /// Figures found.
        found: usize,
        /// Figures expected.
        expected: usize,
    },
    /// The cell is blank.
    Blank,
    /// The cell holds a placeholder such as `/` or `-`.
    Placeholder(String),
    /// The cell holds something that is not a valid figure for its column.
    Invalid(String),
    /// The row's figures ran together and cannot be split.
    Unreadable,
}

/// The result of looking a cell up.
#[derive(Clone, Debug)]
pub enum Lookup<'a> {
    /// The table's layout has no such row or column (for example `小计` in a 7-column 表三).
    NotInLayout,
    /// A usable whole number.
    Value {
        /// The figure.
        value: i64,
        /// The cell.
        cell: &'a TypedCell,
    },
    /// The cell exists in the layout but holds no usable figure.
    Unavailable {
        /// Why.
        problem: CellProblem,
        /// Where (the cell, or the row label when the cell cannot be placed).
        range: Option<TextRange>,
    },
}

impl TypedCell {
    /// Checks the cell against its column's domain.
    pub fn problem(&self, domain: Domain) -> Option<CellProblem> {
        match &self.content {
            CellContent::Blank => Some(CellProblem::Blank),
            CellContent::Placeholder(text) => Some(CellProblem::Placeholder(text.clone())),
            CellContent::Text(text) => Some(CellProblem::Invalid(text.clone())),
            CellContent::Number(number) => {
                let valid = match domain {
                    Domain::Count => number.non_negative_integer().is_some(),
                    Domain::Signed => number.integer.is_some(),
                    Domain::Amount => number.value >= 0.0,
                };
                (!valid).then(|| CellProblem::Invalid(String::new()))
            }
        }
    }
}

impl TypedTable {
    /// The row with this key (keys compare after normalisation, so `(三)1` finds `（三）1`).
    pub fn row(&self, key: &str) -> Option<&TypedRow> {
        // Rule files' keys are resolved to the layout's own at load time: compare directly first.
        self.rows.iter().find(|row| row.key == key).or_else(|| {
            let key = fold(key);
            self.rows.iter().find(|row| fold(row.key) == key)
        })
    }

    /// Looks up the figure at (row, column).
    pub fn lookup(&self, row_key: &str, column: &str) -> Lookup<'_> {
        let Some(row) = self.row(row_key) else {
            return Lookup::NotInLayout;
        };
        let Some(index) = row.columns.iter().position(|(name, _)| *name == column) else {
            return Lookup::NotInLayout;
        };
        let domain = row.columns[index].1;
        match &row.cells {
            RowCells::Missing => Lookup::Unavailable {
                problem: CellProblem::RowMissing,
                range: None,
            },
            RowCells::Unreadable => Lookup::Unavailable {
                problem: CellProblem::Unreadable,
                range: row.run_together.as_ref().map(|run| run.range).or(row.label),
            },
            RowCells::Misaligned(values) => Lookup::Unavailable {
                problem: CellProblem::RowMisaligned {
                    found: values.len(),
                    expected: row.columns.len(),
                },
                range: row.label,
            },
            RowCells::Aligned(cells) => {
                let cell = &cells[index];
                match (cell.problem(domain), &cell.content) {
                    (None, CellContent::Number(number)) => match number.integer {
                        Some(value) => Lookup::Value { value, cell },
                        None => Lookup::Unavailable {
                            problem: CellProblem::Invalid(String::new()),
                            range: Some(cell.range),
                        },
                    },
                    (problem, _) => Lookup::Unavailable {
                        problem: problem.unwrap_or(CellProblem::Invalid(String::new())),
                        range: Some(cell.range),
                    },
                }
            }
        }
    }

    /// The column names of the table's first row (for rules iterating over columns).
    pub fn column_names(&self) -> Vec<&'static str> {
        self.rows
            .first()
            .map(|row| row.columns.iter().map(|(name, _)| *name).collect())
            .unwrap_or_default()
    }
}

/// Finds and reads tables 二, 三 and 四 in a document. `year` picks the edition when the table
/// itself does not show it.
pub fn read_tables(doc: &Document, year: Option<i32>) -> Vec<TypedTable> {
    let mut t2_sources = Vec::new();
    let mut t3 = None;
    let mut t4 = None;
    for table in doc.tables() {
        match classify(table) {
            Some(TableId::T2) => t2_sources.push(table),
            Some(TableId::T3) if t3.is_none() => t3 = Some(table),
            Some(TableId::T4) if t4.is_none() => t4 = Some(table),
            _ => {}
        }
    }
    let mut typed = Vec::new();
    if !t2_sources.is_empty() {
        typed.push(read_t2(&t2_sources, year));
    }
    if let Some(table) = t3 {
        typed.push(read_t3(table, year));
    }
    if let Some(table) = t4 {
        typed.push(read_t4(table));
    }
    let missing: Vec<TableId> = [TableId::T2, TableId::T3, TableId::T4]
        .into_iter()
        .filter(|id| typed.iter().all(|table| table.id != *id))
        .collect();
    if !missing.is_empty() {
        typed.extend(super::run_together::read(doc, year, &missing));
        typed.sort_by_key(|table| table.id);
    }
    typed
}

/// Which statistical table a source table is, judged from its labels.
fn classify(table: &Table) -> Option<TableId> {
    let labels: String = table
        .rows
        .iter()
        .flat_map(|row| &row.cells)
        .filter(|cell| matches!(cell.content, CellContent::Text(_)))
        .map(|cell| fold(&cell.text))
        .collect();
    if labels.contains("本年新收") || labels.contains("勾稽") || labels.contains("申请人情况")
    {
        Some(TableId::T3)
    } else if labels.contains("行政复议")
        && (labels.contains("复议后起诉") || labels.contains("行政诉讼"))
    {
        Some(TableId::T4)
    } else if labels.contains("第二十条")
        || labels.contains("信息内容")
        || layout::T2_MARKERS_2019
            .iter()
            .chain(layout::T2_MARKERS_2021)
            .any(|marker| labels.contains(&fold(marker)))
    {
        Some(TableId::T2)
    } else {
        None
    }
}

/// A physical row split into its leading label cells and the value cells after them.
struct Split<'a> {
    labels: Vec<&'a Cell>,
    values: Vec<&'a Cell>,
    has_figure: bool,
}

fn split_row(cells: &[Cell]) -> Split<'_> {
    let first_value = cells
        .iter()
        .position(|cell| !matches!(cell.content, CellContent::Text(_)))
        .unwrap_or(cells.len());
    let (labels, values) = cells.split_at(first_value);
    Split {
        labels: labels.iter().collect(),
        values: values.iter().collect(),
        has_figure: values
            .iter()
            .any(|cell| matches!(cell.content, CellContent::Number(_))),
    }
}

/// Drops blank cells at the end of a row beyond the `expected` count: a table wider than the row
/// (表二's two-figure rows in a four-column table) pads it with empty cells.
fn trim_padding(values: &mut Vec<&Cell>, expected: usize) {
    while values.len() > expected
        && values
            .last()
            .is_some_and(|cell| cell.content == CellContent::Blank)
    {
        values.pop();
    }
}

fn typed(cell: &Cell) -> TypedCell {
    TypedCell {
        content: cell.content.clone(),
        range: cell.range,
        recovered: false,
    }
}

fn matches_group(group: &GroupSpec, ordinal: Option<Ordinal>, rest: &str) -> bool {
    group.keywords.iter().any(|keyword| rest.contains(keyword))
        && (group.ordinal.is_none() || ordinal.is_none() || ordinal == group.ordinal)
}

fn matches_row(spec: &RowSpec, ordinal: Option<Ordinal>, rest: &str, group: Option<&str>) -> bool {
    spec.keywords.iter().any(|keyword| rest.contains(keyword))
        && (spec.ordinal.is_none() || ordinal.is_none() || ordinal == spec.ordinal)
        && spec.group.is_none_or(|required| group == Some(required))
}

/// Finds the 表三 row a label names, given the group it sits under.
fn match_t3_row(label: &str, group: Option<&str>) -> Option<&'static RowSpec> {
    let folded = fold(label);
    let (ordinal, rest) = split_ordinal(&folded);
    // The layout lists sub-rows before totals, so the most specific row wins.
    layout::t3_all_rows().find(|spec| matches_row(spec, ordinal, rest, group))
}

pub(super) fn match_t3_group(label: &str) -> Option<&'static GroupSpec> {
    let folded = fold(label);
    let (ordinal, rest) = split_ordinal(&folded);
    layout::T3_GROUPS
        .iter()
        .find(|group| matches_group(group, ordinal, rest))
}

/// Recognises 表三 rows in reading order, keeping track of the group they sit under.
#[derive(Default)]
pub(super) struct T3Matcher {
    group: Option<&'static str>,
    /// The group of the last row recognised (`（六）` after `（六）2`): where a group label was
    /// lost or broken up (PDF, run-together text), the rows that follow still belong to it.
    last_group: Option<&'static str>,
}

impl T3Matcher {
    /// Notes a label that may open a group.
    pub(super) fn observe(&mut self, label: &str) {
        if let Some(found) = match_t3_group(label) {
            self.group = Some(found.key);
        }
    }

    /// The row a label names, if any.
    pub(super) fn row(&mut self, label: &str) -> Option<&'static RowSpec> {
        let spec = match_t3_row(label, self.group).or_else(|| {
            self.last_group
                .and_then(|group| match_t3_row(label, Some(group)))
        })?;
        self.last_group = layout::T3_GROUPS
            .iter()
            .map(|group| group.key)
            .find(|group| spec.key.starts_with(group) && spec.key.len() > group.len());
        Some(spec)
    }
}

/// 表三: rows matched by label, columns by header cells (HTML) or by the fixed official order.
fn read_t3(table: &Table, year: Option<i32>) -> TypedTable {
    let has_subtotal = table
        .rows
        .iter()
        .flat_map(|row| &row.cells)
        .any(|cell| fold(&cell.text) == "小计");
    let columns: &[&'static str] = if has_subtotal {
        &layout::T3_COLUMNS_WITH_SUBTOTAL
    } else {
        &layout::T3_COLUMNS
    };
    let mut matched: HashMap<&'static str, (TextRange, Vec<&Cell>)> = HashMap::new();
    let mut unrecognised = Vec::new();
    let mut matcher = T3Matcher::default();
    let mut first_data_row = None;
    for (r, row) in table.rows.iter().enumerate() {
        let split = split_row(&row.cells);
        let Some(last) = split.labels.last() else {
            if split.has_figure {
                unrecognised.push(row.range);
            }
            continue;
        };
        for label in &split.labels {
            matcher.observe(&label.text);
        }
        let folded = fold(&last.text);
        let (ordinal, _) = split_ordinal(&folded);
        // A label with no figures after it is a header or a group label, unless it is numbered
        // like a data row (its figures were lost).
        if split.values.is_empty() && ordinal.is_none() {
            continue;
        }
        let spec = matcher.row(&last.text);
        let spec = match spec {
            // "（六）其他处理" with figures is the 2019 edition's data row; without, a group label.
            Some(spec) if spec.key == "（六）" && split.values.is_empty() => continue,
            Some(spec) => spec,
            None if match_t3_group(&last.text).is_some() && split.values.is_empty() => continue,
            None => {
                if split.has_figure {
                    unrecognised.push(row.range);
                }
                continue;
            }
        };
        if matched.contains_key(spec.key) {
            unrecognised.push(row.range);
            continue;
        }
        first_data_row.get_or_insert(r);
        let mut values = split.values;
        trim_padding(&mut values, columns.len());
        matched.insert(spec.key, (last.range, values));
    }
    let edition = layout::t3_edition(matched.keys().copied(), year);
    let header_map = if table.kind == TableKind::Flattened {
        HashMap::new()
    } else {
        header_columns(table, first_data_row.unwrap_or(0), |label| {
            columns.iter().copied().find(|name| *name == label)
        })
    };
    let rows = layout::t3_rows(edition)
        .map(|spec| {
            let (label, cells) = match matched.remove(spec.key) {
                Some((label, values)) => (Some(label), place(&values, columns, &header_map)),
                None => (None, RowCells::Missing),
            };
            TypedRow {
                key: spec.key,
                display: spec.display,
                label,
                columns: columns.iter().map(|name| (*name, Domain::Count)).collect(),
                cells,
                run_together: None,
            }
        })
        .collect();
    // Rows of the other edition that were matched are not part of this layout.
    unrecognised.extend(matched.into_values().map(|(label, _)| label));
    unrecognised.sort();
    TypedTable {
        id: TableId::T3,
        edition: Some(edition),
        range: table.range,
        source: table.kind.into(),
        rows,
        unrecognised,
    }
}

/// For a table read from markup, the column name each grid column carries: the lowest header cell
/// above it that `name` recognises (blank header cells are looked through).
fn header_columns<T: Copy>(
    table: &Table,
    header_rows: usize,
    name: impl Fn(&str) -> Option<T>,
) -> HashMap<usize, T> {
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
            if let Some(found) = name(&label) {
                map.insert(column, found);
            }
            break;
        }
    }
    map
}

/// Places a row's value cells in the layout's columns.
fn place(
    values: &[&Cell],
    columns: &[&'static str],
    header_map: &HashMap<usize, &'static str>,
) -> RowCells {
    if !header_map.is_empty() {
        let mut placed: Vec<Option<TypedCell>> = vec![None; columns.len()];
        let mut complete = values.len() == columns.len();
        for cell in values {
            let slot = header_map
                .get(&cell.column)
                .and_then(|name| columns.iter().position(|c| c == name));
            match slot {
                Some(index) if placed[index].is_none() => placed[index] = Some(typed(cell)),
                _ => complete = false,
            }
        }
        if complete && placed.iter().all(Option::is_some) {
            return RowCells::Aligned(placed.into_iter().flatten().collect());
        }
    }
    let cells: Vec<TypedCell> = values.iter().map(|cell| typed(cell)).collect();
    if cells.len() == columns.len() {
        RowCells::Aligned(cells)
    } else {
        RowCells::Misaligned(cells)
    }
}

/// 表四: one row of 15 figures, three groups of five.
fn read_t4(table: &Table) -> TypedTable {
    let mut values: Vec<&Cell> = Vec::new();
    let mut first_data_row = None;
    for (r, row) in table.rows.iter().enumerate() {
        let split = split_row(&row.cells);
        if split.has_figure || (!split.values.is_empty() && first_data_row.is_some()) {
            first_data_row.get_or_insert(r);
            values.extend(split.values);
        }
    }
    let expected = layout::T4_GROUPS.len() * layout::T4_COLUMNS.len();
    let label = values
        .first()
        .zip(values.last())
        .map(|(first, last)| first.range.cover(last.range));
    let placed = if table.kind == TableKind::Flattened {
        None
    } else {
        place_t4(table, first_data_row.unwrap_or(0), &values)
    };
    let columns: Vec<(&'static str, Domain)> = layout::T4_COLUMNS
        .iter()
        .map(|name| (*name, Domain::Count))
        .collect();
    let rows = layout::T4_GROUPS
        .iter()
        .enumerate()
        .map(|(g, group)| {
            let cells = if let Some(placed) = &placed {
                RowCells::Aligned(placed[g].clone())
            } else if values.is_empty() {
                RowCells::Missing
            } else if values.len() == expected {
                let width = layout::T4_COLUMNS.len();
                RowCells::Aligned(
                    values[g * width..(g + 1) * width]
                        .iter()
                        .map(|c| typed(c))
                        .collect(),
                )
            } else {
                RowCells::Misaligned(values.iter().map(|c| typed(c)).collect())
            };
            TypedRow {
                key: group,
                display: group,
                label: if values.is_empty() { None } else { label },
                columns: columns.clone(),
                cells,
                run_together: None,
            }
        })
        .collect();
    TypedTable {
        id: TableId::T4,
        edition: None,
        range: table.range,
        source: table.kind.into(),
        rows,
        unrecognised: Vec::new(),
    }
}

/// Places 表四's figures by their header cells: (group, column) for each grid column.
fn place_t4(table: &Table, header_rows: usize, values: &[&Cell]) -> Option<Vec<Vec<TypedCell>>> {
    let width = layout::T4_COLUMNS.len();
    if values.len() != layout::T4_GROUPS.len() * width {
        return None;
    }
    let mut placed: Vec<Vec<Option<TypedCell>>> = vec![vec![None; width]; layout::T4_GROUPS.len()];
    for cell in values {
        let mut group = None;
        let mut column = None;
        for row in 0..header_rows {
            let Some(header) = table.covering(row, cell.column) else {
                continue;
            };
            let label = fold(&header.text);
            if let Some(g) = layout::T4_GROUPS.iter().position(|name| *name == label) {
                group = Some(g);
            }
            if let Some(c) = layout::T4_COLUMNS.iter().position(|name| *name == label) {
                column = Some(c);
            }
        }
        let slot = &mut placed[group?][column?];
        if slot.is_some() {
            return None;
        }
        *slot = Some(typed(cell));
    }
    placed
        .into_iter()
        .map(|row| row.into_iter().collect::<Option<Vec<_>>>())
        .collect()
}

/// Strips a trailing parenthesised annotation: `规章(设区的市…应提供相关数据)` → `规章`.
fn strip_annotation(folded: &str) -> &str {
    match folded.find('(') {
        Some(at) if at > 0 => &folded[..at],
        _ => folded,
    }
}

/// 表二: a stack of sub-tables; rows matched by label, the edition by the header words.
fn read_t2(tables: &[&Table], year: Option<i32>) -> TypedTable {
    let labels: String = tables
        .iter()
        .flat_map(|table| &table.rows)
        .flat_map(|row| &row.cells)
        .filter(|cell| matches!(cell.content, CellContent::Text(_)))
        .map(|cell| fold(&cell.text))
        .collect();
    let edition = layout::t2_edition(&labels, year);
    let specs = layout::t2_rows(edition);
    let mut found: HashMap<&'static str, (TextRange, Vec<TypedCell>)> = HashMap::new();
    let mut unrecognised = Vec::new();
    for row in tables.iter().flat_map(|table| &table.rows) {
        let split = split_row(&row.cells);
        let Some(last) = split.labels.last() else {
            continue;
        };
        let folded = fold(&last.text);
        let label = strip_annotation(&folded);
        let spec = specs.iter().find(|spec| label == spec.key).or_else(|| {
            let mut by_length: Vec<&T2RowSpec> = specs.iter().collect();
            by_length.sort_by_key(|spec| std::cmp::Reverse(spec.key.len()));
            by_length.into_iter().find(|spec| label.contains(spec.key))
        });
        match spec {
            Some(spec) if !found.contains_key(spec.key) && !split.values.is_empty() => {
                let mut values = split.values;
                trim_padding(&mut values, spec.columns.len());
                found.insert(
                    spec.key,
                    (last.range, values.iter().map(|cell| typed(cell)).collect()),
                );
            }
            _ if split.has_figure => unrecognised.push(row.range),
            _ => {}
        }
    }
    let rows = specs
        .iter()
        .map(|spec| {
            let (label, cells) = match found.remove(spec.key) {
                Some((label, cells)) if cells.len() == spec.columns.len() => {
                    (Some(label), RowCells::Aligned(cells))
                }
                Some((label, cells)) => (Some(label), RowCells::Misaligned(cells)),
                None => (None, RowCells::Missing),
            };
            TypedRow {
                key: spec.key,
                display: spec.key,
                label,
                columns: spec.columns.to_vec(),
                cells,
                run_together: None,
            }
        })
        .collect();
    let range = tables
        .iter()
        .map(|table| table.range)
        .reduce(TextRange::cover)
        .unwrap_or_default();
    TypedTable {
        id: TableId::T2,
        edition: Some(edition),
        range,
        source: tables
            .first()
            .map_or(TableSource::Grid, |table| table.kind.into()),
        rows,
        unrecognised,
    }
}
