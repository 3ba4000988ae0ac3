//! The one table reader: the candidate rows readers produced — cells with spans, whatever the
//! source form — read into the layouts of tables 二, 三 and 四.
//!
//! 1. **Where.** A source table belongs to a statistical table when its labels hold that table's
//!    identifying words (layout `identify`). Tables whose rows have their own columns (表二's
//!    sub-tables) gather every such source table; the others take the first. A table not found
//!    this way is looked for in paragraphs into which its rows ran ([`Document::run_on_tables`]),
//!    from a row that identifies it up to one that identifies another table.
//! 2. **Which edition.** Each layout of the table reads the rows; the one with most of its
//!    markers (rows or columns only it has) wins, and on a tie the one meant for the report year.
//! 3. **Rows.** A row is matched by the words of its last label cell, under the group the labels
//!    above it opened (`（三）不予公开` → `1.属于国家秘密`); the exact label beats a word within
//!    it, a longer word a shorter one.
//! 4. **Cells.** A row's figures are placed by the header cells above them (tables with cells),
//!    or because there are exactly as many as the layout's columns; figures that ran together are
//!    split only when the row's arithmetic allows a single split ([`FigureRun::read`]). Anything
//!    else is kept as misaligned or unreadable: shown, never used.

mod candidates;
mod cells;
mod rows;

use std::collections::HashMap;

use self::candidates::{Candidate, interpreted};
use self::cells::{column_groups, header_columns, place, read_one_line};
use self::rows::{Reading, read_with};
use super::layout::{Layout, LayoutSet, TableId};
use super::table::{Provenance, RowCells, TypedRow, TypedTable};
use crate::source::{Block, Cell, CellContent, Document, Table, TableKind};
use crate::text::{TextRange, fold};

/// A run-on label longer than this (in chars) is prose: the table has ended.
const MAX_RUN_ON_LABEL_CHARS: usize = 200;

/// The order in which tables claim a source table whose labels hold words of several.
const CLASSIFY_ORDER: [TableId; 3] = [TableId::T3, TableId::T4, TableId::T2];

/// Finds and reads tables 二, 三 and 四 in a document. `year` picks the edition when a table does
/// not show it; `sections` are the document's top-level headings (where each starts, and its
/// number), which bound a table cut into pieces by a converter.
pub fn read_tables(
    doc: &Document,
    year: Option<i32>,
    layouts: &LayoutSet,
    sections: &[(usize, u32)],
) -> Vec<TypedTable> {
    let mut typed: Vec<TypedTable> = regions(doc, layouts, sections)
        .into_iter()
        .filter_map(|(id, candidates)| read_region(doc, id, &candidates, year, layouts, false))
        .collect();
    let missing: Vec<TableId> = TableId::ALL
        .into_iter()
        .filter(|id| typed.iter().all(|table| table.id != *id))
        .filter(|id| layouts.for_table(*id).next().is_some())
        .collect();
    if !missing.is_empty() {
        typed.extend(read_run_on(doc, year, layouts, &missing));
    }
    typed.sort_by_key(|table| table.id);
    typed
}

