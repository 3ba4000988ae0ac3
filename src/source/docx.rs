//! Word drafts (.docx): `word/document.xml` streamed with quick-xml.
//!
//! Paragraphs become lines; paragraphs styled as headings (`Heading1`, `标题 1`, an outline
//! level) are marked as headings even without an ordinal; automatic list numbering is rendered as
//! the reader sees it (`一、`, `（一）`, `1.`) from `word/numbering.xml`. Tables keep their merged
//! cells: `w:gridSpan` spans columns, `w:vMerge` rows. Deleted text, field codes and the fallback
//! copies of drawings (`mc:Fallback`) are skipped. Archives that would expand beyond fixed limits
//! are refused.

use std::collections::HashMap;
use std::io::Read;

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

use super::canvas::{Canvas, MAX_COLSPAN, RawCell, collapse_whitespace};
use super::{Block, ReadError, TableKind};
use crate::text::TextRange;

/// No single part may expand beyond this.
const MAX_PART_BYTES: u64 = 64 * 1024 * 1024;
/// Nor may a part expand more than this many times its compressed size (a "zip bomb").
const MAX_RATIO: u64 = 200;
/// An archive with more entries than this is not a Word document.
const MAX_ENTRIES: usize = 20_000;
/// The text a document may expand to: paragraphs with their list numbers, and the text of nested
/// tables, which is copied into the cell holding them at each level. A real report has well
/// under a megabyte; numbering of '%1' x 3,000 on 10,000 paragraphs made 7.6 GB, and 40,000
/// nested cells copied their text 40,000 times.
const MAX_TEXT_BYTES: usize = 32 * 1024 * 1024;
/// A list level's text template longer than this is not a list number (`%1、`, `（%1）`,
/// `第%1章`); it is left out.
const MAX_LEVEL_TEXT: usize = 64;

/// A read document: canonical text, blocks, and the paragraphs styled as headings.
pub(super) struct Docx {
    pub(super) text: String,
    pub(super) blocks: Vec<Block>,
    pub(super) heading_hints: Vec<(TextRange, u8)>,
}

fn invalid(detail: impl std::fmt::Display) -> ReadError {
    ReadError::Docx {
        detail: detail.to_string(),
    }
}

/// Reads a .docx file's bytes.
pub(super) fn read(bytes: &[u8]) -> Result<Docx, ReadError> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes))
        .map_err(|error| invalid(format!("不是有效的 .docx（ZIP）文件：{error}")))?;
    if archive.len() > MAX_ENTRIES {
        return Err(invalid(format!(
            "压缩包中有 {} 个文件，不像是 Word 文档",
            archive.len()
        )));
    }
    let document = read_part(&mut archive, "word/document.xml")?
        .ok_or_else(|| invalid("压缩包中没有 word/document.xml，不是 Word 文档"))?;
    let styles = read_part(&mut archive, "word/styles.xml")?
        .map(|xml| parse_styles(&xml))
        .unwrap_or_default();
    let numbering = read_part(&mut archive, "word/numbering.xml")?
        .map(|xml| parse_numbering(&xml))
        .unwrap_or_default();
    Body::new(&styles, numbering).read(&document)
}

/// One part of the archive as text, within the size limits; `None` when absent.
fn read_part<R: std::io::Read + std::io::Seek>(
    archive: &mut zip::ZipArchive<R>,
    name: &str,
) -> Result<Option<String>, ReadError> {
    let mut file = match archive.by_name(name) {
        Ok(file) => file,
        Err(zip::result::ZipError::FileNotFound) => return Ok(None),
        Err(error) => return Err(invalid(format!("无法读取 {name}：{error}"))),
    };
    let declared = file.size();
    let compressed = file.compressed_size().max(1);
    if declared > MAX_PART_BYTES || declared / compressed > MAX_RATIO && declared > 1024 * 1024 {
        return Err(invalid(format!(
            "{name} 解压后过大（{declared} 字节），可能是压缩炸弹，已拒绝"
        )));
    }
    let mut bytes = Vec::new();
    // Never trust the declared size: read at most one byte past the limit.
    (&mut file)
        .take(MAX_PART_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|error| invalid(format!("无法解压 {name}：{error}")))?;
    if bytes.len() as u64 > MAX_PART_BYTES {
        return Err(invalid(format!(
            "{name} 解压后超过 {MAX_PART_BYTES} 字节，已拒绝"
        )));
    }
    decode_part(name, &bytes).map(Some)
}

