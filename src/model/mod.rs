//! The report model: what a document says, in the terms of the format — title, year, issuing
//! body, era, kind, numbered headings, the statistical-period statement, and tables 二/三/四 in
//! typed cells. Built once per document; rules only read it.

pub mod body;
pub mod era;
pub mod facts;
pub mod figures;
pub mod keywords;
pub mod layout;
pub mod narrative;
pub mod ordinal;
pub mod period;
pub mod prints;
pub mod prose;
pub mod published;
pub mod sections;
pub mod table;
pub mod table_reader;
pub mod title;

pub use body::SectionBody;
pub use era::{Era, EraMarker};
pub use keywords::Keywords;
pub use layout::{Domain, Layout, LayoutSet, TableId};
pub use period::{PeriodStatement, PeriodWordings, WrittenDate};
pub use sections::Heading;
pub use table::{CellProblem, Lookup, Provenance, RowCells, TypedCell, TypedRow, TypedTable};
pub use title::{ReportKind, Title};

use crate::source::{Block, Document};
use crate::text::{Folded, TextRange};

/// What building the model takes from the data files: the table layouts, and the words rule files
/// set for the model's judgements (what marks a document as something other than an annual
/// report, how the statistical period is introduced).
#[derive(Clone, Debug, Default)]
pub struct ModelConfig {
    /// The table layouts.
    pub layouts: LayoutSet,
    /// Words that mark a document as something other than the annual report (its title or
    /// opening says `工作要点落实情况`).
    pub other_document_words: Vec<String>,
    /// The wordings that introduce the statistical period (`统计期限`).
    pub period: PeriodWordings,
    /// Which sections' text to keep a print of, for comparing a report with the year before's
    /// (none when no rule compares texts).
    pub prints: Option<prints::PrintConfig>,
    /// The statutory sections in order (一 to 六), by their headings' keywords: a table belongs
    /// to the section whose heading has its section's keywords, whatever number the heading was
    /// given (a report that numbers its sections 三 to 七 still has 表三 in 收到和处理…).
    pub statutory: Vec<Keywords>,
    /// The labels that introduce a publication date (`发布时间`).
    pub publication_words: published::PublicationWords,
    /// What the configuration declares about the publisher (`[publication]`).
    pub declared: published::Declared,
}

/// Where the report year was read from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum YearSource {
    /// The title (`…2020年政府信息公开工作年度报告`).
    Title,
    /// The statistical-period statement, when the title gives no year.
    Period,
}

/// A table absent from its section, which holds nothing but images (or nothing at all) before
/// the next section's heading.
#[derive(Clone, Copy, Debug)]
pub struct TableGap {
    /// The table.
    pub table: TableId,
    /// The section heading's span.
    pub heading: TextRange,
    /// The first image in the section, if any.
    pub image: Option<TextRange>,
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
    /// The format markers found, with their places.
    pub era_markers: Vec<EraMarker>,
    /// Annual report or not.
    pub kind: ReportKind,
    /// Why that kind.
    pub kind_evidence: String,
    /// Numbered headings, in order.
    pub headings: Vec<Heading>,
    /// The bodies of the top-level sections, in order.
    pub bodies: Vec<SectionBody>,
    /// The statistical-period statement.
    pub period: Option<PeriodStatement>,
    /// Tables 二, 三, 四 as found.
    pub tables: Vec<TypedTable>,
    /// The whole canonical text normalised for matching, with its map back to the source.
    pub folded: Folded,
    /// Tables absent whose section heading is followed directly (or after images only) by the
    /// next section's heading: the table was probably published as an image.
    pub table_gaps: Vec<TableGap>,
    /// The number of the section each table belongs to (from the layouts: 表三 → 3).
    pub table_sections: Vec<(TableId, u32)>,
    /// The numbers written in the prose, with their clauses.
    pub narrative: narrative::Narrative,
    /// How the document's structure (headings, paragraphs) was read: as written (a page, a Word
    /// file) or interpreted from a copy's lines (text, Markdown, PDF), where a heading may be lost.
    pub structure: Provenance,
    /// The publication date the page or the signature states.
    pub published: Option<published::PublishedDate>,
    /// What the configuration declares about the publisher.
    pub declared: published::Declared,
}

