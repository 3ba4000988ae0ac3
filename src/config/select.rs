//! Rule selectors, as in ruff: `ALL`, a code (`T001`), a code prefix (`T`, `T0`) or a rule name
//! (`identity-mismatch`). Where a selection and an ignore list both match a rule, the more
//! specific selector wins (`select = ["T001"]` with `ignore = ["T"]` keeps T001); at equal
//! specificity the ignore wins.

use std::fmt;

/// One selector.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Selector {
    /// Every rule.
    All,
    /// Codes starting with this (a family letter and up to two digits).
    Prefix(String),
    /// One rule, by its code.
    Code(String),
}

/// A known rule: its code and name.
pub type Known<'a> = (&'a str, &'a str);

/// A selector that names no rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownSelector {
    /// What was written.
    pub text: String,
    /// The closest code or name, if any is close.
    pub suggestion: Option<String>,
}

impl fmt::Display for UnknownSelector {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "没有与「{}」对应的规则", self.text)?;
        if let Some(suggestion) = &self.suggestion {
            write!(f, "，是否想写「{suggestion}」？")?;
        }
        write!(
            f,
            "（可写 ALL、规则代码如 T001、代码前缀如 T、或规则名称如 identity-mismatch）"
        )
    }
}

impl Selector {
    /// Reads a selector, checked against the rules in force.
    pub fn parse(text: &str, known: &[Known<'_>]) -> Result<Self, UnknownSelector> {
        let text = text.trim();
        if text.eq_ignore_ascii_case("all") {
            return Ok(Self::All);
        }
        if let Some((code, _)) = known
            .iter()
            .find(|(code, name)| code.eq_ignore_ascii_case(text) || *name == text)
        {
            return Ok(Self::Code((*code).to_owned()));
        }
        let upper = text.to_ascii_uppercase();
        let is_prefix_shape = upper.len() <= 3
            && upper.starts_with(|c: char| c.is_ascii_uppercase())
            && upper[1..].bytes().all(|b| b.is_ascii_digit());
        if is_prefix_shape && known.iter().any(|(code, _)| code.starts_with(&upper)) {
            return Ok(Self::Prefix(upper));
        }
        let suggestion =
            crate::text::closest(text, known.iter().flat_map(|(code, name)| [*code, *name]))
                .map(str::to_owned);
        Err(UnknownSelector {
            text: text.to_owned(),
            suggestion,
        })
    }

    /// Whether it selects a rule with this code.
    pub fn matches(&self, code: &str) -> bool {
        match self {
            Self::All => true,
            Self::Prefix(prefix) => code.starts_with(prefix.as_str()),
            Self::Code(own) => own == code,
        }
    }

    /// How specific it is: `ALL` < a prefix (longer is more specific) < a code.
    pub fn specificity(&self) -> usize {
        match self {
            Self::All => 0,
            Self::Prefix(prefix) => prefix.len(),
            Self::Code(_) => usize::MAX,
        }
    }
}

impl fmt::Display for Selector {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::All => f.write_str("ALL"),
            Self::Prefix(text) | Self::Code(text) => f.write_str(text),
        }
    }
}

/// The most specific selector of `selectors` matching `code`, by specificity.
pub fn best_match(selectors: &[Selector], code: &str) -> Option<usize> {
    selectors
        .iter()
        .filter(|selector| selector.matches(code))
        .map(Selector::specificity)
        .max()
}

#[cfg(test)]
mod tests {
    use super::*;

    const KNOWN: &[Known<'_>] = &[
        ("T001", "identity-mismatch"),
        ("T002", "table-incomplete"),
        ("S001", "section-missing"),
    ];

    #[test]
    fn codes_names_prefixes_and_all() {
        assert_eq!(Selector::parse("ALL", KNOWN), Ok(Selector::All));
        assert_eq!(
            Selector::parse("t001", KNOWN),
            Ok(Selector::Code("T001".into()))
        );
        assert_eq!(
            Selector::parse("identity-mismatch", KNOWN),
            Ok(Selector::Code("T001".into()))
        );
        assert_eq!(
            Selector::parse("T0", KNOWN),
            Ok(Selector::Prefix("T0".into()))
        );
        let unknown = Selector::parse("identity-mismach", KNOWN).unwrap_err();
        assert_eq!(unknown.suggestion.as_deref(), Some("identity-mismatch"));
        assert!(Selector::parse("X", KNOWN).is_err());
        assert!(Selector::parse("T9", KNOWN).is_err());
    }

    #[test]
    fn the_more_specific_selector_wins() {
        let select = [Selector::Code("T001".into())];
        let ignore = [Selector::Prefix("T".into())];
        assert!(best_match(&select, "T001") > best_match(&ignore, "T001"));
        assert_eq!(best_match(&select, "T002"), None);
    }
}
