//! Where an identity's figures come from: this year's report (its typed tables), or the figures
//! kept of a report once its document is gone ([`YearFacts`]: this year's or last year's, when
//! two years are compared). One engine reads both the same way.

use crate::model::facts::{FactLookup, FactValue, YearFacts};
use crate::model::{CellProblem, Lookup, Provenance, Report, TableId};
use crate::text::{Span, TextRange};

/// Where a figure is written: its span in the report's canonical text and, once that text may be
/// gone, the same place as lines and columns.
#[derive(Clone, Copy, Debug)]
pub(super) struct Place {
    pub(super) range: TextRange,
    pub(super) span: Option<Span>,
}

/// A figure looked up.
#[derive(Clone, Debug)]
pub(super) enum Figure {
    /// The report has no such table.
    NoTable,
    /// The table's layout has no such row or column.
    NotInLayout,
    /// A usable whole number.
    Value {
        value: i64,
        place: Option<Place>,
        provenance: Provenance,
    },
    /// The cell is in the layout but holds no usable figure.
    Unavailable {
        problem: CellProblem,
        place: Option<Place>,
    },
}

/// A source of figures.
pub(super) trait Figures {
    /// The edition of the table, when the report has it.
    fn edition(&self, table: TableId) -> Option<&'static str>;
    /// The table's columns (of its first row).
    fn columns(&self, table: TableId) -> Vec<&'static str>;
    /// The table's rows.
    fn rows(&self, table: TableId) -> Vec<&'static str>;
    /// The figure at (row, column).
    fn figure(&self, table: TableId, row: &str, column: &str) -> Figure;
    /// The label of a row shown in messages.
    fn row_display(&self, table: TableId, row: &str) -> Option<&'static str>;
}

impl Figures for Report {
    fn edition(&self, table: TableId) -> Option<&'static str> {
        self.table(table).map(crate::model::TypedTable::edition)
    }

    fn columns(&self, table: TableId) -> Vec<&'static str> {
        self.table(table)
            .map(crate::model::TypedTable::column_names)
            .unwrap_or_default()
    }

    fn rows(&self, table: TableId) -> Vec<&'static str> {
        self.table(table)
            .map(|table| table.rows.iter().map(|row| row.key).collect())
            .unwrap_or_default()
    }

    fn figure(&self, table: TableId, row: &str, column: &str) -> Figure {
        let Some(typed) = self.table(table) else {
            return Figure::NoTable;
        };
        let place = |range: TextRange| Place { range, span: None };
        match typed.lookup(row, column) {
            Lookup::NotInLayout => Figure::NotInLayout,
            Lookup::Value { value, cell } => Figure::Value {
                value,
                place: Some(place(cell.range)),
                provenance: cell.provenance,
            },
            Lookup::Unavailable { problem, range } => Figure::Unavailable {
                problem,
                place: range.map(place),
            },
        }
    }

    fn row_display(&self, table: TableId, row: &str) -> Option<&'static str> {
        Some(self.table(table)?.row(row)?.display)
    }
}

impl Figures for YearFacts {
    fn edition(&self, table: TableId) -> Option<&'static str> {
        self.table(table).map(|table| table.edition)
    }

    fn columns(&self, table: TableId) -> Vec<&'static str> {
        self.table(table)
            .map(|table| table.columns().collect())
            .unwrap_or_default()
    }

    fn rows(&self, table: TableId) -> Vec<&'static str> {
        self.table(table)
            .map(|table| table.rows.iter().map(|row| row.key).collect())
            .unwrap_or_default()
    }

    fn figure(&self, table: TableId, row: &str, column: &str) -> Figure {
        match self.lookup(table, row, column) {
            FactLookup::NoTable => Figure::NoTable,
            FactLookup::NotInLayout => Figure::NotInLayout,
            FactLookup::Cell(_, cell) => {
                let place = cell.range.map(|range| Place {
                    range,
                    span: cell.span,
                });
                match &cell.value {
                    FactValue::Value(value) => Figure::Value {
                        value: *value,
                        place,
                        provenance: cell.provenance,
                    },
                    FactValue::Unavailable(problem) => Figure::Unavailable {
                        problem: problem.clone(),
                        place,
                    },
                }
            }
        }
    }

    fn row_display(&self, table: TableId, row: &str) -> Option<&'static str> {
        self.table(table)?
            .rows
            .iter()
            .find(|kept| kept.key == row)
            .map(|kept| kept.display)
    }
}
