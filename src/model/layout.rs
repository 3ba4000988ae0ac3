//! The official layouts of tables 二, 三 and 四 (国办公开办函〔2019〕60号 and 〔2021〕30号): their
//! rows, with the short keys rules use (`一`, `（三）1`, `（七）`), and their columns.
//!
//! Labels are matched loosely, by keywords in the normalised label and the label's ordinal, because
//! real reports shorten and reword them (spec §4.2).

use serde::Serialize;

use crate::text::fold;

/// Which statistical table.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum TableId {
    /// 表二 主动公开政府信息情况.
    #[serde(rename = "表二")]
    T2,
    /// 表三 收到和处理政府信息公开申请情况.
    #[serde(rename = "表三")]
    T3,
    /// 表四 政府信息公开行政复议、行政诉讼情况.
    #[serde(rename = "表四")]
    T4,
}

impl TableId {
    /// The name used in messages and rule files (`表三`).
    pub fn name(self) -> &'static str {
        match self {
            Self::T2 => "表二",
            Self::T3 => "表三",
            Self::T4 => "表四",
        }
    }

    /// Parses a rule file's table name (`表三`, or `t3`).
    pub fn parse(name: &str) -> Option<Self> {
        match name.trim() {
            "表二" | "t2" | "T2" => Some(Self::T2),
            "表三" | "t3" | "T3" => Some(Self::T3),
            "表四" | "t4" | "T4" => Some(Self::T4),
            _ => None,
        }
    }
}

/// Which edition of the uniform format a table follows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
pub enum Edition {
    /// 国办公开办函〔2019〕60号 (试行): 表三 has one （六）其他处理 row.
    #[serde(rename = "2019")]
    Y2019,
    /// 国办公开办函〔2021〕30号: 表三's （六） has three sub-rows.
    #[serde(rename = "2021")]
    Y2021,
}

/// What values a column admits.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Domain {
    /// A whole number, zero or more (counts of applications, documents, cases).
    Count,
    /// A whole number that may be negative (本年增/减).
    Signed,
    /// A decimal amount, zero or more (本年收费金额, 采购总金额).
    Amount,
}

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

/// One row of an official table.
#[derive(Debug)]
pub struct RowSpec {
    /// The key rules use, e.g. `（三）1`.
    pub key: &'static str,
    /// The label shown in messages.
    pub display: &'static str,
    /// Any of these in the normalised label identifies the row.
    pub keywords: &'static [&'static str],
    /// When set, the label's ordinal must be this (or absent).
    pub ordinal: Option<Ordinal>,
    /// When set, the row is only recognised under this group (`（六）` for `3.其他`).
    pub group: Option<&'static str>,
}

/// A label that opens a group of rows (`（三）不予公开`).
#[derive(Debug)]
pub struct GroupSpec {
    /// The group's key.
    pub key: &'static str,
    /// Any of these in the normalised label identifies it.
    pub keywords: &'static [&'static str],
    /// Its ordinal, when it has to match.
    pub ordinal: Option<Ordinal>,
}

const fn row(
    key: &'static str,
    display: &'static str,
    keywords: &'static [&'static str],
) -> RowSpec {
    RowSpec {
        key,
        display,
        keywords,
        ordinal: None,
        group: None,
    }
}

/// 表三's applicant columns, in the official order; `小计` exists only in some local variants.
pub const T3_COLUMNS: [&str; 7] = [
    "自然人",
    "商业企业",
    "科研机构",
    "社会公益组织",
    "法律服务机构",
    "其他",
    "总计",
];
/// The 表三 column order when a `小计` column follows the five legal-person columns.
pub const T3_COLUMNS_WITH_SUBTOTAL: [&str; 8] = [
    "自然人",
    "商业企业",
    "科研机构",
    "社会公益组织",
    "法律服务机构",
    "其他",
    "小计",
    "总计",
];
/// Header words of 表三 that group columns rather than name one.
pub const T3_HEADER_GROUPS: [&str; 2] = ["申请人情况", "法人或其他组织"];