/// The candidate rows of each table found among the document's tables. A source table belongs to
/// the table its labels identify; 表二's sub-tables gather, the others take the first. After a
/// table whose layout was interpreted (text, a converter's Markdown), the pieces a converter cut
/// it into follow — tables that identify nothing and short paragraphs (labels on lines of their
/// own) — up to the next top-level heading or the next identified table. Such a table is only
/// taken for a statistical table in that table's own section (a converter's prose in pipe tables
/// can hold the same words).
fn regions<'a>(
    doc: &'a Document,
    layouts: &LayoutSet,
    sections: &[(usize, u32)],
) -> Vec<(TableId, Vec<Candidate<'a>>)> {
    let section_of = |at: usize| {
        sections
            .iter()
            .take_while(|(start, _)| *start <= at)
            .last()
            .map(|(_, number)| *number)
    };
    let mut regions: Vec<(TableId, Vec<Candidate<'a>>)> = Vec::new();
    // The region still open for pieces: its index and where its section ends.
    let mut open: Option<(usize, usize)> = None;
    for block in &doc.blocks {
        let start = match block {
            Block::Paragraph(range) | Block::Image(range) => range.start,
            Block::Table(table) => table.range.start,
        };
        if let Some((_, end)) = open
            && start >= end
        {
            open = None;
        }
        match block {
            Block::Table(table) => match classify(table, layouts).filter(|id| {
                let expected = layouts.section(*id);
                let found = section_of(table.range.start);
                !interpreted(table.kind)
                    || expected.is_none()
                    || found.is_none()
                    || expected == found
            }) {
                Some(id) => {
                    let continues = open.is_some_and(|(index, _)| regions[index].0 == id);
                    let index = match regions.iter().position(|(found, _)| *found == id) {
                        Some(index) if stacked(layouts, id) || continues => index,
                        Some(_) => {
                            open = None;
                            continue;
                        }
                        None => {
                            regions.push((id, Vec::new()));
                            regions.len() - 1
                        }
                    };
                    regions[index].1.extend(candidates::of_table(doc, table));
                    open = interpreted(table.kind).then(|| {
                        let end = sections
                            .iter()
                            .map(|(start, _)| *start)
                            .find(|&heading| heading > table.range.start)
                            .unwrap_or(usize::MAX);
                        (index, end)
                    });
                }
                None => {
                    if let Some((index, _)) = open {
                        regions[index].1.extend(candidates::of_table(doc, table));
                    }
                }
            },
            Block::Paragraph(range) => {
                if let Some((index, end)) = open
                    && end != usize::MAX
                    && let Some(candidate) = candidates::of_paragraph(doc, *range)
                {
                    regions[index].1.push(candidate);
                }
            }
            Block::Image(_) => {}
        }
    }
    regions
        .into_iter()
        .map(|(id, candidates)| (id, candidates::tidy(candidates)))
        .collect()
}

/// Whether a table is a stack of sub-tables (its rows have their own columns), which pages publish
/// as several tables.
fn stacked(layouts: &LayoutSet, id: TableId) -> bool {
    layouts
        .for_table(id)
        .any(|layout| layout.rows.iter().any(|row| row.columns.is_some()))
}

/// The normalised text of a table's label cells, concatenated.
fn label_words<'a>(cells: impl Iterator<Item = &'a Cell>) -> String {
    cells
        .filter(|cell| matches!(cell.content, CellContent::Text(_)))
        .map(|cell| fold(&cell.text))
        .collect()
}

