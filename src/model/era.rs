//! Which format era a report belongs to, and the evidence for it (spec §8).

use serde::Serialize;

use super::table::{RowCells, TypedTable};

/// The format era.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum Era {
    /// Reports for 2008–2018: free form under 2008 条例 第三十二条.
    #[serde(rename = "pre-2019")]
    Pre2019,
    /// 国办公开办函〔2019〕60号 (reports for 2019 and 2020).
    #[serde(rename = "format-2019")]
    Format2019,
    /// 国办公开办函〔2021〕30号 (reports for 2021 onward).
    #[serde(rename = "format-2021")]
    Format2021,
    /// Neither the year nor the layout tells.
    #[serde(rename = "unknown")]
    Unknown,
}

impl Era {
    /// The name used in output and rule files.
    pub fn name(self) -> &'static str {
        match self {
            Self::Pre2019 => "pre-2019",
            Self::Format2019 => "format-2019",
            Self::Format2021 => "format-2021",
            Self::Unknown => "unknown",
        }
    }

    /// Parses a rule file's era name.
    pub fn parse(name: &str) -> Option<Self> {
        [
            Self::Pre2019,
            Self::Format2019,
            Self::Format2021,
            Self::Unknown,
        ]
        .into_iter()
        .find(|era| era.name() == name)
    }

    /// Every era name, for error messages.
    pub const NAMES: &'static [&'static str] =
        &["pre-2019", "format-2019", "format-2021", "unknown"];
}

/// Words found only in 60号 reports (normalised forms).
const MARKERS_2019: &[&str] = &[
    "本年新制作数量",
    "本年新公开数量",
    "对外公开总数量",
    "上一年项目数量",
    "其他对外管理服务事项",
    "第二十条第(九)项",
    "国办公开办函[2019]60号",
];
/// Words found only in 30号 reports.
const MARKERS_2021: &[&str] = &[
    "本年制发件数",
    "本年废止件数",
    "现行有效件数",
    "本年处理决定数量",
    "本年收费金额",
    "国办公开办函[2021]30号",
    "逾期未按收费通知要求缴纳费用",
];
/// Words of the 2008 regulation's reports.
const MARKERS_PRE2019: &[&str] = &["国务院令第492号", "第492号令", "收费及减免"];

/// The era and the evidence it was decided on.
#[derive(Clone, Debug)]
pub struct EraAssessment {
    /// The era.
    pub era: Era,
    /// What decided it, in words for the user.
    pub evidence: Vec<String>,
}

/// Decides the era from format markers in the (normalised) text and tables, then from the year.
pub fn assess(folded_text: &str, year: Option<i32>, tables: &[TypedTable]) -> EraAssessment {
    let found = |markers: &[&'static str]| -> Vec<String> {
        markers
            .iter()
            .filter(|marker| folded_text.contains(*marker))
            .map(|marker| format!("「{marker}」"))
            .collect()
    };
    let mut m2019 = found(MARKERS_2019);
    let mut m2021 = found(MARKERS_2021);
    // A table read into an edition that tells the era, with a row only that edition has.
    for table in tables {
        let layout = table.layout;
        let (Some(era), Some(evidence)) = (layout.era, &layout.era_evidence) else {
            continue;
        };
        let marker_found = layout.rows.iter().any(|spec| {
            spec.marker
                && table
                    .row(&spec.key)
                    .is_some_and(|row| !matches!(row.cells, RowCells::Missing))
        });
        if marker_found {
            match era {
                Era::Format2019 => m2019.push(evidence.clone()),
                Era::Format2021 => m2021.push(evidence.clone()),
                Era::Pre2019 | Era::Unknown => {}
            }
        }
    }
    let by_year = |year: i32| match year {
        ..=2018 => Era::Pre2019,
        2019 | 2020 => Era::Format2019,
        _ => Era::Format2021,
    };
    let with = |era: Era, label: &str, markers: &[String]| EraAssessment {
        era,
        evidence: vec![format!("{label}：{}", markers.join("、"))],
    };
    match (m2019.is_empty(), m2021.is_empty(), year) {
        (false, false, _) => {
            let era = if year.is_some_and(|y| y >= 2021) {
                Era::Format2021
            } else {
                Era::Format2019
            };
            EraAssessment {
                era,
                evidence: vec![
                    format!("60号格式标记：{}", m2019.join("、")),
                    format!("30号格式标记：{}", m2021.join("、")),
                    "两版格式混用，按报告年度判定".to_owned(),
                ],
            }
        }
        (true, false, _) => with(Era::Format2021, "30号格式标记", &m2021),
        (false, true, _) => with(Era::Format2019, "60号格式标记", &m2019),
        (true, true, Some(year)) => EraAssessment {
            era: by_year(year),
            evidence: vec![format!("报告年度 {year}，未见统一格式标记")],
        },
        (true, true, None) => {
            let old = found(MARKERS_PRE2019);
            if old.is_empty() {
                EraAssessment {
                    era: Era::Unknown,
                    evidence: vec!["没有报告年度，也没有格式标记".to_owned()],
                }
            } else {
                with(Era::Pre2019, "2008年条例标记", &old)
            }
        }
    }
}
