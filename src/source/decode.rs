//! Bytes to text: BOM, then (for HTML) the `<meta>` charset, then strict UTF-8, then GB18030 or
//! Big5, whichever reads as Chinese prose.
//!
//! GBK and GB2312 pages are decoded with the GB18030 decoder, which is a superset of both (WHATWG).

use std::sync::LazyLock;

use encoding_rs::{BIG5, Encoding, GB18030, UTF_8, UTF_16BE, UTF_16LE};
use regex::bytes::Regex;

use super::ReadError;

/// Decoded text and how it was decoded.
#[derive(Debug)]
pub struct Decoded {
    /// The text, without a BOM.
    pub text: String,
    /// The encoding's WHATWG name (`UTF-8`, `gb18030`, …).
    pub encoding: &'static str,
    /// How many malformed byte sequences were replaced by U+FFFD (tolerated only when very few).
    pub replaced: usize,
}

/// File signatures of formats that are not text, with the name shown to the user.
const SIGNATURES: &[(&[u8], &str)] = &[
    (b"%PDF-", "PDF"),
    (b"PK\x03\x04", "ZIP（可能是 .docx 或 .xlsx）"),
    (
        b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1",
        "OLE 复合文档（可能是 .doc 或 .xls）",
    ),
    (b"\x89PNG", "PNG 图片"),
    (b"\xFF\xD8\xFF", "JPEG 图片"),
    (b"GIF8", "GIF 图片"),
    (b"\x7FELF", "可执行文件"),
];

static META_CHARSET: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?i-u)<meta[^>]*?charset\s*=\s*["']?\s*([a-z0-9_:.\-]+)"#)
        .expect("meta charset pattern is valid")
});

/// How many bytes are examined for a NUL byte and for a `<meta>` charset.
const SNIFF_LEN: usize = 8192;

/// Decodes a file's bytes. `is_html` enables the `<meta charset>` prescan.
pub fn decode(bytes: &[u8], is_html: bool) -> Result<Decoded, ReadError> {
    if let Some((encoding, bom_len)) = Encoding::for_bom(bytes) {
        return decode_strict(encoding, &bytes[bom_len..]).ok_or(ReadError::Undecodable {
            encoding: encoding.name(),
        });
    }
    let head = &bytes[..bytes.len().min(SNIFF_LEN)];
    if let Some((_, kind)) = SIGNATURES.iter().find(|(sig, _)| bytes.starts_with(sig)) {
        return Err(ReadError::Binary {
            detail: format!("这是{kind}文件"),
        });
    }
    if head.contains(&0) {
        return Err(ReadError::Binary {
            detail: "含有 NUL 字节".to_owned(),
        });
    }
    if is_html
        && let Some(encoding) = declared_charset(head)
        && let Some(decoded) = decode_strict(encoding, bytes)
    {
        return Ok(decoded);
    }
    if let Some(decoded) = decode_strict(UTF_8, bytes) {
        return check_text(decoded);
    }
    // Legacy Chinese text: GB18030 (mainland; a superset of GBK) or Big5 (traditional gateways).
    // Most bytes are valid in both, so the reading that looks like Chinese prose wins.
    let best = [GB18030, BIG5]
        .into_iter()
        .filter_map(|encoding| decode_strict(encoding, bytes))
        .max_by_key(|decoded| {
            (
                prose_score(&decoded.text),
                decoded.encoding == GB18030.name(),
            )
        });
    if let Some(decoded) = best {
        return check_text(decoded);
    }
    // A handful of damaged sequences in an otherwise readable file is tolerated (and reported);
    // anything more means the bytes are in none of these encodings.
    let (text, replaced, encoding) = [UTF_8, GB18030, BIG5]
        .into_iter()
        .map(|encoding| {
            let (text, _) = encoding.decode_without_bom_handling(bytes);
            let replaced = text.matches('\u{FFFD}').count();
            (text.into_owned(), replaced, encoding)
        })
        .min_by_key(|(_, replaced, _)| *replaced)
        .ok_or(ReadError::Undecodable { encoding: "UTF-8" })?;
    if replaced <= 16 && replaced * 1000 <= bytes.len() {
        return check_text(Decoded {
            text,
            encoding: encoding.name(),
            replaced,
        });
    }
    Err(ReadError::Undecodable {
        encoding: "UTF-8、GB18030 或 Big5",
    })
}

/// Characters that fill any Chinese report, in both simplified and traditional forms: Chinese
/// punctuation and the commonest words of these reports. Text decoded with the wrong legacy
/// encoding is a scatter of rare characters and holds few of them.
const TELLTALE: &str =
    "，。、；：（）“”《》的一二三四五六年月日政府信息公开開报報告申请請情况況工作本和在";

