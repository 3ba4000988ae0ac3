//! Keyword groups, the way rule files name a section by its heading: a text matches when every
//! group has one of its words in it (`[["问题", "不足"], ["改进", "下一步"]]`: 问题 or 不足, and 改进
//! or 下一步). Words are compared in their normalised form (see [`crate::text::fold`]).

use crate::text::fold;

/// Keyword groups, normalised.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Keywords {
    groups: Vec<Vec<String>>,
}

impl Keywords {
    /// Normalises the groups; `None` when there is no group, or a group has no word left.
    pub fn new(groups: &[Vec<String>]) -> Option<Self> {
        let groups: Vec<Vec<String>> = groups
            .iter()
            .map(|group| {
                group
                    .iter()
                    .map(|word| fold(word))
                    .filter(|word| !word.is_empty())
                    .collect::<Vec<_>>()
            })
            .collect();
        if groups.is_empty() || groups.iter().any(Vec::is_empty) {
            return None;
        }
        Some(Self { groups })
    }

    /// Whether a normalised text has a word of every group.
    pub fn matches(&self, folded: &str) -> bool {
        self.groups
            .iter()
            .all(|group| group.iter().any(|word| folded.contains(word.as_str())))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_group_needs_one_word() {
        let words = |groups: &[&[&str]]| {
            let groups: Vec<Vec<String>> = groups
                .iter()
                .map(|g| g.iter().map(|w| (*w).to_owned()).collect())
                .collect();
            Keywords::new(&groups)
        };
        let five = words(&[&["问题", "不足"], &["改进", "下一步"]]).unwrap();
        assert!(five.matches("存在的主要问题及改进情况"));
        assert!(!five.matches("存在的主要问题"));
        assert!(words(&[]).is_none());
        assert!(words(&[&["问题"], &[" "]]).is_none());
    }
}