/// Groups of 表三 result rows.
pub const T3_GROUPS: &[GroupSpec] = &[
    GroupSpec {
        key: "三",
        keywords: &["办理结果"],
        ordinal: None,
    },
    GroupSpec {
        key: "（三）",
        keywords: &["不予公开"],
        ordinal: Some(Ordinal::Paren(3)),
    },
    GroupSpec {
        key: "（四）",
        keywords: &["无法提供"],
        ordinal: Some(Ordinal::Paren(4)),
    },
    GroupSpec {
        key: "（五）",
        keywords: &["不予处理"],
        ordinal: Some(Ordinal::Paren(5)),
    },
    GroupSpec {
        key: "（六）",
        keywords: &["其他处理"],
        ordinal: Some(Ordinal::Paren(6)),
    },
];

/// 表三 rows shared by both editions, before （六）.
const T3_HEAD: &[RowSpec] = &[
    row("一", "一、本年新收政府信息公开申请数量", &["本年新收"]),
    row("二", "二、上年结转政府信息公开申请数量", &["上年结转"]),
    row("（一）", "（一）予以公开", &["予以公开"]),
    row("（二）", "（二）部分公开", &["部分公开"]),
    row("（三）1", "（三）1.属于国家秘密", &["国家秘密"]),
    row("（三）2", "（三）2.其他法律行政法规禁止公开", &["禁止公开"]),
    row(
        "（三）3",
        "（三）3.危及“三安全一稳定”",
        &["三安全一稳定", "危及"],
    ),
    row("（三）4", "（三）4.保护第三方合法权益", &["第三方"]),
    row("（三）5", "（三）5.属于三类内部事务信息", &["内部事务"]),
    row("（三）6", "（三）6.属于四类过程性信息", &["过程性"]),
    row("（三）7", "（三）7.属于行政执法案卷", &["执法案卷"]),
    row(
        "（三）8",
        "（三）8.属于行政查询事项",
        &["行政查询", "查询事项"],
    ),
    row("（四）1", "（四）1.本机关不掌握相关政府信息", &["不掌握"]),
    row(
        "（四）2",
        "（四）2.没有现成信息需要另行制作",
        &["另行制作", "没有现成"],
    ),
    row(
        "（四）3",
        "（四）3.补正后申请内容仍不明确",
        &["仍不明确", "补正后"],
    ),
    row(
        "（五）1",
        "（五）1.信访举报投诉类申请",
        &["信访", "举报投诉"],
    ),
    row("（五）2", "（五）2.重复申请", &["重复申请"]),
    row("（五）3", "（五）3.要求提供公开出版物", &["出版物"]),
    row("（五）4", "（五）4.无正当理由大量反复申请", &["大量反复"]),
    row(
        "（五）5",
        "（五）5.要求行政机关确认或重新出具已获取信息",
        &["重新出具", "确认或"],
    ),
];

/// 表三 rows after （六）, shared by both editions.
const T3_TAIL: &[RowSpec] = &[
    RowSpec {
        key: "（七）",
        display: "（七）总计",
        keywords: &["总计", "合计"],
        ordinal: Some(Ordinal::Paren(7)),
        group: None,
    },
    row(
        "四",
        "四、结转下年度继续办理",
        &["结转下年度", "结转下一年度", "结转至下"],
    ),
];

/// （六） in the 2019 edition: one data row.
const T3_OTHER_2019: &[RowSpec] = &[RowSpec {
    key: "（六）",
    display: "（六）其他处理",
    keywords: &["其他处理"],
    ordinal: Some(Ordinal::Paren(6)),
    group: None,
}];

