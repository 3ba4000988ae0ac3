//! One issuer's reports across years: matching issuers by a normalised name, and pairing each
//! report with the same issuer's report for the year before, for the cross-year rules.

use std::collections::BTreeMap;

use crate::model::ReportKind;
use crate::model::facts::{FactValue, YearFacts};
use crate::text::fold;

/// Whether a report may be compared with the report given as its year before (`check
/// --previous`, the page's second file).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum GivenPrevious {
    /// Not compared: both years are known and not consecutive. Says why.
    Refused(String),
    /// Compared; with a notice when the issuers differ (the user named the file, so it is
    /// compared all the same).
    Compared(Option<String>),
}

/// Judges a report (`current`, shown as `path`) against the one given as the year before
/// (`previous`, shown as `previous_path` and introduced in messages by `introduced`, e.g.
/// `--previous 给出的` or `上一年度报告`).
pub fn given_previous(
    current: &YearFacts,
    path: &str,
    previous: &YearFacts,
    previous_path: &str,
    introduced: &str,
) -> GivenPrevious {
    if let (Some(year), Some(before)) = (current.year, previous.year)
        && before != year - 1
    {
        return GivenPrevious::Refused(format!(
            "「{path}」是 {year} 年度报告，{introduced}「{previous_path}」是 {before} 年度报告（应为 {} 年度），未做跨年度核对",
            year - 1
        ));
    }
    let notice = match (&current.issuer, &previous.issuer) {
        (Some(a), Some(b)) if issuer_key(a) != issuer_key(b) => Some(format!(
            "「{path}」的发布机关为「{a}」，「{previous_path}」为「{b}」，仍按指定进行跨年度核对"
        )),
        _ => None,
    };
    GivenPrevious::Compared(notice)
}

/// Suffixes that name the same body in different ways (`青禾县人民政府`, `青禾县政府`,
/// `青禾县人民政府办公室` are all 青禾县's reports; a zone's 管委会 issues the zone's), longest
/// first.
const SUFFIXES: &[&str] = &[
    "管理委员会办公室",
    "管委会办公室",
    "人民政府办公室",
    "人民政府办公厅",
    "政府办公室",
    "政府办公厅",
    "人民政府",
    "办公室",
    "办公厅",
    "管理委员会",
    "管委会",
    "政府",
];

/// The key that matches one issuer across years: no whitespace, one width, simplified
/// characters, without the suffixes of [`SUFFIXES`].
pub fn issuer_key(name: &str) -> String {
    let mut key = fold(name);
    if let Some(suffix) = SUFFIXES.iter().find(|suffix| {
        key.ends_with(*suffix) && {
            let rest = &key[..key.len() - suffix.len()];
            !rest.is_empty() && !rest.ends_with("人民")
        }
    }) {
        key.truncate(key.len() - suffix.len());
    }
    key
}

/// Why a report was not compared with another year.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Alone {
    /// Not an annual report, or unreadable.
    NotAReport,
    /// The title names no issuing body.
    NoIssuer,
    /// No report year.
    NoYear,
    /// No report of the same issuer for the year before or after.
    NoNeighbour,
    /// Neighbouring years exist, but no cross-year rule covers them (a pre-2019 report has no
    /// tables to compare).
    NotApplicable,
    /// Another copy of the same year was used for the comparison.
    OtherCopyUsed,
}

impl Alone {
    /// In words, for the summaries.
    pub fn describe(self) -> &'static str {
        match self {
            Self::NotAReport => "不是可读的年度报告",
            Self::NoIssuer => "标题中没有发布机关",
            Self::NoYear => "无法确定报告年度",
            Self::NoNeighbour => "没有同一机关相邻年度的报告",
            Self::NotApplicable => {
                "相邻年度的报告不适用跨年度规则（如 2019 年以前的报告没有统计表）"
            }
            Self::OtherCopyUsed => "同一年度另有一份副本用于跨年度核对",
        }
    }
}

