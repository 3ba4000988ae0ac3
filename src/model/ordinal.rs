//! Leading ordinals of headings and table labels: `一、`, `（三）`, `1.`.

/// The leading ordinal of a label: `一、`, `（三）`, `1.`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ordinal {
    /// `一、`
    Top(u32),
    /// `（一）`
    Paren(u32),
    /// `1.` or `1、`
    Digit(u32),
}

/// Parses a Chinese numeral from 一 to 九十九.
pub fn chinese_numeral(s: &str) -> Option<u32> {
    let digit = |c: char| "零一二三四五六七八九".chars().position(|d| d == c);
    let chars: Vec<char> = s.chars().collect();
    let value = match chars.as_slice() {
        [c] if *c == '十' => 10,
        [c] => u32::try_from(digit(*c)?).ok()?,
        ['十', c] => 10 + u32::try_from(digit(*c)?).ok()?,
        [c, '十'] => 10 * u32::try_from(digit(*c)?).ok()?,
        [a, '十', b] => 10 * u32::try_from(digit(*a)?).ok()? + u32::try_from(digit(*b)?).ok()?,
        _ => return None,
    };
    (value > 0).then_some(value)
}

/// Writes a number from 1 to 99 as a Chinese numeral (`12` → `十二`); other numbers in digits.
pub fn to_chinese(n: u32) -> String {
    const DIGITS: [char; 10] = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'];
    let digit = |d: u32| DIGITS[usize::try_from(d).unwrap_or(0).min(9)];
    match n {
        1..=9 => digit(n).to_string(),
        10 => "十".to_owned(),
        11..=19 => format!("十{}", digit(n - 10)),
        20..=99 if n.is_multiple_of(10) => format!("{}十", digit(n / 10)),
        20..=99 => format!("{}十{}", digit(n / 10), digit(n % 10)),
        _ => n.to_string(),
    }
}

/// Splits a normalised label into its leading ordinal and the rest.
pub fn split_ordinal(folded: &str) -> (Option<Ordinal>, &str) {
    let numeral_end = |s: &str| {
        s.char_indices()
            .find(|&(_, c)| !"一二三四五六七八九十".contains(c))
            .map_or(s.len(), |(i, _)| i)
    };
    if let Some(rest) = folded.strip_prefix('(') {
        let end = numeral_end(rest);
        if end > 0
            && let Some(after) = rest[end..].strip_prefix(')')
            && let Some(n) = chinese_numeral(&rest[..end])
        {
            return (Some(Ordinal::Paren(n)), after);
        }
        let digits = rest.chars().take_while(char::is_ascii_digit).count();
        if digits > 0
            && let Some(after) = rest[digits..].strip_prefix(')')
            && let Ok(n) = rest[..digits].parse()
        {
            return (Some(Ordinal::Digit(n)), after);
        }
        return (None, folded);
    }
    let end = numeral_end(folded);
    if end > 0
        && let Some(after) = folded[end..].strip_prefix(['、', '.'])
        && let Some(n) = chinese_numeral(&folded[..end])
    {
        return (Some(Ordinal::Top(n)), after);
    }
    let digits = folded.chars().take_while(char::is_ascii_digit).count();
    if (1..=2).contains(&digits)
        && let Some(after) = folded[digits..].strip_prefix(['、', '.'])
        && !after.starts_with(|c: char| c.is_ascii_digit())
        && let Ok(n) = folded[..digits].parse()
    {
        return (Some(Ordinal::Digit(n)), after);
    }
    (None, folded)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_written_in_chinese_read_back() {
        for n in 1..100 {
            assert_eq!(chinese_numeral(&to_chinese(n)), Some(n), "{n}");
        }
        assert_eq!(to_chinese(6), "六");
        assert_eq!(to_chinese(21), "二十一");
    }

    #[test]
    fn numerals() {
        assert_eq!(chinese_numeral("一"), Some(1));
        assert_eq!(chinese_numeral("十"), Some(10));
        assert_eq!(chinese_numeral("十二"), Some(12));
        assert_eq!(chinese_numeral("二十三"), Some(23));
        assert_eq!(chinese_numeral("零"), None);
        assert_eq!(chinese_numeral("总"), None);
    }

    #[test]
    fn ordinals() {
        assert_eq!(
            split_ordinal("一、总体情况"),
            (Some(Ordinal::Top(1)), "总体情况")
        );
        assert_eq!(split_ordinal("(七)总计"), (Some(Ordinal::Paren(7)), "总计"));
        assert_eq!(split_ordinal("3.其他"), (Some(Ordinal::Digit(3)), "其他"));
        assert_eq!(split_ordinal("(2)加强"), (Some(Ordinal::Digit(2)), "加强"));
        assert_eq!(split_ordinal("1.5万条"), (None, "1.5万条"));
        assert_eq!(split_ordinal("总计"), (None, "总计"));
    }
}
