//! The few figures of a report that checks across years need (表三's 上年结转 and 结转下年度,
//! 表二's 现行有效件数 …), and the prints of the sections whose text they compare, kept with their
//! places once the document itself is gone: an audit of thousands of reports pairs consecutive
//! years at the end and must not hold every document.

use super::layout::TableId;
use super::prints::{PrintConfig, SectionPrint, print_sections};
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
    /// The columns of the rows kept (of the one with most cells: 表三's whole rows share
    /// theirs, a row kept for a single cell has only that one), for checks that run over every
    /// column.
    pub fn columns(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.rows
            .iter()
            .rev()
            .max_by_key(|row| row.cells.len())
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
    /// The prints of the sections asked for (see [`crate::model::prints`]).
    pub sections: Vec<SectionPrint>,
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
    /// Keeps the rows `wanted` (table, row key) of a report, the single cells `cells` (table,
    /// row key, column), and the prints of the sections `prints` asks for. A table of the report
    /// is kept even when none of its rows is wanted or present, so that "no table" stays
    /// distinct.
    pub fn extract(
        doc: &Document,
        report: &Report,
        path: &str,
        wanted: &[(TableId, &'static str)],
        cells: &[(TableId, &'static str, &'static str)],
        prints: Option<&PrintConfig>,
    ) -> Self {
        // Built on first use: most pre-2019 reports have no table at all.
        let mut locator: Option<Locator<'_>> = None;
        let mut tables: Vec<FactTable> = Vec::new();
        let requests = wanted.iter().map(|&(id, key)| (id, key, None)).chain(
            cells
                .iter()
                .map(|&(id, key, column)| (id, key, Some(column))),
        );
        for (id, key, only) in requests {
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
            let kept = tables[index]
                .rows
                .iter()
                .position(|kept| kept.key == row.key);
            let columns: Vec<&'static str> = row
                .columns
                .iter()
                .map(|(column, _)| *column)
                .filter(|column| only.is_none_or(|only| only == *column))
                .filter(|column| {
                    kept.is_none_or(|kept| {
                        tables[index].rows[kept]
                            .cells
                            .iter()
                            .all(|cell| cell.column != *column)
                    })
                })
                .collect();
            if columns.is_empty() {
                continue;
            }
            let locator = locator.get_or_insert_with(|| Locator::new(&doc.text));
            let new_cells = columns.into_iter().map(|column| {
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
            });
            match kept {
                Some(kept) => tables[index].rows[kept].cells.extend(new_cells),
                None => tables[index].rows.push(FactRow {
                    key: row.key,
                    display: row.display,
                    cells: new_cells.collect(),
                }),
            }
        }
        let sections = match prints {
            Some(config) => {
                let locator = locator.get_or_insert_with(|| Locator::new(&doc.text));
                print_sections(report, &doc.text, config, &mut |range| locator.span(range))
            }
            None => Vec::new(),
        };
        Self {
            path: path.to_owned(),
            issuer: report.issuer.clone(),
            year: report.year,
            era: report.era,
            kind: report.kind,
            tables,
            sections,
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
