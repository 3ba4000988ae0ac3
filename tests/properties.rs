//! Property tests: no input makes a reader, the table builder, the model or the rules panic, and
//! every span a reader produces lies on character boundaries inside the canonical text. The Word
//! and PDF readers also read back what a generated document holds.
#![allow(
    clippy::unwrap_used,
    reason = "test code: a failed unwrap is a failed test"
)]

use std::io::{Cursor, Read, Write};
use std::sync::LazyLock;

use proptest::prelude::*;
use proptest::sample::Index;
use xxgk_lint::lint::check_bytes;
use xxgk_lint::model::Report;
use xxgk_lint::rules::Registry;
use xxgk_lint::source::{Block, Document, SourceKind, read_bytes};
use xxgk_lint::text::TextRange;

fn valid(doc: &Document, range: TextRange) -> bool {
    range.start <= range.end
        && range.end <= doc.text.len()
        && doc.text.is_char_boundary(range.start)
        && doc.text.is_char_boundary(range.end)
}

fn assert_spans(doc: &Document) {
    for block in &doc.blocks {
        match block {
            Block::Paragraph(range) | Block::Image(range) => {
                assert!(valid(doc, *range), "block {range:?}");
            }
            Block::Table(table) => {
                assert!(valid(doc, table.range));
                for row in &table.rows {
                    assert!(valid(doc, row.range));
                    for cell in &row.cells {
                        assert!(valid(doc, cell.range), "cell {:?}", cell.range);
                    }
                }
            }
        }
    }
}

/// Pieces that real reports are made of, so random documents exercise the interesting paths.
fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("一、本年新收政府信息公开申请数量".to_owned()),
        Just("（七）总计".to_owned()),
        Just("三、本年度办理结果".to_owned()),
        Just("（六）其他处理".to_owned()),
        Just("3.其他".to_owned()),
        Just("行政复议".to_owned()),
        Just("申请人情况".to_owned()),
        Just("第二十条第（一）项".to_owned()),
        Just("规章".to_owned()),
        Just("统计期限自2021年1月1日起至".to_owned()),
        Just("2021年政府信息公开工作年度报告".to_owned()),
        Just("/".to_owned()),
        Just("—".to_owned()),
        Just("\u{a0}".to_owned()),
        (0i64..100_000).prop_map(|n| n.to_string()),
        (-50i64..50).prop_map(|n| n.to_string()),
        "[一二三四五六七]、[\u{4e00}-\u{4e20}]{1,6}",
        "[（(][一二三四五六七][)）][\u{4e00}-\u{4e20}]{0,6}",
        "\\PC{0,12}",
    ]
}

fn html_piece() -> impl Strategy<Value = String> {
    prop_oneof![
        piece(),
        Just("<table>".to_owned()),
        Just("</table>".to_owned()),
        Just("<tr>".to_owned()),
        Just("</tr>".to_owned()),
        (0u32..5, 0u32..5).prop_map(|(c, r)| format!("<td colspan={c} rowspan={r}>")),
        Just("<td colspan=99999 rowspan=0>".to_owned()),
        Just("</td>".to_owned()),
        Just("<p>".to_owned()),
        Just("</p>".to_owned()),
        Just("<br>".to_owned()),
        Just("<div class=\"nav\">".to_owned()),
        Just("</div>".to_owned()),
        Just("<script>".to_owned()),
        Just("&nbsp;".to_owned()),
        Just("<title>".to_owned()),
    ]
}