/// How many of the first characters of `text` are telltale ones.
fn prose_score(text: &str) -> usize {
    text.chars()
        .take(SNIFF_LEN)
        .filter(|c| TELLTALE.contains(*c))
        .count()
}

/// The encoding named by a `<meta charset>` or `http-equiv` in the head of a page. UTF-16 labels are
/// ignored, as browsers do: a page that really is UTF-16 starts with a BOM.
fn declared_charset(head: &[u8]) -> Option<&'static Encoding> {
    let caps = META_CHARSET.captures(head)?;
    let encoding = Encoding::for_label(caps.get(1)?.as_bytes())?;
    (encoding != UTF_16LE && encoding != UTF_16BE).then_some(encoding)
}

fn decode_strict(encoding: &'static Encoding, bytes: &[u8]) -> Option<Decoded> {
    let text = encoding.decode_without_bom_handling_and_without_replacement(bytes)?;
    Some(Decoded {
        text: text.into_owned(),
        encoding: encoding.name(),
        replaced: 0,
    })
}

/// Rejects decoded text that is mostly control characters (a binary file that happened to decode).
fn check_text(decoded: Decoded) -> Result<Decoded, ReadError> {
    let sample: Vec<char> = decoded.text.chars().take(SNIFF_LEN).collect();
    let controls = sample
        .iter()
        .filter(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t' | '\u{c}'))
        .count();
    if controls * 100 > sample.len().max(1) {
        return Err(ReadError::Binary {
            detail: "含有大量控制字符".to_owned(),
        });
    }
    Ok(decoded)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_with_and_without_bom() {
        let plain = decode("统计期限".as_bytes(), false).unwrap();
        assert_eq!(plain.text, "统计期限");
        assert_eq!(plain.encoding, "UTF-8");
        let with_bom = decode(b"\xEF\xBB\xBFabc", false).unwrap();
        assert_eq!(with_bom.text, "abc");
    }

    #[test]
    fn gbk_is_detected() {
        let (bytes, _, _) = GB18030.encode("驻马店市人民政府2020年政府信息公开年度报告");
        let decoded = decode(&bytes, false).unwrap();
        assert_eq!(decoded.text, "驻马店市人民政府2020年政府信息公开年度报告");
        assert_eq!(decoded.encoding, "gb18030");
    }

    #[test]
    fn big5_text_is_told_from_gbk() {
        let traditional = "青禾縣人民政府2021年政府信息公開工作年度報告\n一、總體情況\n本報告中所列數據的統計期限自2021年1月1日起至2021年12月31日止。";
        let (bytes, _, unmappable) = BIG5.encode(traditional);
        assert!(!unmappable);
        let decoded = decode(&bytes, false).unwrap();
        assert_eq!(decoded.encoding, "Big5");
        assert_eq!(decoded.text, traditional);
        // The same words in simplified characters and GBK stay GBK.
        let simplified = "青禾县人民政府2021年政府信息公开工作年度报告\n一、总体情况\n本报告中所列数据的统计期限自2021年1月1日起至2021年12月31日止。";
        let (bytes, _, _) = GB18030.encode(simplified);
        let decoded = decode(&bytes, false).unwrap();
        assert_eq!(decoded.encoding, "gb18030");
        assert_eq!(decoded.text, simplified);
    }

    #[test]
    fn html_meta_charset_wins() {
        let html = "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=gb2312\"></head><body>总体情况</body></html>";
        let (bytes, _, _) = GB18030.encode(html);
        let decoded = decode(&bytes, true).unwrap();
        assert_eq!(decoded.encoding, "GBK");
        assert!(decoded.text.contains("总体情况"));
    }

    #[test]
    fn binary_and_garbage_are_rejected() {
        assert!(matches!(
            decode(b"\x89PNG\r\n...", false),
            Err(ReadError::Binary { .. })
        ));
        assert!(matches!(
            decode(b"abc\0def", false),
            Err(ReadError::Binary { .. })
        ));
        let garbage: Vec<u8> = (0..400u32)
            .map(|i| [0x80u8, 0xFF][i as usize % 2])
            .collect();
        assert!(matches!(
            decode(&garbage, false),
            Err(ReadError::Undecodable { .. })
        ));
    }

    #[test]
    fn a_few_damaged_bytes_are_tolerated() {
        let mut bytes = "本报告中所列数据的统计期限".repeat(200).into_bytes();
        bytes.push(0xFF);
        let decoded = decode(&bytes, false).unwrap();
        assert_eq!(decoded.replaced, 1);
    }
}