/// An XML part's text: UTF-8, or UTF-16 (which XML allows and Word reads), told by its byte
/// order mark or by its first character `<` written in two bytes.
fn decode_part(name: &str, bytes: &[u8]) -> Result<String, ReadError> {
    let utf16 = match bytes {
        [0xFF, 0xFE, ..] | [b'<', 0, ..] => Some(encoding_rs::UTF_16LE),
        [0xFE, 0xFF, ..] | [0, b'<', ..] => Some(encoding_rs::UTF_16BE),
        _ => None,
    };
    if let Some(encoding) = utf16 {
        let (text, _, malformed) = encoding.decode(bytes);
        if malformed {
            return Err(invalid(format!(
                "{name} 是 UTF-16 编码，但其中有无效的字节"
            )));
        }
        return Ok(text.into_owned());
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    String::from_utf8(bytes.to_vec())
        .map_err(|_| invalid(format!("{name} 既不是 UTF-8 也不是 UTF-16 编码的 XML")))
}

/// The value of an attribute by its qualified name (`w:val`).
fn attribute(element: &BytesStart<'_>, name: &str) -> Option<String> {
    element
        .attributes()
        .flatten()
        .find(|attribute| attribute.key.0 == name)
        .and_then(|attribute| {
            attribute
                .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .ok()
                .map(|value| value.into_owned())
        })
}

/// Styles: for each style id, its heading level and its list numbering, if any.
#[derive(Default)]
struct Styles {
    heading: HashMap<String, u8>,
    numbering: HashMap<String, (String, usize)>,
}

fn parse_styles(xml: &str) -> Styles {
    let mut styles = Styles::default();
    let mut reader = Reader::from_str(xml);
    let mut current: Option<String> = None;
    let mut num_id: Option<String> = None;
    let mut level = 0usize;
    loop {
        match reader.read_event() {
            Ok(Event::Start(e) | Event::Empty(e)) => match e.name().0 {
                "w:style" => current = attribute(&e, "w:styleId"),
                "w:name" => {
                    if let (Some(id), Some(name)) = (&current, attribute(&e, "w:val"))
                        && let Some(level) = heading_level_from_name(&name)
                    {
                        styles.heading.insert(id.clone(), level);
                    }
                }
                "w:outlineLvl" => {
                    if let (Some(id), Some(value)) = (&current, attribute(&e, "w:val"))
                        && let Ok(value) = value.parse::<u8>()
                        && value < 9
                    {
                        styles.heading.entry(id.clone()).or_insert(value + 1);
                    }
                }
                "w:numId" => num_id = attribute(&e, "w:val"),
                "w:ilvl" => {
                    level = attribute(&e, "w:val")
                        .and_then(|v| v.parse().ok())
                        .unwrap_or(0)
                }
                _ => {}
            },
            Ok(Event::End(e)) if e.name().0 == "w:style" => {
                if let (Some(id), Some(num)) = (current.take(), num_id.take()) {
                    styles.numbering.insert(id, (num, level));
                }
                level = 0;
            }
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
    }
    styles
}

/// `heading 1`, `Heading 2`, `标题 1`, `标题1` → the level.
fn heading_level_from_name(name: &str) -> Option<u8> {
    let lower = name.to_lowercase();
    let rest = lower
        .strip_prefix("heading")
        .or_else(|| lower.strip_prefix("标题"))?
        .trim();
    rest.parse::<u8>()
        .ok()
        .filter(|level| (1..=9).contains(level))
}

/// One level of a list: its number format, its text template (`%1、`), its first value.
#[derive(Clone, Debug)]
struct Level {
    format: String,
    text: String,
    start: u32,
}

/// List definitions: abstract lists by id, and list instances pointing at them.
#[derive(Default)]
struct Numbering {
    abstracts: HashMap<String, HashMap<usize, Level>>,
    instances: HashMap<String, String>,
}

fn parse_numbering(xml: &str) -> Numbering {
    let mut numbering = Numbering::default();
    let mut reader = Reader::from_str(xml);
    let mut abstract_id: Option<String> = None;
    let mut level: Option<(usize, Level)> = None;
    let mut num_id: Option<String> = None;
    loop {
        match reader.read_event() {
            Ok(Event::Start(e) | Event::Empty(e)) => match e.name().0 {
                "w:abstractNum" => abstract_id = attribute(&e, "w:abstractNumId"),
                "w:lvl" if abstract_id.is_some() => {
                    let index = attribute(&e, "w:ilvl")
                        .and_then(|v| v.parse().ok())
                        .unwrap_or(0);
                    level = Some((
                        index,
                        Level {
                            format: "decimal".to_owned(),
                            text: String::new(),
                            start: 1,
                        },
                    ));
                }
                "w:numFmt" => {
                    if let (Some((_, level)), Some(value)) = (&mut level, attribute(&e, "w:val")) {
                        level.format = value;
                    }
                }
                "w:lvlText" => {
                    if let (Some((_, level)), Some(value)) = (&mut level, attribute(&e, "w:val")) {
                        level.text = value;
                    }
                }
                "w:start" => {
                    if let (Some((_, level)), Some(value)) = (&mut level, attribute(&e, "w:val")) {
                        level.start = value.parse().unwrap_or(1);
                    }
                }
                "w:num" => num_id = attribute(&e, "w:numId"),
                "w:abstractNumId" => {
                    if let (Some(num), Some(value)) = (num_id.clone(), attribute(&e, "w:val")) {
                        numbering.instances.insert(num, value);
                    }
                }
                _ => {}
            },
            Ok(Event::End(e)) => match e.name().0 {
                "w:lvl" => {
                    if let (Some(id), Some((index, done))) = (&abstract_id, level.take()) {
                        numbering
                            .abstracts
                            .entry(id.clone())
                            .or_default()
                            .insert(index, done);
                    }
                }
                "w:abstractNum" => abstract_id = None,
                "w:num" => num_id = None,
                _ => {}
            },
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
    }
    numbering
}

/// A number in a list format.
fn format_number(value: u32, format: &str) -> String {
    const DIGITS: [&str; 10] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    let chinese = |n: u32| -> String {
        match n {
            0..=9 => DIGITS[n as usize].to_owned(),
            10..=19 => format!(
                "十{}",
                if n == 10 {
                    ""
                } else {
                    DIGITS[(n - 10) as usize]
                }
            ),
            20..=99 => format!(
                "{}十{}",
                DIGITS[(n / 10) as usize],
                if n.is_multiple_of(10) {
                    ""
                } else {
                    DIGITS[(n % 10) as usize]
                }
            ),
            _ => n.to_string(),
        }
    };
    match format {
        "chineseCounting"
        | "chineseCountingThousand"
        | "chineseLegalSimplified"
        | "ideographTraditional"
        | "taiwaneseCounting"
        | "taiwaneseCountingThousand" => chinese(value),
        "lowerLetter" => char::from_u32(u32::from(b'a') + (value.max(1) - 1) % 26)
            .map_or_else(String::new, String::from),
        "upperLetter" => char::from_u32(u32::from(b'A') + (value.max(1) - 1) % 26)
            .map_or_else(String::new, String::from),
        "decimalEnclosedCircle" | "decimalEnclosedCircleChinese" => {
            char::from_u32(0x2460 + value.clamp(1, 20) - 1)
                .map_or_else(|| value.to_string(), String::from)
        }
        "bullet" | "none" => String::new(),
        _ => value.to_string(),
    }
}

/// Counters of the lists in use, and the text each numbered paragraph starts with.
struct Lists {
    numbering: Numbering,
    counters: HashMap<String, [u32; 9]>,
}

impl Lists {
    /// The prefix of the next paragraph of list `num_id` at `level`, advancing the counters.
    fn next(&mut self, num_id: &str, level: usize) -> Option<String> {
        let abstract_id = self.numbering.instances.get(num_id)?;
        let levels = self.numbering.abstracts.get(abstract_id)?;
        let this = levels.get(&level)?;
        if this.format == "bullet" || this.format == "none" || this.text.len() > MAX_LEVEL_TEXT {
            return None;
        }
        let level = level.min(8);
        let counters = self.counters.entry(abstract_id.clone()).or_insert([0; 9]);
        counters[level] = if counters[level] == 0 {
            this.start
        } else {
            counters[level].saturating_add(1)
        };
        for deeper in &mut counters[level + 1..] {
            *deeper = 0;
        }
        let mut text = this.text.clone();
        for (index, counter) in counters.iter().enumerate().take(level + 1) {
            let placeholder = format!("%{}", index + 1);
            if text.contains(&placeholder) {
                let format = levels.get(&index).map_or("decimal", |l| l.format.as_str());
                let value = if *counter == 0 {
                    levels.get(&index).map_or(1, |l| l.start)
                } else {
                    *counter
                };
                text = text.replace(&placeholder, &format_number(value, format));
            }
        }
        Some(text)
    }
}

/// A table being read: rows of cells, each cell's text, colspan and vertical-merge state.
#[derive(Default)]
struct TableBuilder {
    rows: Vec<Vec<DocCell>>,
}

struct DocCell {
    text: String,
    colspan: usize,
    merge: Merge,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Merge {
    None,
    Restart,
    Continue,
}

impl TableBuilder {
    /// Rows of (text, colspan, rowspan) for the canvas: a `vMerge` continuation lengthens the
    /// cell above in the same column.
    fn into_raw(self) -> Vec<Vec<RawCell>> {
        let mut raw: Vec<Vec<(RawCell, usize)>> = Vec::with_capacity(self.rows.len());
        // For each column, where the open merge started: (row, index in row).
        let mut open: HashMap<usize, (usize, usize)> = HashMap::new();
        for (r, row) in self.rows.into_iter().enumerate() {
            let mut cells = Vec::with_capacity(row.len());
            let mut column = 0;
            for cell in row {
                let colspan = cell.colspan.clamp(1, MAX_COLSPAN);
                match cell.merge {
                    Merge::Continue => {
                        if let Some(&(start_row, index)) = open.get(&column)
                            && let Some(((_, _, rowspan), _)) =
                                raw.get_mut(start_row).and_then(|row| row.get_mut(index))
                        {
                            *rowspan = r - start_row + 1;
                        }
                    }
                    merge => {
                        if merge == Merge::Restart {
                            open.insert(column, (r, cells.len()));
                        } else {
                            open.remove(&column);
                        }
                        cells.push(((cell.text, colspan, 1), column));
                    }
                }
                column += colspan;
            }
            raw.push(cells);
        }
        raw.into_iter()
            .map(|row| row.into_iter().map(|(cell, _)| cell).collect())
            .collect()
    }
}

/// The state of the walk through `document.xml`.
struct Body<'s> {
    styles: &'s Styles,
    lists: Lists,
    canvas: Canvas,
    /// Text of the paragraph being read.
    paragraph: String,
    /// Its style's heading level, and its list numbering.
    heading: Option<u8>,
    num: Option<(String, usize)>,
    tables: Vec<TableBuilder>,
    /// Text of the cell being read (paragraphs joined), per open table.
    cell: Vec<Option<DocCell>>,
    /// Depth inside elements whose text is not part of the document.
    skipping: usize,
    in_text: bool,
    /// Bytes of text produced so far, copies included (see [`MAX_TEXT_BYTES`]).
    expanded: usize,
}

impl<'s> Body<'s> {
    fn new(styles: &'s Styles, numbering: Numbering) -> Self {
        Self {
            styles,
            lists: Lists {
                numbering,
                counters: HashMap::new(),
            },
            canvas: Canvas::default(),
            paragraph: String::new(),
            heading: None,
            num: None,
            tables: Vec::new(),
            cell: Vec::new(),
            skipping: 0,
            in_text: false,
            expanded: 0,
        }
    }

    fn read(mut self, xml: &str) -> Result<Docx, ReadError> {
        let mut reader = Reader::from_str(xml);
        loop {
            match reader.read_event() {
                Ok(Event::Eof) => break,
                Ok(Event::Start(e)) => self.start(&e, false),
                Ok(Event::Empty(e)) => self.start(&e, true),
                Ok(Event::End(e)) => self.end(e.name().0),
                Ok(Event::Text(t)) if self.in_text && self.skipping == 0 => {
                    self.paragraph.push_str(&t.xml10_content());
                }
                Ok(Event::GeneralRef(r)) if self.in_text && self.skipping == 0 => {
                    let resolved = match r.resolve_char_ref() {
                        Ok(Some(c)) => Some(c),
                        _ => match &*r {
                            "amp" => Some('&'),
                            "lt" => Some('<'),
                            "gt" => Some('>'),
                            "quot" => Some('"'),
                            "apos" => Some('\''),
                            _ => None,
                        },
                    };
                    if let Some(c) = resolved {
                        self.paragraph.push(c);
                    }
                }
                Ok(_) => {}
                Err(error) => {
                    return Err(invalid(format!(
                        "word/document.xml 不是有效的 XML（位置 {}）：{error}",
                        reader.buffer_position()
                    )));
                }
            }
            if self.expanded > MAX_TEXT_BYTES {
                return Err(invalid(format!(
                    "展开后的文字超过 {} MB（自动编号或嵌套表格），不像是一份年度报告",
                    MAX_TEXT_BYTES / (1024 * 1024)
                )));
            }
        }
        let mut canvas = self.canvas;
        canvas.flush();
        Ok(Docx {
            text: canvas.text,
            blocks: canvas.blocks,
            heading_hints: canvas.heading_hints,
        })
    }

    fn start(&mut self, e: &BytesStart<'_>, empty: bool) {
        let name = e.name().0;
        if self.skipping > 0 {
            if !empty {
                self.skipping += 1;
            }
            return;
        }
        match name {
            // Deleted text, field codes, drawings' fallback copies, tab-stop definitions and text
            // boxes (whose paragraphs would interrupt the one around them).
            "w:delText" | "w:instrText" | "mc:Fallback" | "w:del" | "w:tabs" | "w:txbxContent"
                if !empty =>
            {
                self.skipping = 1;
            }
            "w:t" => self.in_text = !empty,
            "w:tab" => self.paragraph.push(' '),
            "w:br" | "w:cr" => self.paragraph.push('\n'),
            "w:p" => {
                self.paragraph.clear();
                self.heading = None;
                self.num = None;
            }
            "w:pStyle" => {
                if let Some(style) = attribute(e, "w:val") {
                    self.heading = self.styles.heading.get(&style).copied().or(self.heading);
                    if self.num.is_none() {
                        self.num = self.styles.numbering.get(&style).cloned();
                    }
                }
            }
            "w:outlineLvl" => {
                if let Some(level) = attribute(e, "w:val").and_then(|v| v.parse::<u8>().ok())
                    && level < 9
                {
                    self.heading = Some(level + 1);
                }
            }
            "w:numId" => {
                if let Some(id) = attribute(e, "w:val") {
                    let level = self.num.as_ref().map_or(0, |(_, level)| *level);
                    self.num = Some((id, level));
                }
            }
            "w:ilvl" => {
                if let Some(level) = attribute(e, "w:val").and_then(|v| v.parse().ok()) {
                    let id = self.num.take().map(|(id, _)| id).unwrap_or_default();
                    self.num = Some((id, level));
                }
            }
            "w:tbl" => {
                self.tables.push(TableBuilder::default());
                self.cell.push(None);
            }
            "w:tr" => {
                if let Some(table) = self.tables.last_mut() {
                    table.rows.push(Vec::new());
                }
            }
            "w:tc" => {
                if let Some(cell) = self.cell.last_mut() {
                    *cell = Some(DocCell {
                        text: String::new(),
                        colspan: 1,
                        merge: Merge::None,
                    });
                }
            }
            "w:gridSpan" => {
                if let (Some(Some(cell)), Some(span)) =
                    (self.cell.last_mut(), attribute(e, "w:val"))
                {
                    cell.colspan = span.parse().unwrap_or(1);
                }
            }
            "w:vMerge" => {
                if let Some(Some(cell)) = self.cell.last_mut() {
                    cell.merge = match attribute(e, "w:val").as_deref() {
                        Some("restart") => Merge::Restart,
                        _ => Merge::Continue,
                    };
                }
            }
            _ => {}
        }
    }

    fn end(&mut self, name: &str) {
        if self.skipping > 0 {
            self.skipping -= 1;
            return;
        }
        match name {
            "w:t" => self.in_text = false,
            "w:p" => self.end_paragraph(),
            "w:tc" => {
                if let (Some(slot), Some(table)) = (self.cell.last_mut(), self.tables.last_mut())
                    && let Some(mut cell) = slot.take()
                {
                    cell.text = collapse_whitespace(&cell.text);
                    if let Some(row) = table.rows.last_mut() {
                        row.push(cell);
                    }
                }
            }
            "w:tbl" => {
                self.cell.pop();
                if let Some(table) = self.tables.pop() {
                    if let Some(Some(outer)) = self.cell.last_mut() {
                        // A table inside a cell: its text belongs to that cell.
                        for row in table.rows {
                            for cell in row {
                                self.expanded = self.expanded.saturating_add(cell.text.len());
                                join_cjk(&mut outer.text, &cell.text);
                            }
                        }
                    } else {
                        self.canvas.flush();
                        self.canvas.push_table(&table.into_raw(), TableKind::Grid);
                    }
                }
            }
            _ => {}
        }
    }

    fn end_paragraph(&mut self) {
        let mut text = std::mem::take(&mut self.paragraph);
        if let Some((id, level)) = self.num.take()
            && let Some(prefix) = self.lists.next(&id, level)
        {
            text.insert_str(0, &prefix);
        }
        self.expanded = self.expanded.saturating_add(text.len());
        if let Some(Some(cell)) = self.cell.last_mut() {
            join_cjk(&mut cell.text, &text);
            return;
        }
        for line in text.split('\n') {
            self.canvas.push_text(line);
            match self.heading {
                Some(level) => self.canvas.flush_heading(level),
                None => {
                    self.canvas.flush();
                }
            }
        }
    }
}

/// Appends a paragraph's text to a cell's: no space between CJK characters (`商业` + `企业`),
/// one space elsewhere.
fn join_cjk(into: &mut String, text: &str) {
    let text = collapse_whitespace(&text.replace('\n', " "));
    if text.is_empty() {
        return;
    }
    let joins_cjk = into.chars().next_back().is_some_and(|c| !c.is_ascii())
        && text.chars().next().is_some_and(|c| !c.is_ascii());
    if !into.is_empty() && !joins_cjk {
        into.push(' ');
    }
    into.push_str(&text);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_in_list_formats() {
        assert_eq!(format_number(3, "chineseCounting"), "三");
        assert_eq!(format_number(12, "chineseCountingThousand"), "十二");
        assert_eq!(format_number(21, "chineseCounting"), "二十一");
        assert_eq!(format_number(2, "decimal"), "2");
        assert_eq!(format_number(1, "decimalEnclosedCircle"), "①");
    }

    #[test]
    fn heading_style_names() {
        assert_eq!(heading_level_from_name("heading 1"), Some(1));
        assert_eq!(heading_level_from_name("标题 2"), Some(2));
        assert_eq!(heading_level_from_name("Normal"), None);
    }
}
