//! The few figures of a report that checks across years need (表三's 上年结转 and 结转下年度,
//! 表二's 现行有效件数 …), kept with their places once the document itself is gone: an audit of
//! thousands of reports pairs consecutive years at the end and must not hold every document.

use super::layout::TableId;
use super::table::{CellProblem, Lookup, Provenance};
use super::{Era, Report, ReportKind};
use crate::source::Document;
use crate::text::{Locator, Span, TextRange};

/// A figure, or why there is none.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FactValue {
    /// A usable whole number.
    Value(i64),
    /// The cell is in the layout but holds no usable figure, and why.
    Unavailable(CellProblem),
}

/// One cell kept.
#[derive(Clone, Debug)]
pub struct FactCell {
    /// Its column.
    pub column: &'static str,
    /// Its figure.
    pub value: FactValue,
    /// Where it is in the report's canonical text, if it has a place.
    pub range: Option<TextRange>,
    /// The same place as lines and columns.
    pub span: Option<Span>,
    /// How the figure was read.
    pub provenance: Provenance,
}

/// One row kept.
#[derive(Clone, Debug)]
pub struct FactRow {
    /// The row key (`四`, `规章`).
    pub key: &'static str,
    /// The label used in messages.
    pub display: &'static str,
    /// Its cells, in layout order.
    pub cells: Vec<FactCell>,
}

/// One table's rows kept.
#[derive(Clone, Debug)]
pub struct FactTable {
    /// Which table.
    pub id: TableId,
    /// The edition of its layout.
    pub edition: &'static str,
    /// The rows kept (none when the table holds none of the rows asked for).
    pub rows: Vec<FactRow>,
}

impl FactTable {
    /// The columns of the rows kept (of the first: 表三's rows share theirs), for checks that
    /// run over every column.
    pub fn columns(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.rows
            .first()
            .into_iter()
            .flat_map(|row| row.cells.iter().map(|cell| cell.column))
    }
}

/// What checks across years need from one report.
#[derive(Clone, Debug)]
pub struct YearFacts {
    /// The report's path, as shown.
    pub path: String,
    /// The issuing body named in the title.
    pub issuer: Option<String>,
    /// The report year.
    pub year: Option<i32>,
    /// The format era.
    pub era: Era,
    /// Annual report or not.
    pub kind: ReportKind,
    /// The tables, with the rows asked for.
    pub tables: Vec<FactTable>,
}

/// The answer to looking a figure up in the facts.
#[derive(Clone, Copy, Debug)]
pub enum FactLookup<'a> {
    /// The table is not in the report.
    NoTable,
    /// The table's layout has no such row or column.
    NotInLayout,
    /// The cell.
    Cell(&'a FactRow, &'a FactCell),
}

impl YearFacts {
    /// Keeps the rows `wanted` (table, row key) of a report. A table of the report is kept even
    /// when none of its rows is wanted or present, so that "no table" stays distinct.
    pub fn extract(
        doc: &Document,
        report: &Report,
        path: &str,
        wanted: &[(TableId, &'static str)],
    ) -> Self {
        // Built on first use: most pre-2019 reports have no table at all.
        let mut locator: Option<Locator<'_>> = None;
        let mut tables: Vec<FactTable> = Vec::new();
        for &(id, key) in wanted {
            let Some(table) = report.table(id) else {
                continue;
            };
            let index = match tables.iter().position(|kept| kept.id == id) {
                Some(index) => index,
                None => {
                    tables.push(FactTable {
                        id,
                        edition: table.edition(),
                        rows: Vec::new(),
                    });
                    tables.len() - 1
                }
            };
            let Some(row) = table.row(key) else {
                continue;
            };
            if tables[index].rows.iter().any(|kept| kept.key == row.key) {
                continue;
            }
            let locator = locator.get_or_insert_with(|| Locator::new(&doc.text));
            let cells = row
                .columns
                .iter()
                .map(|(column, _)| {
                    let (value, range, provenance) = match table.lookup(row.key, column) {
                        Lookup::Value { value, cell } => {
                            (FactValue::Value(value), Some(cell.range), cell.provenance)
                        }
                        Lookup::Unavailable { problem, range } => {
                            (FactValue::Unavailable(problem), range, row.provenance)
                        }
                        // The row's own columns: always in its layout.
                        Lookup::NotInLayout => (
                            FactValue::Unavailable(CellProblem::RowMissing),
                            None,
                            row.provenance,
                        ),
                    };
                    FactCell {
                        column,
                        value,
                        span: range.map(|range| locator.span(range)),
                        range,
                        provenance,
                    }
                })
                .collect();
            tables[index].rows.push(FactRow {
                key: row.key,
                display: row.display,
                cells,
            });
        }
        Self {
            path: path.to_owned(),
            issuer: report.issuer.clone(),
            year: report.year,
            era: report.era,
            kind: report.kind,
            tables,
        }
    }

    /// A table's facts.
    pub fn table(&self, id: TableId) -> Option<&FactTable> {
        self.tables.iter().find(|table| table.id == id)
    }

    /// Looks a figure up.
    pub fn lookup(&self, id: TableId, row: &str, column: &str) -> FactLookup<'_> {
        let Some(table) = self.table(id) else {
            return FactLookup::NoTable;
        };
        let Some(fact_row) = table.rows.iter().find(|r| r.key == row) else {
            return FactLookup::NotInLayout;
        };
        match fact_row.cells.iter().find(|cell| cell.column == column) {
            Some(cell) => FactLookup::Cell(fact_row, cell),
            None => FactLookup::NotInLayout,
        }
    }
}
