//! Property tests: no input makes a reader, the table builder, the model or the rules panic, and
//! every span a reader produces lies on character boundaries inside the canonical text.
#![allow(
    clippy::unwrap_used,
    reason = "test code: a failed unwrap is a failed test"
)]

use proptest::prelude::*;
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