/// The built-in layouts and model words, loaded once.
fn model_config() -> &'static xxgk_lint::model::ModelConfig {
    static REGISTRY: std::sync::OnceLock<Registry> = std::sync::OnceLock::new();
    REGISTRY
        .get_or_init(|| Registry::builtin().expect("built-in rules load"))
        .model()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2048), html in any::<bool>()) {
        let kind = if html { SourceKind::Html } else { SourceKind::Text };
        if let Ok(doc) = read_bytes(&bytes, Some(kind)) {
            assert_spans(&doc);
            let _ = Report::build(&doc, model_config());
        }
    }

    #[test]
    fn flattened_text_tables_have_valid_spans(pieces in proptest::collection::vec(piece(), 0..120), blank in any::<bool>()) {
        let separator = if blank { "\n\n" } else { "\n" };
        let text = pieces.join(separator);
        if let Ok(doc) = read_bytes(text.as_bytes(), Some(SourceKind::Text)) {
            assert_spans(&doc);
            for table in doc.tables() {
                for row in &table.rows {
                    for cell in &row.cells {
                        prop_assert_eq!(doc.slice(cell.range), cell.text.as_str());
                    }
                }
            }
        }
    }

    #[test]
    fn tag_soup_never_panics_and_keeps_spans_valid(pieces in proptest::collection::vec(html_piece(), 0..150)) {
        let page = pieces.concat();
        if let Ok(doc) = read_bytes(page.as_bytes(), Some(SourceKind::Html)) {
            assert_spans(&doc);
        }
    }

    #[test]
    fn the_whole_pipeline_never_panics(pieces in proptest::collection::vec(piece(), 0..150), html in any::<bool>()) {
        let registry = Registry::builtin().unwrap();
        let (bytes, kind) = if html {
            (format!("<table><tr><td>{}</td></tr></table>", pieces.join("</td><td>")), SourceKind::Html)
        } else {
            (pieces.join("\n"), SourceKind::Text)
        };
        let result = check_bytes(bytes.as_bytes(), Some(kind), "prop", &registry);
        prop_assert!(result.diagnostics.iter().all(|d| d.code != "E999"), "{:?}", result.diagnostics);
    }
}

// ---- Word (.docx) and PDF ----

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(name)).unwrap()
}

static GOOD_DOCX: LazyLock<Vec<u8>> = LazyLock::new(|| fixture("fixtures/reports/2021-good.docx"));
static GOOD_PDF: LazyLock<Vec<u8>> = LazyLock::new(|| fixture("fixtures/reports/2021-good.pdf"));

/// The parts of the good .docx fixture, by name.
static GOOD_DOCX_PARTS: LazyLock<Vec<(String, Vec<u8>)>> = LazyLock::new(|| {
    let mut archive = zip::ZipArchive::new(Cursor::new(GOOD_DOCX.as_slice())).unwrap();
    (0..archive.len())
        .map(|i| {
            let mut file = archive.by_index(i).unwrap();
            let mut bytes = Vec::new();
            file.read_to_end(&mut bytes).unwrap();
            (file.name().unwrap().into_owned(), bytes)
        })
        .collect()
});

