//! Positions in a document's canonical text, and the normalisation used when matching words.
//!
//! Matching never changes the text that is shown: [`Folded`] keeps, for every character of the
//! normalised text, the byte range it came from, so a regex match on the normalised form maps back
//! to an exact span of the original.

mod locate;
pub mod numerals;
mod t2s;

pub use locate::{Locator, Span};

use std::ops::Range;

/// A byte range into a document's canonical text. Both ends lie on `char` boundaries.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TextRange {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
}

impl TextRange {
    /// A range from `start` to `end` (byte offsets).
    pub fn new(start: usize, end: usize) -> Self {
        debug_assert!(start <= end, "inverted range {start}..{end}");
        Self { start, end }
    }

    /// The empty range at `offset`.
    pub fn empty(offset: usize) -> Self {
        Self::new(offset, offset)
    }

    /// Length in bytes.
    pub fn len(self) -> usize {
        self.end - self.start
    }

    /// True when the range holds no bytes.
    pub fn is_empty(self) -> bool {
        self.start == self.end
    }

    /// The smallest range covering both.
    pub fn cover(self, other: Self) -> Self {
        Self::new(self.start.min(other.start), self.end.max(other.end))
    }

    /// As a `std` range, for slicing.
    pub fn range(self) -> Range<usize> {
        self.start..self.end
    }

    /// The text this range covers (empty if it does not fit `text`).
    pub fn slice(self, text: &str) -> &str {
        text.get(self.range()).unwrap_or("")
    }
}

/// Line starts of a text, for turning byte offsets into 1-based line and column numbers.
#[derive(Clone, Debug)]
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    /// Indexes the line starts of `text`.
    pub fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        Self { starts }
    }

    /// The byte offset where each line starts.
    pub fn starts(&self) -> &[usize] {
        &self.starts
    }

    /// 1-based (line, column) of a byte offset; columns count `char`s, as codespan does.
    pub fn position(&self, text: &str, offset: usize) -> (usize, usize) {
        let offset = offset.min(text.len());
        let line = self.starts.partition_point(|&start| start <= offset) - 1;
        let start = self.starts[line];
        let column = text.get(start..offset).map_or(0, |s| s.chars().count());
        (line + 1, column + 1)
    }
}

/// The matching form of one character, or `None` when it is dropped (whitespace, zero-width
/// characters). Full-width ASCII becomes ASCII; the many CJK quotes and brackets become one form;
/// traditional characters become simplified (big5 gateway copies).
pub fn fold_char(c: char) -> Option<char> {
    match c {
        c if c.is_whitespace() => None,
        '\u{200B}'..='\u{200D}' | '\u{FEFF}' => None,
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0),
        '“' | '”' | '„' | '‟' | '「' | '」' | '『' | '』' | '″' => Some('"'),
        '‘' | '’' | '′' => Some('\''),
        '〔' | '【' | '〖' => Some('['),
        '〕' | '】' | '〗' => Some(']'),
        '〈' => Some('<'),
        '〉' => Some('>'),
        '–' | '‐' | '‑' | '−' => Some('-'),
        '―' | '─' => Some('—'),
        c => Some(t2s::simplified(c)),
    }
}

/// Whole-word artefacts of traditional-character conversion, mapped char for char: gateways turn
/// 文件 into 檔案 (`規範性檔案`).
const ALIASES: &[([char; 2], [char; 2])] = &[(['檔', '案'], ['文', '件'])];

/// Calls `emit(byte offset, source char, folded char)` for each char of `s` that survives folding;
/// whitespace runs become one `' '` when `keep_spaces`.
fn fold_each(s: &str, keep_spaces: bool, mut emit: impl FnMut(usize, char, char)) {
    let mut chars = s.char_indices().peekable();
    let mut alias_tail: Option<char> = None;
    let mut in_space = false;
    while let Some((offset, c)) = chars.next() {
        if let Some(tail) = alias_tail.take() {
            emit(offset, c, tail);
            in_space = false;
            continue;
        }
        if let Some(&(_, next)) = chars.peek()
            && let Some((_, to)) = ALIASES
                .iter()
                .find(|(from, _)| from[0] == c && from[1] == next)
        {
            emit(offset, c, to[0]);
            alias_tail = Some(to[1]);
            in_space = false;
            continue;
        }
        match fold_char(c) {
            Some(folded) => {
                emit(offset, c, folded);
                in_space = false;
            }
            None if keep_spaces && c.is_whitespace() && !in_space => {
                emit(offset, c, ' ');
                in_space = true;
            }
            None => {}
        }
    }
}

/// The candidate nearest to `word` (Levenshtein distance, in characters), if it is close enough
/// to be a typo of it: for "did you mean …?" in error messages. The first of equals wins.
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|candidate| (strsim::levenshtein(word, candidate), candidate))
        .filter(|(distance, candidate)| *distance <= candidate.chars().count() / 3 + 1)
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, candidate)| candidate)
}

/// The matching form of a string (see [`fold_char`]).
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    fold_each(s, false, |_, _, folded| out.push(folded));
    out
}

/// Normalised text with a map back to the source it was made from.
#[derive(Clone, Debug)]
pub struct Folded {
    text: String,
    /// For each char of `text`: its byte offset in `text`, and the source char it came from (its
    /// offset, and its length in bytes). Kept compact (9 bytes a char, not 24): the whole text of
    /// a document is folded, and a 30 MB text has ten million chars.
    at: Vec<u32>,
    source: Vec<u32>,
    source_len: Vec<u8>,
}

