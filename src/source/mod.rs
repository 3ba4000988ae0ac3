//! Readers: a file becomes a [`Document`], the canonical text a reader sees plus its paragraphs and
//! tables, each with a span into that text. Readers know document structure, never rules.
//!
//! Plain text is its own canonical text. HTML is rendered deterministically: one line per
//! paragraph, one line per table row with the cells joined by ` | `. Diagnostics point into this
//! text, since HTML parsers give no source positions.

mod canvas;
pub mod cell;
mod decode;
mod docx;
mod grid_text;
mod html;
mod markdown;
mod pdf;
pub mod plain;
pub mod run_on;
pub mod split;

use std::path::Path;

use thiserror::Error;

use crate::input::LimitedReadError;

pub use cell::{CellContent, Number};
pub use run_on::{Figure, FigureRun, RunReading};

use crate::text::TextRange;

/// Files larger than this are refused: a real report, even a Word-exported page with its styles,
/// is a few hundred kilobytes.
pub const MAX_FILE_BYTES: u64 = 32 * 1024 * 1024;

/// The format a document was read from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SourceKind {
    /// Plain text (`.txt`).
    Text,
    /// Markdown (`.md`, `.markdown`): from a converter, or written by hand.
    Markdown,
    /// An HTML page (`.html`, `.htm`).
    Html,
    /// A Word document (`.docx`).
    Docx,
    /// A PDF with a text layer.
    Pdf,
}

impl SourceKind {
    /// The kind for a file extension, if it is one the linter reads.
    pub fn from_extension(extension: &str) -> Option<Self> {
        match extension.to_ascii_lowercase().as_str() {
            "txt" | "text" => Some(Self::Text),
            "md" | "markdown" => Some(Self::Markdown),
            "html" | "htm" | "shtml" | "xhtml" => Some(Self::Html),
            "docx" => Some(Self::Docx),
            "pdf" => Some(Self::Pdf),
            _ => None,
        }
    }
}

/// A document: its canonical text and the blocks found in it, in reading order.
#[derive(Clone, Debug)]
pub struct Document {
    /// The format it was read from.
    pub kind: SourceKind,
    /// The encoding its bytes were decoded from.
    pub encoding: &'static str,
    /// How many malformed byte sequences were replaced while decoding.
    pub replaced_bytes: usize,
    /// The canonical text: what diagnostics point into and what the human output shows.
    pub text: String,
    /// Paragraphs and tables, in reading order.
    pub blocks: Vec<Block>,
    /// Paragraphs the source marks as headings without a numbered ordinal in their text (Word
    /// heading styles), with their level.
    pub heading_hints: Vec<(TextRange, u8)>,
    /// How a plain text was read (hard-wrapped or a paragraph per line), for `--verbose`.
    pub reading: Option<String>,
}

/// A paragraph (one line of the canonical text), a table or an image.
#[derive(Clone, Debug)]
pub enum Block {
    /// A paragraph or heading; the range excludes surrounding whitespace.
    Paragraph(TextRange),
    /// A table.
    Table(Table),
    /// An image in the flow of the text (a table or chart published as a picture); the range is
    /// its placeholder line in the canonical text (`[图片：…]`).
    Image(TextRange),
}

/// A table: rows of cells on a rectangular grid (merged cells expanded).
#[derive(Clone, Debug)]
pub struct Table {
    /// The span of the whole table.
    pub range: TextRange,
    /// Rows, top to bottom.
    pub rows: Vec<Row>,
    /// How the table's cells were found.
    pub kind: TableKind,
    /// For each grid position, the (row, index in row) of the cell covering it.
    grid: Vec<Vec<Option<(usize, usize)>>>,
}

/// How a table's cells were found, which says how far their columns can be trusted.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum TableKind {
    /// Markup with explicit cells (HTML `<td>`, Word `<w:tc>`): every cell, blank or not, is there.
    Grid,
    /// Text flattened one cell per line: blank cells were dropped, so a short row's cells cannot
    /// be placed in their columns.
    Flattened,
    /// Rebuilt from the positions of text on PDF pages: columns come from the figures' positions.
    PdfLayout,
    /// Read out of a paragraph into which a table's rows ran (a crawler's one-line body): each
    /// row is its label and one [`FigureRun`].
    RunTogether,
    /// A Markdown pipe table: its cells are written out, but converters often make them by
    /// guessing where a PDF's cells were.
    Markdown,
}

