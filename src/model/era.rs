//! Which format era a report belongs to, and the evidence for it (spec §8).

use serde::Serialize;

use super::table::{RowCells, TypedTable};
use crate::text::{Folded, TextRange};

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

/// The start of a marker that only cites a format document rather than using its layout.
const CITATION: &str = "国办公开办函";

/// The era and the evidence it was decided on.
#[derive(Clone, Debug)]
pub struct EraAssessment {
    /// The era.
    pub era: Era,
    /// What decided it, in words for the user.
    pub evidence: Vec<String>,
    /// The markers of the 60号 and 30号 formats found, in the order of the lists above, then
    /// those of the tables.
    pub markers: Vec<EraMarker>,
}

/// A marker of one format found in a report: a word only that format's tables have, a table row
/// only that edition has, or a citation of the format document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EraMarker {
    /// The format it marks.
    pub era: Era,
    /// What was found, for the user (`「本年新制作数量」`, `表三（六）其他处理为单行`).
    pub name: String,
    /// Where it is first written, when known.
    pub range: Option<TextRange>,
    /// Whether it only cites the format document (`国办公开办函〔2019〕60号`): a report may cite
    /// the old format and still use the new one.
    pub citation: bool,
}

/// Decides the era from format markers in the (normalised) text and tables, then from the year.
pub fn assess(folded: &Folded, year: Option<i32>, tables: &[TypedTable]) -> EraAssessment {
    let folded_text = folded.as_str();
    let found = |markers: &[&'static str], era: Era| -> Vec<EraMarker> {
        markers
            .iter()
            .filter_map(|marker| {
                let at = folded_text.find(*marker)?;
                Some(EraMarker {
                    era,
                    name: format!("「{marker}」"),
                    range: Some(folded.source_range(at..at + marker.len())),
                    citation: marker.starts_with(CITATION),
                })
            })
            .collect()
    };
    let mut markers = found(MARKERS_2019, Era::Format2019);
    markers.extend(found(MARKERS_2021, Era::Format2021));
    // A table read into an edition that tells the era, with a row only that edition has.
    for table in tables {
        let layout = table.layout;
        let (Some(era), Some(evidence)) = (layout.era, &layout.era_evidence) else {
            continue;
        };
        let marker_row = layout.rows.iter().find_map(|spec| {
            let row = table.row(&spec.key)?;
            (spec.marker && !matches!(row.cells, RowCells::Missing)).then_some(row)
        });
        if let Some(row) = marker_row
            && matches!(era, Era::Format2019 | Era::Format2021)
        {
            markers.push(EraMarker {
                era,
                name: evidence.clone(),
                range: row.label,
                citation: false,
            });
        }
    }
    let names = |era: Era| -> Vec<String> {
        markers
            .iter()
            .filter(|marker| marker.era == era)
            .map(|marker| marker.name.clone())
            .collect()
    };
    let (m2019, m2021) = (names(Era::Format2019), names(Era::Format2021));
    let by_year = |year: i32| match year {
        ..=2018 => Era::Pre2019,
        2019 | 2020 => Era::Format2019,
        _ => Era::Format2021,
    };
    let with = |era: Era, label: &str, names: &[String]| EraAssessment {
        era,
        evidence: vec![format!("{label}：{}", names.join("、"))],
        markers: markers.clone(),
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
                markers: markers.clone(),
            }
        }
        (true, false, _) => with(Era::Format2021, "30号格式标记", &m2021),
        (false, true, _) => with(Era::Format2019, "60号格式标记", &m2019),
        (true, true, Some(year)) => EraAssessment {
            era: by_year(year),
            evidence: vec![format!("报告年度 {year}，未见统一格式标记")],
            markers: Vec::new(),
        },
        (true, true, None) => {
            let old: Vec<String> = found(MARKERS_PRE2019, Era::Pre2019)
                .into_iter()
                .map(|marker| marker.name)
                .collect();
            if old.is_empty() {
                EraAssessment {
                    era: Era::Unknown,
                    evidence: vec!["没有报告年度，也没有格式标记".to_owned()],
                    markers: Vec::new(),
                }
            } else {
                with(Era::Pre2019, "2008年条例标记", &old)
            }
        }
    }
}
