//! Traditional → simplified Chinese characters, for matching only: what is shown and every span
//! stay as in the source. One character maps to one character, so normalised text keeps a
//! character-for-character map back to the source.

use std::sync::LazyLock;

const FIRST: u32 = 0x4E00;
const LAST: u32 = 0x9FFF;

/// The CJK Unified Ideographs block, indexed directly: every character of every document passes
/// through here, so the lookup must cost no more than an array access.
static TABLE: LazyLock<Box<[char]>> = LazyLock::new(|| {
    let mut table: Vec<char> = (FIRST..=LAST)
        .map(|code| char::from_u32(code).unwrap_or('\u{FFFD}'))
        .collect();
    for line in include_str!("t2s.txt").lines() {
        if line.starts_with('#') {
            continue;
        }
        let mut chars = line.chars();
        if let (Some(traditional), Some(' '), Some(simplified)) =
            (chars.next(), chars.next(), chars.next())
            && let Some(slot) = (traditional as u32)
                .checked_sub(FIRST)
                .and_then(|index| table.get_mut(index as usize))
        {
            *slot = simplified;
        }
    }
    table.into_boxed_slice()
});

/// The simplified form of a character (itself when it has none).
pub fn simplified(c: char) -> char {
    let code = c as u32;
    if (FIRST..=LAST).contains(&code) {
        TABLE[(code - FIRST) as usize]
    } else {
        c
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn traditional_characters_map_to_simplified() {
        let converted: String = "政府資訊公開工作年度報告".chars().map(simplified).collect();
        assert_eq!(converted, "政府资讯公开工作年度报告");
        let unchanged: String = "统计期限ABC１".chars().map(simplified).collect();
        assert_eq!(unchanged, "统计期限ABC１");
    }
}
