//! The figures evaluators compute from the tables — 申请量, 实质公开率, 不予公开率, 行政复议纠错率,
//! 行政诉讼纠错率 — and the year-over-year change of 申请量. Each is blank, with the reason, when
//! one of its operands was not read or its denominator is 0: a rate is never computed from a
//! figure standing in for one that could not be read.

use serde::Serialize;

use crate::model::TableId;
use crate::model::figures::{Figure, Figures, SLOTS};

/// A cell an operand reads.
type Cell = (TableId, &'static str, &'static str);

use TableId::{T3, T4};

/// The definition of a derived figure: the sum of `numerator`'s cells, divided by the sum of
/// `denominator`'s when there is one.
#[derive(Clone, Copy, Debug)]
pub struct Definition {
    /// Its name (`实质公开率`).
    pub name: &'static str,
    /// Its formula, in the words of the tables (shown in the README and the outputs).
    pub formula: &'static str,
    /// Cells added up above the line.
    pub numerator: &'static [Cell],
    /// Cells added up below the line; empty for a count.
    pub denominator: &'static [Cell],
}

impl Definition {
    /// True for a ratio (shown as a percentage), false for a count.
    pub fn is_rate(&self) -> bool {
        !self.denominator.is_empty()
    }
}

const NOT_DISCLOSED: &[Cell] = &[
    (T3, "（三）1", "总计"),
    (T3, "（三）2", "总计"),
    (T3, "（三）3", "总计"),
    (T3, "（三）4", "总计"),
    (T3, "（三）5", "总计"),
    (T3, "（三）6", "总计"),
    (T3, "（三）7", "总计"),
    (T3, "（三）8", "总计"),
];

/// The derived figures of one report, in output order.
pub const DEFINITIONS: &[Definition] = &[
    Definition {
        name: "申请量",
        formula: "表三 一、本年新收政府信息公开申请数量 · 总计",
        numerator: &[(T3, "一", "总计")],
        denominator: &[],
    },
    Definition {
        name: "实质公开率",
        formula: "（表三（一）予以公开 + （二）部分公开）÷（七）总计，均取总计列",
        numerator: &[(T3, "（一）", "总计"), (T3, "（二）", "总计")],
        denominator: &[(T3, "（七）", "总计")],
    },
    Definition {
        name: "不予公开率",
        formula: "表三（三）不予公开 1–8 项之和 ÷（七）总计，均取总计列",
        numerator: NOT_DISCLOSED,
        denominator: &[(T3, "（七）", "总计")],
    },
    Definition {
        name: "行政复议纠错率",
        formula: "表四 行政复议 结果纠正 ÷ 行政复议 总计",
        numerator: &[(T4, "行政复议", "结果纠正")],
        denominator: &[(T4, "行政复议", "总计")],
    },
    Definition {
        name: "行政诉讼纠错率",
        formula: "表四（未经复议直接起诉 + 复议后起诉）结果纠正 ÷（未经复议直接起诉 + 复议后起诉）总计",
        numerator: &[
            (T4, "未经复议直接起诉", "结果纠正"),
            (T4, "复议后起诉", "结果纠正"),
        ],
        denominator: &[(T4, "未经复议直接起诉", "总计"), (T4, "复议后起诉", "总计")],
    },
];

/// The name of the year-over-year change, computed for reports compared with the year before.
pub const CHANGE_NAME: &str = "申请量同比";
/// Its formula.
pub const CHANGE_FORMULA: &str = "（本年申请量 − 上年申请量）÷ 上年申请量，上年为跨年度比较的报告";

/// A derived figure: its value, or blank with the reason.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Derived {
    /// The value: a count, or a ratio (0.25 for 25 %).
    Value(f64),
    /// Blank, and why.
    Blank(String),
}

impl Derived {
    /// The value, if there is one.
    pub fn value(&self) -> Option<f64> {
        match self {
            Self::Value(value) => Some(*value),
            Self::Blank(_) => None,
        }
    }
}