/// The reports of a run arranged by issuer and year.
#[derive(Debug, Default)]
pub struct Pairing {
    /// (current, previous): indices of reports compared, the current one first.
    pub pairs: Vec<(usize, usize)>,
    /// Reports compared with no other year, and why.
    pub alone: Vec<(usize, Alone)>,
    /// Years of one issuer with several copies: the copy used as the previous year for the next
    /// year's report, then the others.
    pub duplicates: Vec<(usize, Vec<usize>)>,
}

/// How many figures a report's facts hold (the copy with most is used as "the year before").
fn readable_figures(facts: &YearFacts) -> usize {
    facts
        .tables
        .iter()
        .flat_map(|table| &table.rows)
        .flat_map(|row| &row.cells)
        .filter(|cell| matches!(cell.value, FactValue::Value(_)))
        .count()
}

/// Pairs every report with the best copy of the same issuer's report for the year before.
/// `reports[i]` is `None` for a file with no facts (unreadable).
pub fn pair(reports: &[Option<&YearFacts>]) -> Pairing {
    let mut pairing = Pairing::default();
    let mut groups: BTreeMap<(String, i32), Vec<usize>> = BTreeMap::new();
    for (index, facts) in reports.iter().enumerate() {
        let Some(facts) = facts.filter(|f| f.kind == ReportKind::AnnualReport) else {
            pairing.alone.push((index, Alone::NotAReport));
            continue;
        };
        let Some(issuer) = facts
            .issuer
            .as_deref()
            .map(issuer_key)
            .filter(|k| !k.is_empty())
        else {
            pairing.alone.push((index, Alone::NoIssuer));
            continue;
        };
        let Some(year) = facts.year else {
            pairing.alone.push((index, Alone::NoYear));
            continue;
        };
        groups.entry((issuer, year)).or_default().push(index);
    }
    // The best copy of each year: the one with most readable figures, the first on a tie.
    let best = |indices: &[usize]| -> usize {
        let mut best = indices[0];
        let mut most = reports[best].map_or(0, readable_figures);
        for &index in &indices[1..] {
            let figures = reports[index].map_or(0, readable_figures);
            if figures > most {
                best = index;
                most = figures;
            }
        }
        best
    };
    for ((issuer, year), indices) in &groups {
        if indices.len() > 1 {
            let kept = best(indices);
            let others = indices.iter().copied().filter(|&i| i != kept).collect();
            pairing.duplicates.push((kept, others));
        }
        let before = groups.get(&(issuer.clone(), year - 1));
        let after = groups.contains_key(&(issuer.clone(), year + 1));
        match before {
            Some(previous) => {
                let previous = best(previous);
                pairing
                    .pairs
                    .extend(indices.iter().map(|&current| (current, previous)));
            }
            None if !after => pairing
                .alone
                .extend(indices.iter().map(|&index| (index, Alone::NoNeighbour))),
            None => {}
        }
    }
    pairing.pairs.sort_unstable();
    pairing.alone.sort_unstable_by_key(|(index, _)| *index);
    pairing.duplicates.sort_unstable();
    pairing
}