impl Report {
    /// Builds the model of a document.
    pub fn build(doc: &Document, config: &ModelConfig) -> Self {
        let title = title::find_title(doc);
        let period = period::find_period(doc, &config.period);
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
        let headings = sections::find_headings(doc);
        let sections: Vec<(usize, u32)> = headings
            .iter()
            .filter(|heading| heading.level == 1 && heading.number > 0)
            .map(|heading| {
                let number = statutory_number(heading, &config.statutory).unwrap_or(heading.number);
                (heading.range.start, number)
            })
            .collect();
        let tables = table_reader::read_tables(doc, year, &config.layouts, &sections);
        let folded = Folded::new(&doc.text, 0);
        let era = era::assess(&folded, year, &tables);
        let has_statutory_tables = tables
            .iter()
            .any(|table| matches!(table.id, TableId::T3 | TableId::T4));
        let (kind, kind_evidence) = title::classify_kind(
            doc,
            title.as_ref(),
            has_statutory_tables,
            &config.other_document_words,
        );
        let table_gaps = table_gaps(doc, &headings, &tables, &config.layouts);
        let narrative = narrative::Narrative::find(doc, &folded);
        let bodies = body::find_bodies(doc, &headings);
        let published = published::find_published(doc, &headings, &config.publication_words);
        Self {
            title,
            year,
            year_source,
            issuer,
            era: era.era,
            era_evidence: era.evidence,
            era_markers: era.markers,
            kind,
            kind_evidence,
            headings,
            bodies,
            period,
            tables,
            folded,
            table_gaps,
            narrative,
            structure: match doc.kind {
                crate::source::SourceKind::Html | crate::source::SourceKind::Docx => {
                    Provenance::AsWritten
                }
                _ => Provenance::Extracted,
            },
            table_sections: TableId::ALL
                .into_iter()
                .filter_map(|id| Some((id, config.layouts.section(id)?)))
                .collect(),
            published,
            declared: config.declared,
        }
    }

    /// The number of the section a table belongs to (表三 → 3).
    pub fn section_of(&self, table: TableId) -> Option<u32> {
        self.table_sections
            .iter()
            .find(|(id, _)| *id == table)
            .map(|(_, number)| *number)
    }

    /// The normalised text of a paragraph (or any source range).
    pub fn folded(&self, range: TextRange) -> &str {
        self.folded
            .as_str()
            .get(self.folded.folded_range(range))
            .unwrap_or("")
    }

    /// The prose of a section's body, normalised (see [`crate::text::fold`]).
    pub fn prose(&self, body: &SectionBody) -> String {
        body.prose.iter().map(|range| self.folded(*range)).collect()
    }

    /// The first top-level section whose heading has the keywords.
    pub fn section(&self, keywords: &Keywords) -> Option<&SectionBody> {
        body::find_section(&self.bodies, &self.headings, keywords)
    }

    /// The typed table with this id, if found.
    pub fn table(&self, id: TableId) -> Option<&TypedTable> {
        self.tables.iter().find(|table| table.id == id)
    }

    /// Whether a table's section holds nothing but images (see [`TableGap`]).
    pub fn table_gap(&self, table: TableId) -> Option<&TableGap> {
        self.table_gaps.iter().find(|gap| gap.table == table)
    }
}

/// The number of the statutory section a top-level heading is (its keywords, when they are one
/// section's only), whatever number it was given.
fn statutory_number(heading: &Heading, statutory: &[Keywords]) -> Option<u32> {
    let mut matching = statutory
        .iter()
        .enumerate()
        .filter(|(_, keywords)| keywords.matches(&heading.words));
    let (index, _) = matching.next()?;
    if matching.next().is_some() {
        return None;
    }
    u32::try_from(index + 1).ok()
}

/// Sections whose table is absent and whose heading paragraph is followed — after nothing but
/// images — by the heading of the next section: the table was published as a picture, or left
/// out of this copy.
fn table_gaps(
    doc: &Document,
    headings: &[Heading],
    tables: &[TypedTable],
    layouts: &LayoutSet,
) -> Vec<TableGap> {
    // Indexed once: looking each paragraph up in every heading made a text of 100,000 headings
    // run for minutes.
    let mut top_level: std::collections::HashMap<(usize, u32), &Heading> =
        std::collections::HashMap::new();
    for heading in headings.iter().filter(|h| h.level == 1) {
        top_level
            .entry((heading.range.start, heading.number))
            .or_insert(heading);
    }
    let heading_at = |start: usize, number: u32| top_level.get(&(start, number)).copied();
    let mut gaps = Vec::new();
    for id in TableId::ALL {
        let Some(number) = layouts.section(id) else {
            continue;
        };
        if tables.iter().any(|table| table.id == id) {
            continue;
        }
        let gap = doc.blocks.iter().enumerate().find_map(|(i, block)| {
            let Block::Paragraph(this) = block else {
                return None;
            };
            let heading = heading_at(this.start, number)?;
            // Nothing in this paragraph after the heading's words.
            if heading.range.end + 4 < this.end {
                return None;
            }
            let mut image = None;
            for next in &doc.blocks[i + 1..] {
                match next {
                    Block::Image(range) => {
                        image.get_or_insert(*range);
                    }
                    Block::Paragraph(next) => {
                        return heading_at(next.start, number + 1).map(|_| TableGap {
                            table: id,
                            heading: heading.range,
                            image,
                        });
                    }
                    Block::Table(_) => return None,
                }
            }
            None
        });
        gaps.extend(gap);
    }
    gaps
}