/// （六） in the 2021 edition: three sub-rows.
const T3_OTHER_2021: &[RowSpec] = &[
    row("（六）1", "（六）1.申请人无正当理由逾期不补正", &["不补正"]),
    row(
        "（六）2",
        "（六）2.申请人逾期未按收费通知要求缴纳费用",
        &["缴纳费用", "缴费", "收费通知"],
    ),
    RowSpec {
        key: "（六）3",
        display: "（六）3.其他",
        keywords: &["其他"],
        ordinal: Some(Ordinal::Digit(3)),
        group: Some("（六）"),
    },
];

/// The 表三 rows of an edition, in order.
pub fn t3_rows(edition: Edition) -> impl Iterator<Item = &'static RowSpec> {
    let other = match edition {
        Edition::Y2019 => T3_OTHER_2019,
        Edition::Y2021 => T3_OTHER_2021,
    };
    T3_HEAD.iter().chain(other).chain(T3_TAIL)
}

/// Every 表三 row of either edition (for recognising labels before the edition is known).
pub fn t3_all_rows() -> impl Iterator<Item = &'static RowSpec> {
    T3_HEAD
        .iter()
        .chain(T3_OTHER_2019)
        .chain(T3_OTHER_2021)
        .chain(T3_TAIL)
}

/// 表四's groups (its logical rows) and columns. The table is one row of 15 figures.
pub const T4_GROUPS: [&str; 3] = ["行政复议", "未经复议直接起诉", "复议后起诉"];
/// 表四's columns within each group.
pub const T4_COLUMNS: [&str; 5] = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"];

/// A row of 表二 with its columns.
#[derive(Debug)]
pub struct T2RowSpec {
    /// The row label, also its key.
    pub key: &'static str,
    /// The caption of its sub-table (`第二十条第（一）项`).
    pub item: &'static str,
    /// Its columns and their domains.
    pub columns: &'static [(&'static str, Domain)],
}

const T2_ITEM1_2019: &[(&str, Domain)] = &[
    ("本年新制作数量", Domain::Count),
    ("本年新公开数量", Domain::Count),
    ("对外公开总数量", Domain::Count),
];
const T2_PROJECTS_2019: &[(&str, Domain)] = &[
    ("上一年项目数量", Domain::Count),
    ("本年增/减", Domain::Signed),
    ("处理决定数量", Domain::Count),
];
const T2_FEES_2019: &[(&str, Domain)] = &[
    ("上一年项目数量", Domain::Count),
    ("本年增/减", Domain::Signed),
];
const T2_PURCHASE_2019: &[(&str, Domain)] = &[
    ("采购项目数量", Domain::Count),
    ("采购总金额", Domain::Amount),
];
const T2_ITEM1_2021: &[(&str, Domain)] = &[
    ("本年制发件数", Domain::Count),
    ("本年废止件数", Domain::Count),
    ("现行有效件数", Domain::Count),
];
const T2_DECISIONS_2021: &[(&str, Domain)] = &[("本年处理决定数量", Domain::Count)];
const T2_FEES_2021: &[(&str, Domain)] = &[("本年收费金额", Domain::Amount)];

/// 表二 rows of the 2019 edition.
pub const T2_ROWS_2019: &[T2RowSpec] = &[
    T2RowSpec {
        key: "规章",
        item: "第二十条第（一）项",
        columns: T2_ITEM1_2019,
    },
    T2RowSpec {
        key: "规范性文件",
        item: "第二十条第（一）项",
        columns: T2_ITEM1_2019,
    },
    T2RowSpec {
        key: "行政许可",
        item: "第二十条第（五）项",
        columns: T2_PROJECTS_2019,
    },
    T2RowSpec {
        key: "其他对外管理服务事项",
        item: "第二十条第（五）项",
        columns: T2_PROJECTS_2019,
    },
    T2RowSpec {
        key: "行政处罚",
        item: "第二十条第（六）项",
        columns: T2_PROJECTS_2019,
    },
    T2RowSpec {
        key: "行政强制",
        item: "第二十条第（六）项",
        columns: T2_PROJECTS_2019,
    },
    T2RowSpec {
        key: "行政事业性收费",
        item: "第二十条第（八）项",
        columns: T2_FEES_2019,
    },
    T2RowSpec {
        key: "政府集中采购",
        item: "第二十条第（九）项",
        columns: T2_PURCHASE_2019,
    },
];

