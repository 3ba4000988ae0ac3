//! The PDF reader (pdf-extract, then glyphs, ruling lines, lines, paragraphs and table geometry)
//! on any bytes: never a panic that escapes, and every span on character boundaries of the
//! canonical text.
#![no_main]

use libfuzzer_sys::fuzz_target;
use xxgk_lint::source::{Block, Document, ReadError, SourceKind, read_bytes};

fuzz_target!(|data: &[u8]| {
    // The bytes as the file: header, cross-reference table, objects, filters, fonts.
    check(read_bytes(data, Some(SourceKind::Pdf)));
    // The bytes as the content stream of a valid one-page PDF with a standard font: arbitrary
    // text and path operators reach the glyph collector, ruling lines and table geometry.
    check(read_bytes(&one_page(data), Some(SourceKind::Pdf)));
});

/// A one-page A4 PDF whose page draws `content`, with Helvetica as `/F1` and a CJK font as `/F2`.
fn one_page(content: &[u8]) -> Vec<u8> {
    let stream = {
        let mut object = format!("<< /Length {} >>\nstream\n", content.len()).into_bytes();
        object.extend_from_slice(content);
        object.extend_from_slice(b"\nendstream");
        object
    };
    let objects: [&[u8]; 6] = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R \
          /Resources << /Font << /F1 5 0 R /F2 6 0 R >> >> >>",
        &stream,
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H \
          /DescendantFonts [<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light \
          /CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 2 >> >>] >>",
    ];
    let mut pdf = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, object) in objects.iter().enumerate() {
        offsets.push(pdf.len());
        pdf.extend_from_slice(format!("{} 0 obj\n", i + 1).as_bytes());
        pdf.extend_from_slice(object);
        pdf.extend_from_slice(b"\nendobj\n");
    }
    let xref = pdf.len();
    pdf.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
    );
    for offset in offsets {
        pdf.extend_from_slice(format!("{offset:010} 00000 n \n").as_bytes());
    }
    pdf.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    pdf
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
