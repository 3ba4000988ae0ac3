//! The report model: what a document says, in the terms of the format — title, year, issuing
//! body, era, kind, numbered headings, the statistical-period statement, and tables 二/三/四 in
//! typed cells. Built once per document; rules only read it.

pub mod era;
pub mod layout;
pub mod period;
pub mod sections;
pub mod tables;
pub mod title;

pub use era::Era;
pub use layout::{Domain, Edition, TableId};
pub use period::{Date, PeriodStatement};
pub use sections::Heading;
pub use tables::{CellProblem, Lookup, RowCells, TypedCell, TypedRow, TypedTable};
pub use title::{ReportKind, Title};

use crate::source::Document;
use crate::text::{Folded, TextRange};

/// Where the report year was read from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum YearSource {
    /// The title (`…2020年政府信息公开工作年度报告`).
    Title,
    /// The statistical-period statement, when the title gives no year.
    Period,
}

/// The model of one document.
#[derive(Clone, Debug)]
pub struct Report {
    /// The title line, if found.
    pub title: Option<Title>,
    /// The report (data) year.
    pub year: Option<i32>,
    /// Where the year is written, and where that was.
    pub year_source: Option<(YearSource, TextRange)>,
    /// The issuing body named in the title.
    pub issuer: Option<String>,
    /// The format era.
    pub era: Era,
    /// Why that era.
    pub era_evidence: Vec<String>,
    /// Annual report or not.
    pub kind: ReportKind,
    /// Why that kind.
    pub kind_evidence: String,
    /// Numbered headings, in order.
    pub headings: Vec<Heading>,
    /// The statistical-period statement.
    pub period: Option<PeriodStatement>,
    /// Tables 二, 三, 四 as found.
    pub tables: Vec<TypedTable>,
    /// The whole canonical text normalised for matching, with its map back to the source.
    pub folded: Folded,
}

impl Report {
    /// Builds the model of a document.
    pub fn build(doc: &Document) -> Self {
        let title = title::find_title(doc);
        let period = period::find_period(doc);
        let (year, year_source) = match title.as_ref().and_then(title::year_in_title) {
            Some((year, range)) => (Some(year), Some((YearSource::Title, range))),
            None => match period
                .as_ref()
                .and_then(|p| Some((p.dates?.0.year?, p.range)))
            {
                Some((year, range)) => (Some(year), Some((YearSource::Period, range))),
                None => (None, None),
            },
        };
        let issuer = title.as_ref().and_then(title::issuer_in_title);
        let tables = tables::read_tables(doc, year);
        let folded = Folded::new(&doc.text, 0);
        let era = era::assess(folded.as_str(), year, &tables);
        let has_statutory_tables = tables
            .iter()
            .any(|table| matches!(table.id, TableId::T3 | TableId::T4));
        let (kind, kind_evidence) = title::classify_kind(doc, title.as_ref(), has_statutory_tables);
        Self {
            title,
            year,
            year_source,
            issuer,
            era: era.era,
            era_evidence: era.evidence,
            kind,
            kind_evidence,
            headings: sections::find_headings(doc),
            period,
            tables,
            folded,
        }
    }

    /// The normalised text of a paragraph (or any source range).
    pub fn folded(&self, range: TextRange) -> &str {
        self.folded
            .as_str()
            .get(self.folded.folded_range(range))
            .unwrap_or("")
    }

    /// The typed table with this id, if found.
    pub fn table(&self, id: TableId) -> Option<&TypedTable> {
        self.tables.iter().find(|table| table.id == id)
    }
}
