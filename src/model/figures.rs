//! The figures of a report that an evaluator compares across reports (表三's 一/二/（七）/四 by
//! applicant, each result row's 总计, 表四's groups, 表二's 规章 and 行政规范性文件): a fixed list
//! of cells, each read or blank with the reason. Compact, so that an audit of thousands of reports
//! can keep them all once the documents are gone.

use serde::Serialize;

use super::Report;
use super::layout::TableId;
use super::table::{CellProblem, Lookup};

/// One figure the audit keeps: which cell of which table, and its column header in outputs.
#[derive(Clone, Copy, Debug)]
pub struct FigureSlot {
    /// The table.
    pub table: TableId,
    /// The row key in the table's layout.
    pub row: &'static str,
    /// The column key.
    pub column: &'static str,
    /// The header of the figure's column in the workbook and CSV (`表三 一 自然人`).
    pub header: &'static str,
}

const fn slot(
    table: TableId,
    row: &'static str,
    column: &'static str,
    header: &'static str,
) -> FigureSlot {
    FigureSlot {
        table,
        row,
        column,
        header,
    }
}

use TableId::{T2, T3, T4};

/// Every figure kept, in output order. Rows of one edition only (表三 （六） of the 2019 format,
/// （六）1–3 of the 2021 format) are blank in reports of the other, with that reason.
pub const SLOTS: &[FigureSlot] = &[
    slot(T3, "一", "自然人", "表三 一 自然人"),
    slot(T3, "一", "商业企业", "表三 一 商业企业"),
    slot(T3, "一", "科研机构", "表三 一 科研机构"),
    slot(T3, "一", "社会公益组织", "表三 一 社会公益组织"),
    slot(T3, "一", "法律服务机构", "表三 一 法律服务机构"),
    slot(T3, "一", "其他", "表三 一 其他"),
    slot(T3, "一", "总计", "表三 一 总计"),
    slot(T3, "二", "自然人", "表三 二 自然人"),
    slot(T3, "二", "商业企业", "表三 二 商业企业"),
    slot(T3, "二", "科研机构", "表三 二 科研机构"),
    slot(T3, "二", "社会公益组织", "表三 二 社会公益组织"),
    slot(T3, "二", "法律服务机构", "表三 二 法律服务机构"),
    slot(T3, "二", "其他", "表三 二 其他"),
    slot(T3, "二", "总计", "表三 二 总计"),
    slot(T3, "（一）", "总计", "表三（一）予以公开"),
    slot(T3, "（二）", "总计", "表三（二）部分公开"),
    slot(T3, "（三）1", "总计", "表三（三）1 国家秘密"),
    slot(T3, "（三）2", "总计", "表三（三）2 法律行政法规禁止"),
    slot(T3, "（三）3", "总计", "表三（三）3 三安全一稳定"),
    slot(T3, "（三）4", "总计", "表三（三）4 第三方合法权益"),
    slot(T3, "（三）5", "总计", "表三（三）5 内部事务信息"),
    slot(T3, "（三）6", "总计", "表三（三）6 过程性信息"),
    slot(T3, "（三）7", "总计", "表三（三）7 行政执法案卷"),
    slot(T3, "（三）8", "总计", "表三（三）8 行政查询事项"),
    slot(T3, "（四）1", "总计", "表三（四）1 本机关不掌握"),
    slot(T3, "（四）2", "总计", "表三（四）2 没有现成信息"),
    slot(T3, "（四）3", "总计", "表三（四）3 补正后申请内容仍不明确"),
    slot(T3, "（五）1", "总计", "表三（五）1 信访举报投诉类"),
    slot(T3, "（五）2", "总计", "表三（五）2 重复申请"),
    slot(T3, "（五）3", "总计", "表三（五）3 公开出版物"),
    slot(T3, "（五）4", "总计", "表三（五）4 无正当理由大量反复"),
    slot(T3, "（五）5", "总计", "表三（五）5 确认或重新出具"),
    slot(T3, "（六）", "总计", "表三（六）其他处理（2019 格式）"),
    slot(T3, "（六）1", "总计", "表三（六）1 逾期不补正"),
    slot(T3, "（六）2", "总计", "表三（六）2 逾期未缴费"),
    slot(T3, "（六）3", "总计", "表三（六）3 其他"),
    slot(T3, "（七）", "自然人", "表三（七）总计 自然人"),
    slot(T3, "（七）", "商业企业", "表三（七）总计 商业企业"),
    slot(T3, "（七）", "科研机构", "表三（七）总计 科研机构"),
    slot(T3, "（七）", "社会公益组织", "表三（七）总计 社会公益组织"),
    slot(T3, "（七）", "法律服务机构", "表三（七）总计 法律服务机构"),
    slot(T3, "（七）", "其他", "表三（七）总计 其他"),
    slot(T3, "（七）", "总计", "表三（七）总计 总计"),
    slot(T3, "四", "自然人", "表三 四 自然人"),
    slot(T3, "四", "商业企业", "表三 四 商业企业"),
    slot(T3, "四", "科研机构", "表三 四 科研机构"),
    slot(T3, "四", "社会公益组织", "表三 四 社会公益组织"),
    slot(T3, "四", "法律服务机构", "表三 四 法律服务机构"),
    slot(T3, "四", "其他", "表三 四 其他"),
    slot(T3, "四", "总计", "表三 四 总计"),
    slot(T4, "行政复议", "结果维持", "表四 行政复议 结果维持"),
    slot(T4, "行政复议", "结果纠正", "表四 行政复议 结果纠正"),
    slot(T4, "行政复议", "其他结果", "表四 行政复议 其他结果"),
    slot(T4, "行政复议", "尚未审结", "表四 行政复议 尚未审结"),
    slot(T4, "行政复议", "总计", "表四 行政复议 总计"),
    slot(
        T4,
        "未经复议直接起诉",
        "结果维持",
        "表四 未经复议直接起诉 结果维持",
    ),
    slot(
        T4,
        "未经复议直接起诉",
        "结果纠正",
        "表四 未经复议直接起诉 结果纠正",
    ),
    slot(
        T4,
        "未经复议直接起诉",
        "其他结果",
        "表四 未经复议直接起诉 其他结果",
    ),
    slot(
        T4,
        "未经复议直接起诉",
        "尚未审结",
        "表四 未经复议直接起诉 尚未审结",
    ),
    slot(T4, "未经复议直接起诉", "总计", "表四 未经复议直接起诉 总计"),
    slot(T4, "复议后起诉", "结果维持", "表四 复议后起诉 结果维持"),
    slot(T4, "复议后起诉", "结果纠正", "表四 复议后起诉 结果纠正"),
    slot(T4, "复议后起诉", "其他结果", "表四 复议后起诉 其他结果"),
    slot(T4, "复议后起诉", "尚未审结", "表四 复议后起诉 尚未审结"),
    slot(T4, "复议后起诉", "总计", "表四 复议后起诉 总计"),
    slot(T2, "规章", "本年制发件数", "表二 规章 本年制发"),
    slot(T2, "规章", "本年废止件数", "表二 规章 本年废止"),
    slot(T2, "规章", "现行有效件数", "表二 规章 现行有效"),
    slot(
        T2,
        "行政规范性文件",
        "本年制发件数",
        "表二 行政规范性文件 本年制发",
    ),
    slot(
        T2,
        "行政规范性文件",
        "本年废止件数",
        "表二 行政规范性文件 本年废止",
    ),
    slot(
        T2,
        "行政规范性文件",
        "现行有效件数",
        "表二 行政规范性文件 现行有效",
    ),
];