/// A .docx archive of these parts.
fn docx(parts: &[(&str, &[u8])]) -> Vec<u8> {
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (name, bytes) in parts {
        zip.start_file(*name, options).unwrap();
        zip.write_all(bytes).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

fn escape_xml(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// `document.xml` with this body.
fn document_xml(body: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
         <w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">\
         <w:body>{body}</w:body></w:document>"
    )
}

/// A paragraph of runs.
fn paragraph_xml(runs: &[String]) -> String {
    let runs: String = runs
        .iter()
        .map(|run| {
            format!(
                "<w:r><w:t xml:space=\"preserve\">{}</w:t></w:r>",
                escape_xml(run)
            )
        })
        .collect();
    format!("<w:p>{runs}</w:p>")
}

/// Whitespace collapsed and trimmed, as the readers write text.
fn collapsed(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Text of a run: Chinese, figures, XML's special characters and whitespace (no `|`, which the
/// canonical text uses between cells).
fn run_text() -> impl Strategy<Value = String> {
    prop_oneof![
        "[\u{4e00}-\u{4e30}0-9a-z（）、。&<>\"' \u{3000}\u{a0}]{0,10}",
        piece().prop_map(|piece| piece.replace('|', "")),
    ]
}

#[derive(Clone, Debug)]
enum Item {
    Paragraph(Vec<String>),
    Table(Vec<Vec<String>>),
}

fn item() -> impl Strategy<Value = Item> {
    prop_oneof![
        3 => proptest::collection::vec(run_text(), 1..4).prop_map(Item::Paragraph),
        1 => proptest::collection::vec(proptest::collection::vec(run_text(), 1..5), 1..5)
            .prop_map(Item::Table),
    ]
}

/// Pieces of `document.xml` markup, well-formed or not, for the XML walk.
fn docx_piece() -> impl Strategy<Value = String> {
    prop_oneof![
        run_text().prop_map(|text| escape_xml(&text)),
        Just("<w:p>".to_owned()),
        Just("</w:p>".to_owned()),
        Just("<w:r><w:t>".to_owned()),
        Just("</w:t></w:r>".to_owned()),
        Just("<w:tbl>".to_owned()),
        Just("</w:tbl>".to_owned()),
        Just("<w:tr>".to_owned()),
        Just("</w:tr>".to_owned()),
        Just("<w:tc>".to_owned()),
        Just("</w:tc>".to_owned()),
        (0u32..100_000).prop_map(|n| format!("<w:tcPr><w:gridSpan w:val=\"{n}\"/></w:tcPr>")),
        Just("<w:tcPr><w:vMerge w:val=\"restart\"/></w:tcPr>".to_owned()),
        Just("<w:tcPr><w:vMerge/></w:tcPr>".to_owned()),
        (0u32..12, 0u32..4).prop_map(|(level, id)| format!(
            "<w:pPr><w:numPr><w:ilvl w:val=\"{level}\"/><w:numId w:val=\"{id}\"/></w:numPr></w:pPr>"
        )),
        (0u32..12).prop_map(|level| format!("<w:pPr><w:outlineLvl w:val=\"{level}\"/></w:pPr>")),
        Just("<w:pPr><w:pStyle w:val=\"1\"/></w:pPr>".to_owned()),
        Just("<w:tab/>".to_owned()),
        Just("<w:br/>".to_owned()),
        Just("<w:del>".to_owned()),
        Just("</w:del>".to_owned()),
        Just("&#x4e00;".to_owned()),
        Just("&bogus;".to_owned()),
    ]
}

/// Byte changes: (where, new value), and where to cut the file, if anywhere.
fn mutations() -> impl Strategy<Value = (Vec<(Index, u8)>, Option<Index>)> {
    (
        proptest::collection::vec((any::<Index>(), any::<u8>()), 1..8),
        proptest::option::weighted(0.2, any::<Index>()),
    )
}

fn mutated(bytes: &[u8], (changes, cut): &(Vec<(Index, u8)>, Option<Index>)) -> Vec<u8> {
    let mut bytes = bytes.to_vec();
    for (at, value) in changes {
        let at = at.index(bytes.len());
        bytes[at] = *value;
    }
    if let Some(cut) = cut {
        bytes.truncate(cut.index(bytes.len()));
    }
    bytes
}

/// A one-page A4 PDF whose page draws `content`, with Helvetica as `/F1`.
fn one_page_pdf(content: &str) -> Vec<u8> {
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_owned(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_owned(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R \
         /Resources << /Font << /F1 5 0 R >> >> >>"
            .to_owned(),
        format!(
            "<< /Length {} >>\nstream\n{content}\nendstream",
            content.len()
        ),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
            .to_owned(),
    ];
    let mut pdf = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, object) in objects.iter().enumerate() {
        offsets.push(pdf.len());
        pdf.extend_from_slice(format!("{} 0 obj\n{object}\nendobj\n", i + 1).as_bytes());
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

/// Words of a PDF line: letters only, so that no line reads as figures of a table.
fn pdf_line() -> impl Strategy<Value = (u32, Vec<String>)> {
    (40u32..300, proptest::collection::vec("[a-zA-Z]{1,8}", 1..6))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn generated_docx_reads_back_its_paragraphs_and_tables(items in proptest::collection::vec(item(), 0..8)) {
        let mut body = String::new();
        let mut expected = Vec::new();
        for item in &items {
            match item {
                Item::Paragraph(runs) => {
                    body.push_str(&paragraph_xml(runs));
                    let text = collapsed(&runs.concat());
                    if !text.is_empty() {
                        expected.push(Item::Paragraph(vec![text]));
                    }
                }
                Item::Table(rows) => {
                    body.push_str("<w:tbl>");
                    for row in rows {
                        body.push_str("<w:tr>");
                        for cell in row {
                            let paragraph = paragraph_xml(std::slice::from_ref(cell));
                            body.push_str(&format!("<w:tc>{paragraph}</w:tc>"));
                        }
                        body.push_str("</w:tr>");
                    }
                    body.push_str("</w:tbl>");
                    expected.push(Item::Table(
                        rows.iter()
                            .map(|row| row.iter().map(|cell| collapsed(cell)).collect())
                            .collect(),
                    ));
                }
            }
        }
        let bytes = docx(&[("word/document.xml", document_xml(&body).as_bytes())]);
        match read_bytes(&bytes, Some(SourceKind::Docx)) {
            Ok(doc) => {
                assert_spans(&doc);
                prop_assert_eq!(doc.blocks.len(), expected.len());
                for (block, expected) in doc.blocks.iter().zip(&expected) {
                    match (block, expected) {
                        (Block::Paragraph(range), Item::Paragraph(text)) => {
                            prop_assert_eq!(doc.slice(*range), text[0].as_str());
                        }
                        (Block::Table(table), Item::Table(rows)) => {
                            let cells: Vec<Vec<&str>> = table
                                .rows
                                .iter()
                                .map(|row| {
                                    row.cells.iter().map(|cell| cell.text.as_str()).collect()
                                })
                                .collect();
                            prop_assert_eq!(&cells, rows);
                            for cell in table.rows.iter().flat_map(|row| &row.cells) {
                                if !cell.text.is_empty() {
                                    prop_assert_eq!(doc.slice(cell.range), cell.text.as_str());
                                }
                            }
                        }
                        (block, expected) => {
                            prop_assert!(false, "{block:?} where {expected:?} was written");
                        }
                    }
                }
            }
            // Only a document with nothing in it is refused.
            Err(error) => prop_assert!(expected.is_empty(), "{error}"),
        }
    }

    #[test]
    fn docx_markup_soup_never_panics_and_keeps_spans_valid(pieces in proptest::collection::vec(docx_piece(), 0..120)) {
        let numbering = GOOD_DOCX_PARTS
            .iter()
            .find(|(name, _)| name == "word/numbering.xml")
            .map(|(_, bytes)| bytes.as_slice())
            .unwrap();
        let bytes = docx(&[
            ("word/document.xml", document_xml(&pieces.concat()).as_bytes()),
            ("word/numbering.xml", numbering),
        ]);
        if let Ok(doc) = read_bytes(&bytes, Some(SourceKind::Docx)) {
            assert_spans(&doc);
        }
    }

    #[test]
    fn a_damaged_docx_is_read_or_refused(changes in mutations(), inside in any::<bool>()) {
        // Damage to the archive itself, or to the XML inside an intact archive.
        let bytes = if inside {
            let parts: Vec<(&str, Vec<u8>)> = GOOD_DOCX_PARTS
                .iter()
                .map(|(name, bytes)| {
                    let bytes = if name == "word/document.xml" {
                        mutated(bytes, &changes)
                    } else {
                        bytes.clone()
                    };
                    (name.as_str(), bytes)
                })
                .collect();
            docx(&parts.iter().map(|(name, bytes)| (*name, bytes.as_slice())).collect::<Vec<_>>())
        } else {
            mutated(&GOOD_DOCX, &changes)
        };
        // Ok or a ReadError, never a panic.
        if let Ok(doc) = read_bytes(&bytes, Some(SourceKind::Docx)) {
            assert_spans(&doc);
        }
    }

    #[test]
    fn generated_pdf_reads_back_its_words(lines in proptest::collection::vec(pdf_line(), 1..12)) {
        let mut content = String::new();
        for (i, (x, words)) in lines.iter().enumerate() {
            let y = 720 - 40 * i;
            content.push_str(&format!("BT /F1 12 Tf {x} {y} Td ({}) Tj ET\n", words.join(" ")));
        }
        let doc = read_bytes(&one_page_pdf(&content), Some(SourceKind::Pdf)).unwrap();
        assert_spans(&doc);
        // Lines may join into paragraphs, so compare the words without the spaces between them.
        let read: String = doc.text.split_whitespace().collect();
        let written: String = lines
            .iter()
            .flat_map(|(_, words)| words.iter().map(String::as_str))
            .collect();
        prop_assert_eq!(read, written);
    }
}

proptest! {
    // Each case parses an 85 KB PDF: few cases, to keep the debug test run short.
    #![proptest_config(ProptestConfig { cases: 16, ..ProptestConfig::default() })]

    #[test]
    fn a_damaged_pdf_is_read_or_refused(changes in mutations()) {
        if let Ok(doc) = read_bytes(&mutated(&GOOD_PDF, &changes), Some(SourceKind::Pdf)) {
            assert_spans(&doc);
        }
    }
}