/// 表二 rows of the 2021 edition.
pub const T2_ROWS_2021: &[T2RowSpec] = &[
    T2RowSpec {
        key: "规章",
        item: "第二十条第（一）项",
        columns: T2_ITEM1_2021,
    },
    T2RowSpec {
        key: "行政规范性文件",
        item: "第二十条第（一）项",
        columns: T2_ITEM1_2021,
    },
    T2RowSpec {
        key: "行政许可",
        item: "第二十条第（五）项",
        columns: T2_DECISIONS_2021,
    },
    T2RowSpec {
        key: "行政处罚",
        item: "第二十条第（六）项",
        columns: T2_DECISIONS_2021,
    },
    T2RowSpec {
        key: "行政强制",
        item: "第二十条第（六）项",
        columns: T2_DECISIONS_2021,
    },
    T2RowSpec {
        key: "行政事业性收费",
        item: "第二十条第（八）项",
        columns: T2_FEES_2021,
    },
];

/// Header words that only the 2019 edition of 表二 uses.
pub const T2_MARKERS_2019: &[&str] = &[
    "本年新制作数量",
    "本年新公开数量",
    "对外公开总数量",
    "上一年项目数量",
    "本年增/减",
    "采购项目数量",
];
/// Header words that only the 2021 edition of 表二 uses.
pub const T2_MARKERS_2021: &[&str] = &[
    "本年制发件数",
    "本年废止件数",
    "现行有效件数",
    "本年处理决定数量",
    "本年收费金额",
];

/// Row labels that only one edition of 表二 has.
const T2_ONLY_2021: &str = "行政规范性文件";
const T2_ONLY_2019: &str = "其他对外管理服务事项";

/// The edition a report of this year should follow, when its tables do not show it.
pub fn edition_for_year(year: Option<i32>) -> Edition {
    match year {
        Some(year) if year <= 2020 => Edition::Y2019,
        _ => Edition::Y2021,
    }
}

/// The edition of a 表二 from the (folded) words of its labels, else from the report year.
pub fn t2_edition(words: &str, year: Option<i32>) -> Edition {
    let has = |markers: &[&str]| markers.iter().any(|marker| words.contains(&fold(marker)));
    if has(T2_MARKERS_2021) || words.contains(T2_ONLY_2021) {
        Edition::Y2021
    } else if has(T2_MARKERS_2019) || words.contains(T2_ONLY_2019) {
        Edition::Y2019
    } else {
        edition_for_year(year)
    }
}

/// The edition of a 表三 from the row keys found in it: （六） split in three (2021) or one （六）
/// row (2019); else from the report year.
pub fn t3_edition<'a>(
    keys: impl IntoIterator<Item = &'a str> + Clone,
    year: Option<i32>,
) -> Edition {
    let split_six = |key: &str| key.starts_with("（六）") && key.len() > "（六）".len();
    if keys.clone().into_iter().any(split_six) {
        Edition::Y2021
    } else if keys.into_iter().any(|key| key == "（六）") {
        Edition::Y2019
    } else {
        edition_for_year(year)
    }
}

/// The rows of 表二 in an edition.
pub fn t2_rows(edition: Edition) -> &'static [T2RowSpec] {
    match edition {
        Edition::Y2019 => T2_ROWS_2019,
        Edition::Y2021 => T2_ROWS_2021,
    }
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

    #[test]
    fn editions_have_their_row_counts() {
        assert_eq!(t3_rows(Edition::Y2019).count(), 23);
        assert_eq!(t3_rows(Edition::Y2021).count(), 25);
    }
}
