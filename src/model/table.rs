//! Tables 二, 三 and 四 in typed cells, keyed by the rows and columns of their layout.
//!
//! A cell is only ever placed in a column when its position is known. Every cell says how it was
//! read ([`Provenance`]): rules never ask which reader made a table, only how far a figure can be
//! trusted.

use serde::Serialize;

use super::layout::{Domain, Layout, TableId};
use crate::source::CellContent;
use crate::text::TextRange;

/// A statistical table read into its layout.
#[derive(Clone, Debug)]
pub struct TypedTable {
    /// Which table.
    pub id: TableId,
    /// The layout (edition) it was read into.
    pub layout: &'static Layout,
    /// The span of the source table(s).
    pub range: TextRange,
    /// The layout's rows, in order; rows absent from the source are [`RowCells::Missing`].
    pub rows: Vec<TypedRow>,
    /// Rows holding figures whose label matches no row of the layout (or repeats one).
    pub unrecognised: Vec<TextRange>,
    /// Figures of a copy whose layout was interpreted that belong to no row the reading could
    /// find (their label was lost or misplaced by a conversion).
    pub unplaced: Vec<TextRange>,
}

/// How a figure was read, which says how far it can be trusted.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Provenance {
    /// Written as a cell of its own (an HTML or Word table): figure and place are as written.
    AsWritten,
    /// The figure is as written, its place inferred from a layout without cells (text flattened
    /// one cell per line, lines of a PDF page, a paragraph a crawler ran together). Such a
    /// reading can drop blank cells or miss a row the report has.
    Extracted,
    /// Not written apart at all: split out of figures that ran together, the only split the row's
    /// arithmetic allows.
    Recovered,
}

/// A row of the layout and what the source holds for it.
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
    /// How the row was read (for a missing row: how the table was read, which says whether the
    /// reading may have lost it).
    pub provenance: Provenance,
    /// The figures as written, when the cells were recovered from figures that ran together.
    pub recovered_from: Option<TextRange>,
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
    /// The figures ran together and cannot be split into cells: where they are written.
    Unreadable(TextRange),
}

/// One cell: what it holds and where.
#[derive(Clone, Debug)]
pub struct TypedCell {
    /// Its content.
    pub content: CellContent,
    /// Its span.
    pub range: TextRange,
    /// How it was read.
    pub provenance: Provenance,
}

/// Why a cell's figure cannot be used.
#[derive(Clone, Debug, PartialEq, Eq)]
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
            CellContent::Run(run) => Some(CellProblem::Invalid(run.text().to_owned())),
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
    /// The edition of the layout the table was read into (`2021`).
    pub fn edition(&self) -> &'static str {
        &self.layout.edition
    }

    /// The row with this key (keys compare after normalisation, so `(三)1` finds `（三）1`).
    pub fn row(&self, key: &str) -> Option<&TypedRow> {
        // Rule files' keys are resolved to the layout's own at load time: compare directly first.
        self.rows.iter().find(|row| row.key == key).or_else(|| {
            let key = crate::text::fold(key);
            self.rows
                .iter()
                .find(|row| crate::text::fold(row.key) == key)
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
            RowCells::Unreadable(run) => Lookup::Unavailable {
                problem: CellProblem::Unreadable,
                range: Some(*run),
            },
            RowCells::Misaligned(values) => Lookup::Unavailable {
                problem: CellProblem::RowMisaligned {
                    found: values.len(),
                    expected: row.columns.len(),
                },
                range: row.label,
            },
            RowCells::Aligned(cells) => {
                let Some(cell) = cells.get(index) else {
                    return Lookup::NotInLayout;
                };
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