/// A table row: the cells that start in it, left to right.
#[derive(Clone, Debug)]
pub struct Row {
    /// The span of the row's cells.
    pub range: TextRange,
    /// Cells starting in this row (a cell merged down from above belongs to the row it starts in).
    pub cells: Vec<Cell>,
}

/// A table cell.
#[derive(Clone, Debug)]
pub struct Cell {
    /// Its span in the canonical text (empty for a blank cell, placed where it would be).
    pub range: TextRange,
    /// Its text, whitespace-normalised.
    pub text: String,
    /// What it holds.
    pub content: CellContent,
    /// First grid column.
    pub column: usize,
    /// Columns it spans (`colspan`).
    pub column_span: usize,
    /// Rows it spans (`rowspan`).
    pub row_span: usize,
}

impl Table {
    /// Builds a table, computing its grid from the cells' columns and spans.
    pub(crate) fn new(range: TextRange, rows: Vec<Row>, kind: TableKind) -> Self {
        // Each grid row is only as long as the cells reaching into it, so a hostile page cannot
        // make the grid rows × widest-row large.
        let mut grid: Vec<Vec<Option<(usize, usize)>>> = vec![Vec::new(); rows.len()];
        for (r, row) in rows.iter().enumerate() {
            for (i, cell) in row.cells.iter().enumerate() {
                let last_row = (r + cell.row_span.max(1)).min(rows.len());
                let end = cell.column + cell.column_span.max(1);
                for grid_row in &mut grid[r..last_row] {
                    if grid_row.len() < end {
                        grid_row.resize(end, None);
                    }
                    for slot in &mut grid_row[cell.column..end] {
                        slot.get_or_insert((r, i));
                    }
                }
            }
        }
        Self {
            range,
            rows,
            kind,
            grid,
        }
    }

    /// Number of grid columns.
    pub fn width(&self) -> usize {
        self.grid.iter().map(Vec::len).max().unwrap_or(0)
    }

    /// The cell covering a grid position, whichever row it starts in.
    pub fn covering(&self, row: usize, column: usize) -> Option<&Cell> {
        let (r, i) = (*self.grid.get(row)?.get(column)?)?;
        self.rows.get(r)?.cells.get(i)
    }
}

impl Document {
    /// Paragraph ranges, in order.
    pub fn paragraphs(&self) -> impl Iterator<Item = TextRange> + '_ {
        self.blocks.iter().filter_map(|block| match block {
            Block::Paragraph(range) => Some(*range),
            Block::Table(_) | Block::Image(_) => None,
        })
    }

    /// Tables, in order.
    pub fn tables(&self) -> impl Iterator<Item = &Table> + '_ {
        self.blocks.iter().filter_map(|block| match block {
            Block::Table(table) => Some(table),
            Block::Paragraph(_) | Block::Image(_) => None,
        })
    }

    /// The tables of paragraphs into which a table's rows ran (a crawler flattened the page into
    /// one line): one candidate table per paragraph holding label / figures pairs, each row a
    /// label and a [`FigureRun`]. Computed on demand: only a document whose tables were not found
    /// as tables needs them.
    pub fn run_on_tables(&self) -> Vec<Table> {
        run_on::tables(&self.text, self.paragraphs())
    }

    /// The text of a range of the canonical text.
    pub fn slice(&self, range: TextRange) -> &str {
        range.slice(&self.text)
    }
}

