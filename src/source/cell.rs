//! What a table cell holds: a number, nothing, a "not applicable" placeholder, or text.

use std::sync::LazyLock;

use regex::Regex;

use super::run_on::FigureRun;
use crate::text::fold;

/// A number as written in a cell.
#[derive(Clone, Debug, PartialEq)]
pub struct Number {
    /// The value, when it is a whole number that fits in `i64`.
    pub integer: Option<i64>,
    /// The value as a float (for decimal amounts such as `179092.2001`).
    pub value: f64,
    /// The unit written after the digits (`件`, `万元`), if any.
    pub unit: Option<String>,
}

impl Number {
    /// The value when it is a whole number of zero or more.
    pub fn non_negative_integer(&self) -> Option<i64> {
        self.integer.filter(|&n| n >= 0)
    }
}

/// The classification of one cell's text.
#[derive(Clone, Debug, PartialEq)]
pub enum CellContent {
    /// Nothing but whitespace.
    Blank,
    /// A number.
    Number(Number),
    /// A placeholder for "no figure": `/`, `-`, `—`, `无`, `不适用`.
    Placeholder(String),
    /// Anything else.
    Text(String),
    /// Figures that ran together in a copy of the report: which cells they are is known only from
    /// the row's arithmetic ([`FigureRun::read`]).
    Run(FigureRun),
}

impl CellContent {
    /// True for a number or a placeholder: what a value cell of a table holds.
    pub fn is_value_like(&self) -> bool {
        matches!(self, Self::Number(_) | Self::Placeholder(_) | Self::Run(_))
    }
}

const PLACEHOLDERS: &[&str] = &[
    "/",
    "//",
    "\\",
    "-",
    "--",
    "---",
    "—",
    "——",
    "无",
    "不适用",
    "暂无",
    "N/A",
    "n/a",
    "NA",
    "×",
];

static NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?P<sign>[+-])?(?P<int>[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.(?P<frac>[0-9]+))?(?P<unit>件|个|条|项|部|次|人次|元|万元|亿元)?$",
    )
    .expect("number pattern is valid")
});

/// Classifies the text of a cell. Full-width digits and separators are accepted; the source text
/// is not changed.
pub fn classify(text: &str) -> CellContent {
    let trimmed =
        text.trim_matches(|c: char| c.is_whitespace() || c == '\u{200B}' || c == '\u{FEFF}');
    if trimmed.is_empty() {
        return CellContent::Blank;
    }
    // Figures separated by spaces are several cells, never one number: "1 0" is not 10.
    if trimmed.contains(char::is_whitespace) {
        return CellContent::Text(trimmed.to_owned());
    }
    // Most cells of a page are labels: settle them without folding or running the pattern.
    let starts_like_number = trimmed
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_digit() || ('０'..='９').contains(&c) || "+-＋－".contains(c));
    if !starts_like_number && trimmed.chars().nth(3).is_some() {
        return CellContent::Text(trimmed.to_owned());
    }
    let folded = fold(trimmed);
    if PLACEHOLDERS.contains(&folded.as_str()) {
        return CellContent::Placeholder(folded);
    }
    if let Some(number) = parse_number(&folded) {
        return CellContent::Number(number);
    }
    CellContent::Text(trimmed.to_owned())
}

fn parse_number(folded: &str) -> Option<Number> {
    // Most figures are plain counts (`0`, `12`): read them without the pattern.
    if (1..=18).contains(&folded.len()) && folded.bytes().all(|b| b.is_ascii_digit()) {
        let integer: i64 = folded.parse().ok()?;
        return Some(Number {
            integer: Some(integer),
            // Rounded as parsing the digits as f64 rounds them.
            value: integer as f64,
            unit: None,
        });
    }
    let caps = NUMBER.captures(folded)?;
    let negative = caps.name("sign").is_some_and(|m| m.as_str() == "-");
    let digits: String = caps["int"].chars().filter(char::is_ascii_digit).collect();
    let frac = caps.name("frac").map(|m| m.as_str());
    let text = match frac {
        Some(frac) => format!("{digits}.{frac}"),
        None => digits.clone(),
    };
    let magnitude: f64 = text.parse().ok()?;
    let value = if negative { -magnitude } else { magnitude };
    let integer = if frac.is_some_and(|f| f.chars().any(|c| c != '0')) {
        None
    } else {
        digits
            .parse::<i64>()
            .ok()
            .map(|n| if negative { -n } else { n })
    };
    Some(Number {
        integer,
        value,
        unit: caps.name("unit").map(|m| m.as_str().to_owned()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn integer(text: &str) -> Option<i64> {
        match classify(text) {
            CellContent::Number(n) => n.integer,
            _ => None,
        }
    }

    #[test]
    fn numbers_in_their_written_forms() {
        assert_eq!(integer("372"), Some(372));
        assert_eq!(integer("\u{a0}93"), Some(93));
        assert_eq!(integer("３８"), Some(38));
        assert_eq!(integer("-58"), Some(-58));
        assert_eq!(integer("+1036"), Some(1036));
        assert_eq!(integer("3,985,758"), Some(3_985_758));
        assert_eq!(integer("12件"), Some(12));
        assert_eq!(integer("179092.2001"), None);
        assert_eq!(integer("5.0"), Some(5));
        match classify("179092.2001") {
            CellContent::Number(n) => assert!((n.value - 179_092.200_1).abs() < 1e-9),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn placeholders_blanks_and_text() {
        assert_eq!(classify(" \u{3000}"), CellContent::Blank);
        assert_eq!(classify("／"), CellContent::Placeholder("/".into()));
        assert_eq!(classify("—"), CellContent::Placeholder("—".into()));
        assert_eq!(classify("无"), CellContent::Placeholder("无".into()));
        assert_eq!(classify("自然人"), CellContent::Text("自然人".into()));
        assert_eq!(
            classify("1.属于国家秘密"),
            CellContent::Text("1.属于国家秘密".into())
        );
        assert_eq!(classify("1,23"), CellContent::Text("1,23".into()));
        assert_eq!(classify("1 0"), CellContent::Text("1 0".into()));
    }
}