/// The normalised words of candidate rows: their labels, and text where figures should be.
fn candidate_words(candidates: &[Candidate<'_>]) -> String {
    let mut words = String::new();
    for candidate in candidates {
        for label in candidate.pending.iter().chain(&candidate.labels) {
            words.push_str(&label.folded);
        }
        for value in &candidate.values {
            if let CellContent::Text(text) = &value.content {
                words.push_str(&fold(text));
            }
        }
    }
    words
}

/// Which statistical table a source table is, judged from its labels.
fn classify(table: &Table, layouts: &LayoutSet) -> Option<TableId> {
    let words = label_words(table.rows.iter().flat_map(|row| &row.cells));
    identified(&words, layouts)
}

fn identified(words: &str, layouts: &LayoutSet) -> Option<TableId> {
    CLASSIFY_ORDER.into_iter().find(|id| {
        layouts
            .for_table(*id)
            .any(|layout| layout.identifies(words))
    })
}

/// How far a table's figures can be trusted, from how it was read.
pub(super) fn provenance(kind: TableKind) -> Provenance {
    match kind {
        TableKind::Grid => Provenance::AsWritten,
        TableKind::Flattened
        | TableKind::PdfLayout
        | TableKind::RunTogether
        | TableKind::Markdown => Provenance::Extracted,
    }
}

/// Tables found in paragraphs into which their rows ran, for the ids in `wanted`.
fn read_run_on(
    doc: &Document,
    year: Option<i32>,
    layouts: &LayoutSet,
    wanted: &[TableId],
) -> Vec<TypedTable> {
    let mut found: Vec<TypedTable> = Vec::new();
    for table in doc.run_on_tables() {
        if found.len() == wanted.len() {
            break;
        }
        let rows: Vec<Candidate<'_>> = candidates::of_table(doc, &table);
        // The table each row starts, if it starts one.
        let starts: Vec<Option<TableId>> = rows
            .iter()
            .map(|row| {
                let words: String = row
                    .labels
                    .iter()
                    .map(|label| label.folded.as_str())
                    .collect();
                identified(&words, layouts)
            })
            .collect();
        for &id in wanted {
            if found.iter().any(|table| table.id == id) {
                continue;
            }
            let Some(start) = starts.iter().position(|start| *start == Some(id)) else {
                continue;
            };
            let mut end = start + 1;
            while end < rows.len() {
                let other_table = starts[end].is_some_and(|other| other != id);
                let label_chars: usize = rows[end]
                    .labels
                    .iter()
                    .map(|cell| cell.text.chars().count())
                    .sum();
                if other_table || label_chars > MAX_RUN_ON_LABEL_CHARS {
                    break;
                }
                end += 1;
            }
            found.extend(read_region(doc, id, &rows[start..end], year, layouts, true));
        }
    }
    found
}

/// Chooses among the layouts' readings: most markers, then the one meant for the report year
/// (the newest when the year is unknown or none is meant for it).
fn choose(readings: Vec<Reading>, year: Option<i32>) -> Option<Reading> {
    let best = readings.iter().map(|reading| reading.score).max()?;
    let mut tied: Vec<Reading> = readings
        .into_iter()
        .filter(|reading| reading.score == best)
        .collect();
    let pick = year
        .and_then(|year| tied.iter().position(|reading| reading.layout.covers(year)))
        .or_else(|| {
            tied.iter()
                .enumerate()
                .max_by_key(|(_, reading)| reading.layout.years.0)
                .map(|(index, _)| index)
        })?;
    Some(tied.swap_remove(pick))
}

/// Reads a region (the candidate rows of one table) into the best layout of table `id`.
fn read_region(
    doc: &Document,
    id: TableId,
    candidates: &[Candidate<'_>],
    year: Option<i32>,
    layouts: &LayoutSet,
    run_on: bool,
) -> Option<TypedTable> {
    let siblings: Vec<&'static Layout> = layouts.for_table(id).collect();
    let words = candidate_words(candidates);
    let readings = siblings
        .iter()
        .map(|layout| read_with(doc, layout, &siblings, candidates, &words))
        .collect();
    let reading = choose(readings, year)?;
    let range = candidates
        .iter()
        .map(|candidate| candidate.range)
        .reduce(TextRange::cover)
        .unwrap_or_default();
    let table_provenance = candidates
        .first()
        .map_or(Provenance::AsWritten, |candidate| {
            provenance(candidate.kind)
        });
    if reading.layout.one_line {
        return read_one_line(reading.layout, candidates, run_on, table_provenance);
    }
    let matched = reading.rows.iter().flatten().count();
    if run_on && matched < 2 {
        return None;
    }
    let layout = reading.layout;
    // Optional columns a header cell names.
    let present: Vec<bool> = layout
        .columns
        .iter()
        .map(|column| {
            column.optional
                && candidates
                    .iter()
                    .flat_map(|candidate| candidate.pending.iter().chain(&candidate.labels))
                    .any(|label| column.words.contains(&label.folded))
        })
        .collect();
    let by_header = layout.rows.iter().all(|row| row.columns.is_none());
    let mut header_maps: HashMap<*const Table, HashMap<usize, &'static str>> = HashMap::new();
    if by_header {
        for matched in reading.rows.iter().flatten() {
            let candidate = &candidates[matched.candidate];
            if let Some(table) = candidate.table
                && matches!(table.kind, TableKind::Grid | TableKind::PdfLayout)
            {
                header_maps
                    .entry(std::ptr::from_ref(table))
                    .or_insert_with(|| header_columns(table, candidate.row, layout, &present));
            }
        }
    }
    let empty = HashMap::new();
    let rows = layout
        .rows
        .iter()
        .zip(&reading.rows)
        .map(|(spec, matched)| {
            let columns = layout.row_columns(spec, &present);
            let Some(matched) = matched else {
                return TypedRow {
                    key: &spec.key,
                    display: &spec.label,
                    label: None,
                    columns,
                    cells: RowCells::Missing,
                    provenance: table_provenance,
                    recovered_from: None,
                };
            };
            let candidate = &candidates[matched.candidate];
            let header_map = candidate
                .table
                .and_then(|table| header_maps.get(&std::ptr::from_ref(table)))
                .unwrap_or(&empty);
            let (cells, recovered_from) = place(
                candidate,
                &columns,
                column_groups(layout, &columns),
                header_map,
            );
            TypedRow {
                key: &spec.key,
                display: &spec.label,
                label: Some(matched.label),
                columns,
                cells,
                provenance: provenance(candidate.kind),
                recovered_from,
            }
        })
        .collect();
    let mut unrecognised = reading.unrecognised;
    unrecognised.sort();
    Some(TypedTable {
        id,
        layout,
        range,
        rows,
        unrecognised,
        unplaced: reading.unplaced,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::LayoutSet;
    use crate::source::{SourceKind, read_bytes};

    fn read(doc: &Document, year: Option<i32>, wanted: &[TableId]) -> Vec<TypedTable> {
        let layouts = LayoutSet::builtin().unwrap();
        read_run_on(doc, year, &layouts, wanted)
    }

    fn cells(table: &TypedTable, key: &str) -> Option<Vec<String>> {
        match &table.row(key)?.cells {
            RowCells::Aligned(cells) => Some(
                cells
                    .iter()
                    .map(|cell| match &cell.content {
                        crate::source::CellContent::Number(n) => n.value.to_string(),
                        other => format!("{other:?}"),
                    })
                    .collect(),
            ),
            _ => None,
        }
    }

    #[test]
    fn run_together_rows_are_split_only_when_one_reading_exists() {
        let body = "三、收到和处理政府信息公开申请情况（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）\
            申请人情况自然人法人或其他组织总计商业企业科研机构社会公益组织法律服务机构其他\
            一、本年新收政府信息公开申请数量713000074二、上年结转政府信息公开申请数量1000001\
            三、本年度办理结果（一）予以公开210000021（三）不予公开1.属于国家秘密00000002.其他法律行政法规禁止公开0000000\
            （四）无法提供1.本机关不掌握相关政府信息220000325（六）其他处理1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请 0 0 0 0 0 0 0\
            3.其他0200002（七）总计723000075四、结转下年度继续办理0000000 四、政府信息公开行政复议、行政诉讼情况行政复议行政诉讼\
            结果维持结果纠正其他结果尚未审结总计未经复议直接起诉复议后起诉结果维持结果纠正其他结果尚未审结总计\
            结果维持结果纠正其他结果尚未审结总计0 1 1 0 2 1 0 0 0 1 0 0 0 0 0 五、存在的主要问题及改进情况";
        let doc = read_bytes(body.as_bytes(), Some(SourceKind::Text)).unwrap();
        let tables = read(&doc, Some(2022), &[TableId::T3, TableId::T4]);
        let t3 = tables.iter().find(|t| t.id == TableId::T3).unwrap();
        assert_eq!(t3.edition(), "2021");
        assert_eq!(
            cells(t3, "一").unwrap(),
            ["71", "3", "0", "0", "0", "0", "74"]
        );
        assert_eq!(cells(t3, "（三）1").unwrap(), ["0"; 7]);
        assert_eq!(cells(t3, "（三）2").unwrap(), ["0"; 7]);
        assert!(matches!(
            t3.row("（四）1").unwrap().cells,
            RowCells::Unreadable(_)
        ));
        assert_eq!(cells(t3, "（六）1").unwrap(), ["0"; 7]);
        assert!(
            t3.row("（六）1").unwrap().recovered_from.is_none(),
            "spaced figures are read as written"
        );
        assert_eq!(
            cells(t3, "（六）3").unwrap(),
            ["0", "2", "0", "0", "0", "0", "2"]
        );
        assert_eq!(
            cells(t3, "（七）").unwrap(),
            ["72", "3", "0", "0", "0", "0", "75"]
        );
        assert!(matches!(t3.row("（二）").unwrap().cells, RowCells::Missing));
        let t4 = tables.iter().find(|t| t.id == TableId::T4).unwrap();
        assert_eq!(cells(t4, "行政复议").unwrap(), ["0", "1", "1", "0", "2"]);
        let recovered = t3.row("一").unwrap();
        assert_eq!(doc.slice(recovered.recovered_from.unwrap()), "713000074");
        let RowCells::Aligned(cells) = &recovered.cells else {
            panic!("row 一 is recovered");
        };
        assert!(cells.iter().all(|c| c.provenance == Provenance::Recovered));
    }

    #[test]
    fn table_two_rows_need_one_digit_per_cell_or_spaces() {
        let body = "二、主动公开政府信息情况第二十条第（一）项 信息内容 本年制发件数 本年废止件数 现行有效件数 规章000行政规范性文件8855698\
            第二十条第（五）项信息内容本年处理决定数量行政许可10690第二十条第（八）项信息内容本年收费金额（单位：万元）行政事业性收费9116.36 \
            三、收到和处理政府信息公开申请情况";
        let doc = read_bytes(body.as_bytes(), Some(SourceKind::Text)).unwrap();
        let tables = read(&doc, Some(2022), &[TableId::T2]);
        let t2 = &tables[0];
        assert_eq!(t2.edition(), "2021");
        assert_eq!(cells(t2, "规章").unwrap(), ["0", "0", "0"]);
        assert!(matches!(
            t2.row("行政规范性文件").unwrap().cells,
            RowCells::Unreadable(_)
        ));
        assert_eq!(cells(t2, "行政许可").unwrap(), ["10690"]);
        assert_eq!(cells(t2, "行政事业性收费").unwrap(), ["9116.36"]);
    }

    #[test]
    fn a_sign_after_a_figure_starts_the_next_cell() {
        let body = "二、主动公开政府信息情况第二十条第（一）项信息内容本年新制作数量本年新公开数量对外公开总数量规章007\
            第二十条第（六）项信息内容上一年项目数量本年增/减处理决定数量行政处罚2648-18538行政强制3-12\
            第二十条第（八）项信息内容上一年项目数量本年增/减行政事业性收费35-15\
            三、收到和处理政府信息公开申请情况";
        let doc = read_bytes(body.as_bytes(), Some(SourceKind::Text)).unwrap();
        let tables = read(&doc, Some(2020), &[TableId::T2]);
        let t2 = &tables[0];
        assert_eq!(t2.edition(), "2019");
        assert_eq!(cells(t2, "行政事业性收费").unwrap(), ["35", "-15"]);
        assert!(
            t2.row("行政事业性收费").unwrap().recovered_from.is_none(),
            "the sign separates the figures as written"
        );
        assert_eq!(cells(t2, "行政强制").unwrap(), ["3", "-1", "2"]);
        assert!(matches!(
            t2.row("行政处罚").unwrap().cells,
            RowCells::Unreadable(_)
        ));
    }
}