/// An offset as stored in a [`Folded`] map: texts are bounded far below 4 GiB (the readers' limits
/// are tens of megabytes).
fn compact(offset: usize) -> u32 {
    u32::try_from(offset).unwrap_or(u32::MAX)
}

impl Folded {
    /// Folds `source`, whose first byte sits at `base` in the canonical text.
    pub fn new(source: &str, base: usize) -> Self {
        Self::build(source, base, false)
    }

    /// Like [`Folded::new`], but each run of whitespace becomes one space: for text in which
    /// spaces still mean something (the boundaries between run-together table cells).
    pub fn with_spaces(source: &str, base: usize) -> Self {
        Self::build(source, base, true)
    }

    fn build(source: &str, base: usize, keep_spaces: bool) -> Self {
        let mut text = String::with_capacity(source.len());
        let mut at = Vec::with_capacity(source.len() / 2);
        let mut from = Vec::with_capacity(source.len() / 2);
        let mut source_len = Vec::with_capacity(source.len() / 2);
        fold_each(source, keep_spaces, |offset, c, folded| {
            at.push(compact(text.len()));
            from.push(compact(base + offset));
            source_len.push(u8::try_from(c.len_utf8()).unwrap_or(4));
            text.push(folded);
        });
        Self {
            text,
            at,
            source: from,
            source_len,
        }
    }

    /// The normalised text.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The source range of the char at `index` of the map.
    fn source_char(&self, index: usize) -> TextRange {
        let start = self.source[index] as usize;
        TextRange::new(start, start + usize::from(self.source_len[index]))
    }

    /// The source range covered by a byte range of the normalised text.
    pub fn source_range(&self, folded: Range<usize>) -> TextRange {
        if self.at.is_empty() {
            return TextRange::default();
        }
        let first = self.at.partition_point(|&at| (at as usize) < folded.start);
        let first = first.min(self.at.len() - 1);
        let end = if folded.end <= folded.start {
            first
        } else {
            let last = self.at.partition_point(|&at| (at as usize) < folded.end);
            last.saturating_sub(1).max(first)
        };
        self.source_char(first).cover(self.source_char(end))
    }

    /// The byte range of the normalised text made from a source range.
    pub fn folded_range(&self, source: TextRange) -> Range<usize> {
        let first = self
            .source
            .partition_point(|&start| (start as usize) < source.start);
        let last = self
            .source
            .partition_point(|&start| (start as usize) < source.end);
        let at = |index: usize| {
            self.at
                .get(index)
                .map_or(self.text.len(), |&at| at as usize)
        };
        at(first)..at(last)
    }
}

/// Trims Unicode whitespace (including U+3000 and U+00A0) from both ends of `range` in `text`.
pub fn trim_range(text: &str, range: TextRange) -> TextRange {
    let slice = range.slice(text);
    let leading = slice.len() - slice.trim_start().len();
    let trimmed = slice.trim();
    TextRange::new(range.start + leading, range.start + leading + trimmed.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_and_column_count_chars() {
        let text = "第一行\n第二行abc\n";
        let index = LineIndex::new(text);
        let offset = text.find('a').unwrap();
        assert_eq!(index.position(text, offset), (2, 4));
        assert_eq!(index.position(text, 0), (1, 1));
        assert_eq!(index.position(text, text.len()), (3, 1));
    }

    #[test]
    fn fold_normalises_width_brackets_and_spaces() {
        assert_eq!(fold("（一） 予以公开"), "(一)予以公开");
        assert_eq!(fold("国办公开办函〔2021〕30号"), "国办公开办函[2021]30号");
        assert_eq!(fold("“三安全一稳定”"), "\"三安全一稳定\"");
        assert_eq!(fold("２０２０年\u{a0}1 月"), "2020年1月");
    }

    #[test]
    fn traditional_copies_match_simplified_words() {
        assert_eq!(fold("政府資訊公開工作年度報告"), "政府资讯公开工作年度报告");
        assert_eq!(fold("規範性檔案"), "规范性文件");
        assert_eq!(fold("档案馆"), "档案馆");
        let folded = Folded::new("行政規範性檔案", 0);
        assert_eq!(folded.as_str(), "行政规范性文件");
        assert_eq!(
            folded.source_range(0..folded.as_str().len()).len(),
            "行政規範性檔案".len()
        );
    }

    #[test]
    fn spaces_can_be_kept_as_boundaries() {
        let folded = Folded::with_spaces("230 000023\u{3000}　5", 0);
        assert_eq!(folded.as_str(), "230 000023 5");
    }

    #[test]
    fn folded_maps_back_to_source() {
        let source = "统计期限为 2020 年1月1日";
        let folded = Folded::new(source, 10);
        let at = folded.as_str().find("2020").unwrap();
        let range = folded.source_range(at..at + 4);
        assert_eq!(&source[range.start - 10..range.end - 10], "2020");
        let whole = folded.source_range(0..folded.as_str().len());
        assert_eq!(whole, TextRange::new(10, 10 + source.len()));
    }

    #[test]
    fn folded_range_is_the_inverse_of_source_range() {
        let source = "一、 总体情况\n（一）主动公开";
        let folded = Folded::new(source, 0);
        let second_line = TextRange::new(source.find('（').unwrap(), source.len());
        let range = folded.folded_range(second_line);
        assert_eq!(&folded.as_str()[range.clone()], "(一)主动公开");
        assert_eq!(folded.source_range(range), second_line);
    }

    #[test]
    fn trim_range_handles_ideographic_space() {
        let text = "　　一、总体情况\u{a0} ";
        let range = trim_range(text, TextRange::new(0, text.len()));
        assert_eq!(range.slice(text), "一、总体情况");
    }
}