/// Why a file could not be read. Each becomes an error diagnostic on that file.
#[derive(Debug, Error)]
pub enum ReadError {
    /// The path does not exist.
    #[error("文件不存在")]
    NotFound,
    /// Reading failed.
    #[error("无法读取：{0}")]
    Io(#[from] std::io::Error),
    /// The file exceeds [`MAX_FILE_BYTES`] (counted while reading it).
    #[error("文件过大（超过 {limit} 字节），不像是一份年度报告")]
    TooLarge {
        /// The limit in bytes.
        limit: u64,
    },
    /// A device, a FIFO or a socket given as a file: it may never end or never be written to.
    #[error("不是普通文件（{what}），未读取：只读取普通文件和标准输入")]
    NotRegular {
        /// What it is.
        what: &'static str,
    },
    /// The file is not text.
    #[error("不是文本文件（{detail}）")]
    Binary {
        /// What gave it away.
        detail: String,
    },
    /// The bytes are not valid in any supported encoding.
    #[error("无法解码：内容既不是有效的 {encoding} 文本")]
    Undecodable {
        /// The encodings tried.
        encoding: &'static str,
    },
    /// The file holds no text.
    #[error("文件没有正文内容")]
    Empty,
    /// The HTML nests too deeply to be a real page.
    #[error("网页嵌套超过 {limit} 层（约 {depth} 层），不像是正常的网页，未检查")]
    TooDeep {
        /// The estimated depth.
        depth: usize,
        /// The limit.
        limit: usize,
    },
    /// A tag of the page has more attributes than a real page's.
    #[error("网页中一个标签有 {count} 个属性（上限 {limit}），不像是正常的网页，未检查")]
    TooManyAttributes {
        /// The most attributes on one tag.
        count: usize,
        /// The limit.
        limit: usize,
    },
    /// A Word document that cannot be read.
    #[error("无法读取 Word 文档：{detail}")]
    Docx {
        /// What is wrong.
        detail: String,
    },
    /// A PDF that cannot be read.
    #[error("无法读取 PDF：{detail}")]
    Pdf {
        /// What is wrong.
        detail: String,
    },
    /// A PDF whose pages carry no text (a scan).
    #[error(
        "PDF 没有文字层（共 {pages} 页，可能是扫描件或图片），无法检查；请使用带文字的 PDF、Word 或网页版本"
    )]
    NoTextLayer {
        /// Its page count.
        pages: usize,
    },
    /// An old binary Word or WPS document.
    #[error("这是旧版 Word（.doc）或 WPS 格式的文件，请在 Word 或 WPS 中“另存为” .docx 后再检查")]
    LegacyWord,
    /// The file's format is not read by this version.
    #[error("不支持的文件类型「.{extension}」（支持 .txt .md .html .htm .docx .pdf）")]
    Unsupported {
        /// The extension.
        extension: String,
    },
}

/// Whether a line starts with the ordinal of a numbered heading or item: `一、`, `（一）`, `(1)`,
/// `1.`, `1、` (full- or half-width).
pub(crate) fn starts_numbered(line: &str) -> bool {
    static NUMBERED: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(
            r"^(?:[一二三四五六七八九十]{1,3}[、．.]|[（(][一二三四五六七八九十0-9０-９]{1,3}[）)]|[0-9０-９]{1,2}[.．、](?:[^0-9０-９]|$))",
        )
        .expect("numbered pattern is valid")
    });
    NUMBERED.is_match(line.trim_start())
}

/// Whether a line of text is a page number a conversion left in the flow (`-3-`, `— 4 —`,
/// `- 1 -`, `第 3 页`, `第3页 共8页`): never part of the report's text.
pub(crate) fn is_page_furniture(line: &str) -> bool {
    static FURNITURE: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(
            r"^(?:[-—–－]+\s*[0-9０-９]{1,4}\s*[-—–－]+|第\s*[0-9０-９]{1,4}\s*页(?:\s*[,，]?\s*共\s*[0-9０-９]{1,4}\s*页)?)$",
        )
        .expect("page furniture pattern is valid")
    });
    FURNITURE.is_match(line.trim())
}

/// Reads and decodes a file into a [`Document`]. At most [`MAX_FILE_BYTES`] are read, whatever
/// the metadata says (see [`crate::input::read_limited`]); devices and FIFOs are refused.
pub fn read_file(path: &Path) -> Result<Document, ReadError> {
    let extension = path
        .extension()
        .map(|ext| ext.to_string_lossy().into_owned());
    let kind = match extension.as_deref().map(SourceKind::from_extension) {
        Some(Some(kind)) => Some(kind),
        Some(None) if is_unsupported_document(extension.as_deref().unwrap_or("")) => {
            return Err(ReadError::Unsupported {
                extension: extension.unwrap_or_default(),
            });
        }
        _ => None,
    };
    let bytes = crate::input::read_limited(path, MAX_FILE_BYTES).map_err(|error| match error {
        LimitedReadError::NotFound => ReadError::NotFound,
        LimitedReadError::NotRegular { what } => ReadError::NotRegular { what },
        LimitedReadError::TooLarge { limit } => ReadError::TooLarge { limit },
        LimitedReadError::Io(error) => ReadError::Io(error),
    })?;
    if bytes.is_empty() {
        return Err(ReadError::Empty);
    }
    read_bytes(&bytes, kind)
}