/// The sum of the cells, or the reason one is missing.
fn sum(figures: &Figures, cells: &[Cell]) -> Result<i64, String> {
    let mut total: i64 = 0;
    for &(table, row, column) in cells {
        match figures.get(table, row, column) {
            Figure::Value(value) => total = total.saturating_add(value),
            Figure::Unread(why) => {
                let header = SLOTS
                    .iter()
                    .find(|slot| slot.table == table && slot.row == row && slot.column == column)
                    .map_or(row, |slot| slot.header);
                return Err(format!("「{header}」未读出：{}", why.describe()));
            }
        }
    }
    Ok(total)
}

/// The operands of a derived figure (numerator, denominator), or why they are not all read.
pub fn operands(definition: &Definition, figures: &Figures) -> Result<(i64, i64), String> {
    let numerator = sum(figures, definition.numerator)?;
    let denominator = if definition.is_rate() {
        sum(figures, definition.denominator)?
    } else {
        1
    };
    Ok((numerator, denominator))
}

/// A ratio, blank when the denominator is 0.
pub fn ratio(numerator: i64, denominator: i64) -> Derived {
    if denominator == 0 {
        return Derived::Blank("分母为 0".to_owned());
    }
    #[allow(clippy::cast_precision_loss)] // counts of applications: far below 2^52
    Derived::Value(numerator as f64 / denominator as f64)
}

/// Computes a derived figure of one report.
pub fn compute(definition: &Definition, figures: Option<&Figures>) -> Derived {
    let Some(figures) = figures else {
        return Derived::Blank("报告无法读取".to_owned());
    };
    match operands(definition, figures) {
        Err(why) => Derived::Blank(why),
        Ok((numerator, _)) if !definition.is_rate() =>
        {
            #[allow(clippy::cast_precision_loss)]
            Derived::Value(numerator as f64)
        }
        Ok((numerator, denominator)) => ratio(numerator, denominator),
    }
}

/// The change of 申请量 from the year before: blank without a compared report or a read figure.
pub fn change(current: Option<&Figures>, previous: Option<&Figures>) -> Derived {
    let Some(previous) = previous else {
        return Derived::Blank("没有与上一年度的报告比较".to_owned());
    };
    let applications = &DEFINITIONS[0];
    let now = match compute(applications, current) {
        Derived::Value(value) => value,
        Derived::Blank(why) => return Derived::Blank(format!("本年：{why}")),
    };
    let before = match compute(applications, Some(previous)) {
        Derived::Value(value) => value,
        Derived::Blank(why) => return Derived::Blank(format!("上年：{why}")),
    };
    if before == 0.0 {
        return Derived::Blank("上年申请量为 0".to_owned());
    }
    Derived::Value((now - before) / before)
}

/// A pooled figure over several reports: the sums of the operands of every report whose operands
/// were all read, and how many reports that is.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Pooled {
    /// Sum of the numerators.
    pub numerator: i64,
    /// Sum of the denominators.
    pub denominator: i64,
    /// Reports counted.
    pub reports: usize,
}

impl Pooled {
    /// Adds one report's figures when they are all read.
    pub fn add(&mut self, definition: &Definition, figures: Option<&Figures>) {
        if let Some(Ok((numerator, denominator))) =
            figures.map(|figures| operands(definition, figures))
        {
            self.numerator = self.numerator.saturating_add(numerator);
            self.denominator = self.denominator.saturating_add(denominator);
            self.reports += 1;
        }
    }

    /// The pooled value: the total for a count, the ratio of the sums for a rate.
    pub fn value(&self, definition: &Definition) -> Derived {
        if self.reports == 0 {
            return Derived::Blank("没有一份报告读出全部所需数字".to_owned());
        }
        if definition.is_rate() {
            ratio(self.numerator, self.denominator)
        } else {
            #[allow(clippy::cast_precision_loss)]
            Derived::Value(self.numerator as f64)
        }
    }
}
