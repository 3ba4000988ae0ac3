//! Bytes to text: BOM, then (for HTML) the `<meta>` charset, then strict UTF-8, then GB18030 or
//! Big5 as chardetng (Firefox's encoding detector) guesses.
//!
//! GBK and GB2312 pages are decoded with the GB18030 decoder, which is a superset of both (WHATWG).

use std::sync::LazyLock;

use chardetng::{EncodingDetector, Iso2022JpDetection, Utf8Detection};
use encoding_rs::{BIG5, Encoding, GB18030, GBK, UTF_8, UTF_16BE, UTF_16LE};
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

/// How many bytes are examined for a NUL byte, for a `<meta>` charset and by chardetng.
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
    // Most bytes are valid in both, so chardetng picks; a guess of neither (Shift_JIS, EUC-KR,
    // a single-byte encoding) leaves GB18030, then Big5, whichever decodes.
    let guess = match legacy_guess(bytes) {
        encoding if encoding == GBK => GB18030,
        encoding => encoding,
    };
    let legacy = [guess, GB18030, BIG5]
        .into_iter()
        .filter(|encoding| *encoding == GB18030 || *encoding == BIG5)
        .find_map(|encoding| decode_strict(encoding, bytes));
    if let Some(decoded) = legacy {
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

/// chardetng's guess for bytes that are not UTF-8.
///
/// Measured on 332 cases (the Big5 fixtures as they are; the text fixtures, the decode tests'
/// strings, the seeds and the corpus texts re-encoded to GBK, and to Big5 after conversion to
/// traditional characters; each whole and its first 10, 20, 40 and 120 characters): without a
/// top-level domain chardetng picked right in all of them, where the hand-written scoring it
/// replaces (common prose characters counted in each reading) took 18 short Big5 texts for GBK.
/// With `cn`, which these `.gov.cn` reports would suggest, it read all 167 Big5 cases as GBK, so
/// no domain is given.
///
/// Only the head is examined: chardetng costs about 0.35 ms per kilobyte (release build), sixty
/// times a strict decode, and a few hundred characters already decide.
fn legacy_guess(bytes: &[u8]) -> &'static Encoding {
    let mut detector = EncodingDetector::new(Iso2022JpDetection::Deny);
    let last = bytes.len() <= SNIFF_LEN;
    // Not `last` when cut: a character split at the cut must not count against an encoding.
    detector.feed(&bytes[..bytes.len().min(SNIFF_LEN)], last);
    detector.guess(None, Utf8Detection::Deny)
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

    /// Texts to re-encode: the UTF-8 and Big5 report fixtures, and the seeds and the corpus texts
    /// when `../shared` is beside the repository (real reports, never copied into it).
    fn sample_texts() -> Vec<(String, String)> {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut paths = vec![
            root.join("fixtures/reports/2021-good-big5.html"),
            root.join("fixtures/rules/identity-mismatch/trip-2021-traditional-big5.html"),
        ];
        for dir in [
            root.join("fixtures/reports"),
            root.join("../shared/seeds"),
            root.join("../shared/corpus/text"),
        ] {
            let Ok(entries) = std::fs::read_dir(dir) else {
                continue;
            };
            paths.extend(
                entries
                    .map(|entry| entry.unwrap().path())
                    .filter(|path| path.extension().is_some_and(|e| e == "txt")),
            );
        }
        paths.sort();
        paths.dedup();
        paths
            .into_iter()
            .map(|path| {
                let bytes = std::fs::read(&path).unwrap();
                let text = match String::from_utf8(bytes) {
                    Ok(text) => text,
                    Err(error) => BIG5.decode(error.as_bytes()).0.into_owned(),
                };
                (path.display().to_string(), text)
            })
            .collect()
    }

    /// The characters of `text` that `encoding` has, encoded.
    fn encode_what_fits(encoding: &'static Encoding, text: &str) -> (String, Vec<u8>) {
        let mut kept = String::new();
        let mut bytes = Vec::new();
        let mut buffer = [0; 4];
        for c in text.chars() {
            let (encoded, _, unmappable) = encoding.encode(c.encode_utf8(&mut buffer));
            if !unmappable {
                kept.push(c);
                bytes.extend_from_slice(&encoded);
            }
        }
        (kept, bytes)
    }

    #[test]
    fn texts_re_encoded_to_gbk_and_big5_are_told_apart() {
        // Simplified → traditional, inverting the matching table (first Big5 form of each).
        let mut traditional = std::collections::HashMap::new();
        for c in ('\u{4E00}'..='\u{9FFF}').rev() {
            let simplified = crate::text::fold_char(c).unwrap_or(c);
            if simplified != c && !BIG5.encode(c.encode_utf8(&mut [0; 4])).2 {
                traditional.insert(simplified, c);
            }
        }
        let mut cases = 0;
        for (name, text) in sample_texts() {
            let chinese: String = text.chars().skip_while(char::is_ascii).collect();
            let traditional: String = text
                .chars()
                .map(|c| traditional.get(&c).copied().unwrap_or(c))
                .collect();
            let heads = [20, usize::MAX].map(|n| {
                (
                    chinese.chars().take(n).collect::<String>(),
                    traditional
                        .chars()
                        .skip_while(char::is_ascii)
                        .take(n)
                        .collect::<String>(),
                )
            });
            for (simplified, traditional) in heads {
                for (source, encoding, expected) in [
                    (&simplified, GB18030, "gb18030"),
                    (&traditional, GB18030, "gb18030"),
                    (&traditional, BIG5, "Big5"),
                ] {
                    let (kept, bytes) = encode_what_fits(encoding, source);
                    if std::str::from_utf8(&bytes).is_ok() {
                        continue;
                    }
                    let decoded = decode(&bytes, false).unwrap();
                    assert!(
                        decoded.encoding == expected && decoded.text == kept,
                        "{name} in {} read as {}: {}",
                        encoding.name(),
                        decoded.encoding,
                        kept.chars().take(40).collect::<String>()
                    );
                    cases += 1;
                }
            }
        }
        assert!(cases >= 30, "only {cases} cases");
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