/// Why a figure is blank.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Unread {
    /// The report has no such table (most reports before 2019 have none).
    NoTable,
    /// The table's edition has no such row or column.
    NotInLayout,
    /// The row is not in the table.
    RowMissing,
    /// The row's figures could not be placed in their columns.
    RowMisaligned,
    /// The cell is blank.
    Blank,
    /// The cell holds a placeholder (`/`, `-`).
    Placeholder,
    /// The cell holds something that is not a valid figure.
    Invalid,
    /// The row's figures ran together and could not be split.
    Unreadable,
}

impl Unread {
    /// The reason in words.
    pub fn describe(self) -> &'static str {
        match self {
            Self::NoTable => "报告中没有这张表",
            Self::NotInLayout => "该格式的表中没有这一栏",
            Self::RowMissing => "表中没有找到这一行",
            Self::RowMisaligned => "这一行的数字个数与表头不符",
            Self::Blank => "单元格空白",
            Self::Placeholder => "单元格为占位符",
            Self::Invalid => "单元格不是有效数字",
            Self::Unreadable => "这一行的数字连写在一起，无法拆分",
        }
    }
}

impl From<&CellProblem> for Unread {
    fn from(problem: &CellProblem) -> Self {
        match problem {
            CellProblem::RowMissing => Self::RowMissing,
            CellProblem::RowMisaligned { .. } => Self::RowMisaligned,
            CellProblem::Blank => Self::Blank,
            CellProblem::Placeholder(_) => Self::Placeholder,
            CellProblem::Invalid(_) => Self::Invalid,
            CellProblem::Unreadable => Self::Unreadable,
        }
    }
}

/// A figure as read: a number, or blank with the reason — never a 0 standing in for "unknown".
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Figure {
    /// The number in the cell.
    Value(i64),
    /// Not read, and why.
    Unread(Unread),
}

impl Figure {
    /// The number, if read.
    pub fn value(self) -> Option<i64> {
        match self {
            Self::Value(value) => Some(value),
            Self::Unread(_) => None,
        }
    }
}

impl Serialize for Figure {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::Value(value) => serializer.serialize_i64(*value),
            Self::Unread(_) => serializer.serialize_none(),
        }
    }
}

/// The figures of one report, one per [`SLOTS`] entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Figures(Vec<Figure>);

impl Figures {
    /// Reads every slot from the report's tables.
    pub fn read(report: &Report) -> Self {
        Self(
            SLOTS
                .iter()
                .map(|slot| {
                    let Some(table) = report.table(slot.table) else {
                        return Figure::Unread(Unread::NoTable);
                    };
                    match table.lookup(slot.row, slot.column) {
                        Lookup::Value { value, .. } => Figure::Value(value),
                        Lookup::Unavailable { problem, .. } => Figure::Unread((&problem).into()),
                        Lookup::NotInLayout => Figure::Unread(Unread::NotInLayout),
                    }
                })
                .collect(),
        )
    }

    /// The figures, in [`SLOTS`] order.
    pub fn all(&self) -> &[Figure] {
        &self.0
    }

    /// The figure of a cell, or "not in layout" when the audit does not keep that cell.
    pub fn get(&self, table: TableId, row: &str, column: &str) -> Figure {
        SLOTS
            .iter()
            .position(|slot| slot.table == table && slot.row == row && slot.column == column)
            .and_then(|index| self.0.get(index).copied())
            .unwrap_or(Figure::Unread(Unread::NotInLayout))
    }

    /// True when not one figure was read (a report without tables).
    pub fn is_empty(&self) -> bool {
        self.0.iter().all(|figure| figure.value().is_none())
    }
}

impl Serialize for Figures {
    /// A map from each figure's header to its number, or null when it was not read.
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (slot, figure) in SLOTS.iter().zip(&self.0) {
            map.serialize_entry(slot.header, figure)?;
        }
        map.end()
    }
}