fn is_unsupported_document(extension: &str) -> bool {
    matches!(
        extension.to_ascii_lowercase().as_str(),
        "xls"
            | "xlsx"
            | "et"
            | "rtf"
            | "odt"
            | "ofd"
            | "png"
            | "jpg"
            | "jpeg"
            | "gif"
            | "tif"
            | "tiff"
    )
}

/// Formats recognised by their first bytes, whatever the file is called.
fn sniff_container(bytes: &[u8]) -> Option<Result<SourceKind, ReadError>> {
    if bytes.starts_with(b"%PDF-") {
        Some(Ok(SourceKind::Pdf))
    } else if bytes.starts_with(b"PK\x03\x04") {
        Some(Ok(SourceKind::Docx))
    } else if bytes.starts_with(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1") {
        Some(Err(ReadError::LegacyWord))
    } else {
        None
    }
}

/// Reads a document from bytes. A PDF, a Word document or an old binary Word file is recognised by
/// its first bytes whatever `kind` says; otherwise, without a `kind`, a file starting with `<` is
/// read as HTML and anything else as text.
pub fn read_bytes(bytes: &[u8], kind: Option<SourceKind>) -> Result<Document, ReadError> {
    if bytes.is_empty() {
        return Err(ReadError::Empty);
    }
    let kind = match sniff_container(bytes) {
        Some(sniffed) => sniffed?,
        None => match kind {
            Some(SourceKind::Docx) => {
                return Err(ReadError::Docx {
                    detail: "文件不是 ZIP 格式".to_owned(),
                });
            }
            Some(SourceKind::Pdf) => {
                return Err(ReadError::Binary {
                    detail: "扩展名为 .pdf，但内容不是 PDF".to_owned(),
                });
            }
            Some(kind) => kind,
            None => sniff_kind(bytes),
        },
    };
    if kind == SourceKind::Docx {
        let docx = docx::read(bytes)?;
        return finish(kind, "UTF-8", 0, docx.text, docx.blocks, docx.heading_hints);
    }
    if kind == SourceKind::Pdf {
        let pdf = pdf::read(bytes)?;
        return finish(kind, "PDF", 0, pdf.text, pdf.blocks, Vec::new());
    }
    let decoded = decode::decode(bytes, kind == SourceKind::Html)?;
    if decoded.text.trim().is_empty() {
        return Err(ReadError::Empty);
    }
    if matches!(kind, SourceKind::Html | SourceKind::Markdown) {
        let shape = html::shape(&decoded.text);
        if shape.depth > html::MAX_NESTING {
            return Err(ReadError::TooDeep {
                depth: shape.depth,
                limit: html::MAX_NESTING,
            });
        }
        if shape.attributes > html::MAX_ATTRIBUTES {
            return Err(ReadError::TooManyAttributes {
                count: shape.attributes,
                limit: html::MAX_ATTRIBUTES,
            });
        }
    }
    let mut reading = None;
    let (text, blocks, hints) = match kind {
        SourceKind::Html => {
            let (text, blocks) = html::read(&decoded.text);
            (text, blocks, Vec::new())
        }
        SourceKind::Markdown => markdown::read(&decoded.text),
        _ => {
            let (text, blocks, how) = plain::read(decoded.text);
            reading = Some(how.describe());
            (text, blocks, Vec::new())
        }
    };
    let mut doc = finish(
        kind,
        decoded.encoding,
        decoded.replaced,
        text,
        blocks,
        hints,
    )?;
    doc.reading = reading;
    Ok(doc)
}

fn finish(
    kind: SourceKind,
    encoding: &'static str,
    replaced_bytes: usize,
    text: String,
    blocks: Vec<Block>,
    heading_hints: Vec<(TextRange, u8)>,
) -> Result<Document, ReadError> {
    if blocks.is_empty() {
        return Err(ReadError::Empty);
    }
    Ok(Document {
        kind,
        encoding,
        replaced_bytes,
        text,
        blocks,
        heading_hints,
        reading: None,
    })
}

fn sniff_kind(bytes: &[u8]) -> SourceKind {
    let start = bytes
        .strip_prefix(b"\xEF\xBB\xBF")
        .unwrap_or(bytes)
        .iter()
        .find(|b| !b.is_ascii_whitespace());
    if start == Some(&b'<') {
        SourceKind::Html
    } else {
        SourceKind::Text
    }
}
