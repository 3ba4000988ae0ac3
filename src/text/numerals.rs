//! Numbers as prose writes them: Arabic digits with thousands separators and decimals (`1,260`,
//! `3.06`), and Chinese numerals (`一百二十三`, `两`, `三千零五`, `二〇二一` is not one: a run of bare
//! digit characters without a unit character is read digit by digit only when it has no 十/百/千).

/// A number read from text.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Numeral {
    /// Its value.
    pub value: f64,
    /// The whole number it is, when it has no fractional part written.
    pub integer: Option<i64>,
    /// Digits written after the decimal point (for comparisons at the precision written).
    pub decimals: u8,
}

/// Reads Arabic digits at the start of `s` (ASCII, as folded text has them): `1234`, `1,234`,
/// `12.5`. Returns the number and the bytes it took. Separators must group by three; a comma not
/// followed by three digits ends the number (it is the text's comma).
pub fn arabic_prefix(s: &str) -> Option<(Numeral, usize)> {
    let bytes = s.as_bytes();
    let mut end = 0;
    let mut digits = String::new();
    while end < bytes.len() && bytes[end].is_ascii_digit() {
        digits.push(char::from(bytes[end]));
        end += 1;
    }
    if digits.is_empty() {
        return None;
    }
    // Thousands separators: `,ddd` groups after a first group of one to three digits.
    if digits.len() <= 3 {
        while end + 3 < bytes.len()
            && bytes[end] == b','
            && bytes[end + 1..end + 4].iter().all(u8::is_ascii_digit)
            && bytes.get(end + 4).is_none_or(|b| !b.is_ascii_digit())
        {
            digits.extend(bytes[end + 1..end + 4].iter().map(|&b| char::from(b)));
            end += 4;
        }
    }
    let mut decimals = 0u8;
    if end + 1 < bytes.len() && bytes[end] == b'.' && bytes[end + 1].is_ascii_digit() {
        digits.push('.');
        end += 1;
        while end < bytes.len() && bytes[end].is_ascii_digit() {
            digits.push(char::from(bytes[end]));
            end += 1;
            decimals = decimals.saturating_add(1);
        }
    }
    let value: f64 = digits.parse().ok()?;
    let integer = if decimals == 0 {
        digits.parse::<i64>().ok()
    } else {
        None
    };
    Some((
        Numeral {
            value,
            integer,
            decimals,
        },
        end,
    ))
}

fn digit(c: char) -> Option<i64> {
    Some(match c {
        '零' | '〇' => 0,
        '一' => 1,
        '二' | '两' => 2,
        '三' => 3,
        '四' => 4,
        '五' => 5,
        '六' => 6,
        '七' => 7,
        '八' => 8,
        '九' => 9,
        _ => return None,
    })
}

fn multiplier(c: char) -> Option<i64> {
    Some(match c {
        '十' => 10,
        '百' => 100,
        '千' => 1_000,
        '万' => 10_000,
        _ => return None,
    })
}

/// Whether a character can be part of a Chinese numeral.
pub fn is_chinese_numeral_char(c: char) -> bool {
    digit(c).is_some() || multiplier(c).is_some()
}

/// The value of a whole Chinese numeral (`一百二十三` → 123, `十五` → 15, `两` → 2, `三千零五` →
/// 3005, `一万二千` → 12000). `None` for anything that is not one well-formed numeral.
pub fn chinese(s: &str) -> Option<i64> {
    if s.is_empty() {
        return None;
    }
    let mut total: i64 = 0;
    let mut section: i64 = 0;
    let mut pending: Option<i64> = None;
    let mut last_multiplier = i64::MAX;
    for c in s.chars() {
        if let Some(d) = digit(c) {
            if pending.is_some() && d != 0 {
                // Two digits in a row (`二二`) is not a numeral in prose.
                return None;
            }
            pending = if d == 0 { None } else { Some(d) };
            continue;
        }
        let m = multiplier(c)?;
        if m == 10_000 {
            section += pending.take().unwrap_or(0);
            if section == 0 {
                return None;
            }
            total += section * m;
            section = 0;
            last_multiplier = i64::MAX;
            continue;
        }
        if m >= last_multiplier {
            return None;
        }
        last_multiplier = m;
        // `十五` starts with a bare 十 (one ten); anywhere else a multiplier needs its digit.
        let count = match pending.take() {
            Some(d) => d,
            None if m == 10 && section == 0 && total == 0 => 1,
            None => return None,
        };
        section += count * m;
    }
    Some(total + section + pending.unwrap_or(0))
}

/// Reads the longest Chinese numeral at the start of `s`; returns its value and the bytes taken.
pub fn chinese_prefix(s: &str) -> Option<(Numeral, usize)> {
    let end = s
        .char_indices()
        .find(|(_, c)| !is_chinese_numeral_char(*c))
        .map_or(s.len(), |(at, _)| at);
    // Shorten from the right until what is left reads as one numeral (`三十五万` in `三十五万元`
    // is fine; `一二` is not).
    let mut cut = end;
    while cut > 0 {
        if let Some(value) = chinese(&s[..cut]) {
            return Some((
                Numeral {
                    value: value as f64,
                    integer: Some(value),
                    decimals: 0,
                },
                cut,
            ));
        }
        cut = s[..cut].char_indices().last().map_or(0, |(at, _)| at);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_numerals() {
        assert_eq!(chinese("一百二十三"), Some(123));
        assert_eq!(chinese("十五"), Some(15));
        assert_eq!(chinese("两"), Some(2));
        assert_eq!(chinese("三千零五"), Some(3005));
        assert_eq!(chinese("一万二千"), Some(12_000));
        assert_eq!(chinese("二十"), Some(20));
        assert_eq!(chinese("一二"), None);
        assert_eq!(chinese("百十"), None);
        assert_eq!(chinese(""), None);
    }

    #[test]
    fn arabic_numbers_with_separators_and_decimals() {
        let read = |s: &str| arabic_prefix(s).map(|(n, len)| (n.value, n.integer, n.decimals, len));
        assert_eq!(read("1,260件"), Some((1260.0, Some(1260), 0, 5)));
        assert_eq!(read("12,34件"), Some((12.0, Some(12), 0, 2)));
        assert_eq!(read("46.15%"), Some((46.15, None, 2, 5)));
        assert_eq!(read("65,其中"), Some((65.0, Some(65), 0, 2)));
        assert_eq!(read("件"), None);
    }

    #[test]
    fn the_longest_numeral_that_reads() {
        assert_eq!(
            chinese_prefix("一百二十三件").map(|(n, l)| (n.integer, l)),
            Some((Some(123), 15))
        );
        assert_eq!(
            chinese_prefix("两件").map(|(n, l)| (n.integer, l)),
            Some((Some(2), 3))
        );
    }
}