impl Pairing {
    /// Keeps the pairs `compares` accepts (the cross-year rules that apply to them); reports left
    /// in no pair become [`Alone::NotApplicable`].
    pub fn retain(&mut self, mut compares: impl FnMut(usize, usize) -> bool) {
        let before: Vec<(usize, usize)> = std::mem::take(&mut self.pairs);
        let mut dropped = Vec::new();
        for (current, previous) in before {
            if compares(current, previous) {
                self.pairs.push((current, previous));
            } else {
                dropped.extend([current, previous]);
            }
        }
        dropped.sort_unstable();
        dropped.dedup();
        for index in dropped {
            let paired = self.pairs.iter().any(|&(a, b)| a == index || b == index);
            let alone = self.alone.iter().any(|&(a, _)| a == index);
            let other_copy = self
                .duplicates
                .iter()
                .any(|(_, others)| others.contains(&index));
            if !paired && !alone {
                let why = if other_copy {
                    Alone::OtherCopyUsed
                } else {
                    Alone::NotApplicable
                };
                self.alone.push((index, why));
            }
        }
        self.alone.sort_unstable_by_key(|(index, _)| *index);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Era;

    fn facts(issuer: &str, year: i32) -> YearFacts {
        YearFacts {
            path: format!("{issuer}-{year}"),
            issuer: Some(issuer.to_owned()),
            year: Some(year),
            era: Era::Format2021,
            kind: ReportKind::AnnualReport,
            tables: Vec::new(),
            sections: Vec::new(),
        }
    }

    #[test]
    fn a_given_previous_year_must_be_the_year_before() {
        let current = facts("青禾县人民政府", 2022);
        assert_eq!(
            given_previous(
                &current,
                "a",
                &facts("青禾县政府", 2021),
                "b",
                "上一年度报告"
            ),
            GivenPrevious::Compared(None)
        );
        assert_eq!(
            given_previous(&current, "a", &facts("青禾县人民政府", 2020), "b", "上一年度报告"),
            GivenPrevious::Refused(
                "「a」是 2022 年度报告，上一年度报告「b」是 2020 年度报告（应为 2021 年度），未做跨年度核对"
                    .to_owned()
            )
        );
        let mut unknown = facts("青禾县人民政府", 2020);
        unknown.year = None;
        assert_eq!(
            given_previous(&current, "a", &unknown, "b", "上一年度报告"),
            GivenPrevious::Compared(None)
        );
        assert_eq!(
            given_previous(&current, "a", &facts("白石县人民政府", 2021), "b", "上一年度报告"),
            GivenPrevious::Compared(Some(
                "「a」的发布机关为「青禾县人民政府」，「b」为「白石县人民政府」，仍按指定进行跨年度核对"
                    .to_owned()
            ))
        );
    }

    #[test]
    fn issuer_names_are_normalised() {
        assert_eq!(issuer_key("青禾县人民政府"), "青禾县");
        assert_eq!(issuer_key("青禾县 政府"), "青禾县");
        assert_eq!(issuer_key("青禾縣人民政府辦公室"), "青禾县");
        assert_eq!(issuer_key("平潭综合实验区管委会"), "平潭综合实验区");
        assert_eq!(issuer_key("人民政府"), "人民政府", "a bare suffix is kept");
    }

    #[test]
    fn consecutive_years_pair_in_either_order() {
        let a2022 = facts("青禾县人民政府", 2022);
        let a2021 = facts("青禾县政府", 2021);
        let b2021 = facts("白石镇人民政府", 2021);
        let a2019 = facts("青禾县人民政府", 2019);
        let pairing = pair(&[Some(&a2022), Some(&b2021), Some(&a2021), None, Some(&a2019)]);
        assert_eq!(pairing.pairs, [(0, 2)]);
        assert_eq!(
            pairing.alone,
            [
                (1, Alone::NoNeighbour),
                (3, Alone::NotAReport),
                (4, Alone::NoNeighbour)
            ]
        );
        let reversed = pair(&[Some(&a2021), Some(&a2022)]);
        assert_eq!(reversed.pairs, [(1, 0)]);
    }

    #[test]
    fn pairs_no_rule_compares_leave_their_reports_alone() {
        let now = facts("青禾县人民政府", 2022);
        let before = facts("青禾县人民政府", 2021);
        let old_a = facts("白石镇人民政府", 2017);
        let old_b = facts("白石镇人民政府", 2017);
        let older = facts("白石镇人民政府", 2016);
        let reports = [
            Some(&now),
            Some(&before),
            Some(&old_a),
            Some(&old_b),
            Some(&older),
        ];
        let mut pairing = pair(&reports);
        assert_eq!(pairing.pairs, [(0, 1), (2, 4), (3, 4)]);
        assert_eq!(pairing.duplicates, [(2, vec![3])]);
        // No rule covers 2017 ← 2016 (pre-2019); 2022 ← 2021 is kept.
        pairing.retain(|current, _| current == 0);
        assert_eq!(pairing.pairs, [(0, 1)]);
        assert_eq!(
            pairing.alone,
            [
                (2, Alone::NotApplicable),
                (3, Alone::OtherCopyUsed),
                (4, Alone::NotApplicable)
            ]
        );
    }
}
