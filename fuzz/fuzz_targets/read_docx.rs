//! The Word reader (.docx: ZIP container, then `word/document.xml`, `numbering.xml` and
//! `styles.xml` walked with quick-xml) on any bytes: never a panic, and every span on character
//! boundaries of the canonical text.
#![no_main]

use std::io::{Cursor, Write};

use libfuzzer_sys::fuzz_target;
use xxgk_lint::source::{Block, Document, ReadError, SourceKind, read_bytes};

fuzz_target!(|data: &[u8]| {
    // The bytes as the file: ZIP structures, deflate streams, the size and ratio limits.
    check(read_bytes(data, Some(SourceKind::Docx)));
    // The bytes as the parts of a valid archive, split at 0xFF bytes (never in UTF-8): the XML
    // walk, list numbering, heading styles, merged cells.
    if let Some(archive) = archive(data) {
        check(read_bytes(&archive, Some(SourceKind::Docx)));
    }
});

/// A stored (uncompressed) archive of document, numbering and styles parts.
fn archive(data: &[u8]) -> Option<Vec<u8>> {
    let options =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let names = ["word/document.xml", "word/numbering.xml", "word/styles.xml"];
    for (name, part) in names.into_iter().zip(data.split(|byte| *byte == 0xFF)) {
        zip.start_file(name, options).ok()?;
        zip.write_all(part).ok()?;
    }
    Some(zip.finish().ok()?.into_inner())
}

fn check(read: Result<Document, ReadError>) {
    let Ok(doc) = read else { return };
    let valid = |range: xxgk_lint::text::TextRange| {
        range.start <= range.end && doc.text.get(range.range()).is_some()
    };
    for block in &doc.blocks {
        match block {
            Block::Paragraph(range) | Block::Image(range) => assert!(valid(*range)),
            Block::Table(table) => {
                assert!(valid(table.range));
                for row in &table.rows {
                    assert!(valid(row.range));
                    assert!(row.cells.iter().all(|cell| valid(cell.range)));
                }
            }
        }
    }
}
