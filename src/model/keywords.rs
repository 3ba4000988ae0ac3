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

    /// Where, in a normalised text, every group has first been met: the byte offset just after
    /// the latest of the groups' first words. A heading run into its body by a crawler
    /// (`存在的主要问题及改进情况存在的问题主要有…`) has its title's words no later than this.
    /// `None` when the text does not match.
    pub fn end_in(&self, folded: &str) -> Option<usize> {
        self.groups
            .iter()
            .map(|group| {
                group
                    .iter()
                    .filter_map(|word| folded.find(word.as_str()).map(|at| at + word.len()))
                    .min()
            })
            .try_fold(0, |end, group_end| Some(end.max(group_end?)))
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

    #[test]
    fn the_end_is_where_every_group_has_been_met() {
        let groups = vec![
            vec!["其他".to_owned()],
            vec!["事项".to_owned(), "需要报告".to_owned()],
        ];
        let six = Keywords::new(&groups).unwrap();
        let text = "其他需要报告的事项本年度未收取信息处理费";
        let end = six.end_in(text).unwrap();
        assert_eq!(&text[end..], "的事项本年度未收取信息处理费");
        assert_eq!(six.end_in("其他"), None);
    }
}
