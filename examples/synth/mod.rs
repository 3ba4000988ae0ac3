//! Synthetic annual reports for benchmarks: invented issuers (no real text), each with a run of
//! consecutive years whose 表三 carry-overs chain, in the 2019 and 2021 formats, mostly as web
//! pages (merged cells, site chrome) and some as flattened text, a few with a deliberate defect.
//! Deterministic: report `i` is always the same.

use std::fmt::Write as _;

/// Counties and departments the issuers are made of.
const PLACES: &[&str] = &[
    "青禾", "白石", "云岭", "松溪", "临川", "桐湾", "柳塘", "石门", "安宁", "丰泽", "清源", "望江",
    "梅林", "长汀", "泉山", "兰溪",
];
const LEVELS: &[&str] = &["县", "区", "市"];
const BODIES: &[&str] = &[
    "人民政府",
    "教育局",
    "财政局",
    "自然资源局",
    "卫生健康委员会",
    "人力资源和社会保障局",
];

/// Years in each issuer's run.
const YEARS: i32 = 6;
const FIRST_YEAR: i32 = 2019;

const T3_RESULTS_2021: &[(&str, &str, Option<&str>)] = &[
    ("（一）", "（一）予以公开", None),
    (
        "（二）",
        "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
        None,
    ),
    ("（三）1", "1.属于国家秘密", Some("（三）不予公开")),
    (
        "（三）2",
        "2.其他法律行政法规禁止公开",
        Some("（三）不予公开"),
    ),
    ("（三）3", "3.危及“三安全一稳定”", Some("（三）不予公开")),
    ("（三）4", "4.保护第三方合法权益", Some("（三）不予公开")),
    ("（三）5", "5.属于三类内部事务信息", Some("（三）不予公开")),
    ("（三）6", "6.属于四类过程性信息", Some("（三）不予公开")),
    ("（三）7", "7.属于行政执法案卷", Some("（三）不予公开")),
    ("（三）8", "8.属于行政查询事项", Some("（三）不予公开")),
    (
        "（四）1",
        "1.本机关不掌握相关政府信息",
        Some("（四）无法提供"),
    ),
    (
        "（四）2",
        "2.没有现成信息需要另行制作",
        Some("（四）无法提供"),
    ),
    (
        "（四）3",
        "3.补正后申请内容仍不明确",
        Some("（四）无法提供"),
    ),
    ("（五）1", "1.信访举报投诉类申请", Some("（五）不予处理")),
    ("（五）2", "2.重复申请", Some("（五）不予处理")),
    ("（五）3", "3.要求提供公开出版物", Some("（五）不予处理")),
    (
        "（五）4",
        "4.无正当理由大量反复申请",
        Some("（五）不予处理"),
    ),
    (
        "（五）5",
        "5.要求行政机关确认或重新出具已获取信息",
        Some("（五）不予处理"),
    ),
    (
        "（六）1",
        "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
        Some("（六）其他处理"),
    ),
    (
        "（六）2",
        "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
        Some("（六）其他处理"),
    ),
    ("（六）3", "3.其他", Some("（六）其他处理")),
];

/// A small deterministic generator (SplitMix64): the same report for the same index.
struct Random(u64);

impl Random {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `0..bound`.
    fn below(&mut self, bound: u64) -> u64 {
        self.next() % bound.max(1)
    }
}

/// A generated report: its file name and its bytes.
pub struct Report {
    /// A file name (`0001-青禾县人民政府-2021.html`).
    pub name: String,
    /// The contents (UTF-8).
    pub text: String,
}

fn issuer(series: usize) -> String {
    let place = PLACES[series % PLACES.len()];
    let level = LEVELS[(series / PLACES.len()) % LEVELS.len()];
    let body = BODIES[(series / (PLACES.len() * LEVELS.len())) % BODIES.len()];
    let round = series / (PLACES.len() * LEVELS.len() * BODIES.len());
    if round == 0 {
        format!("{place}{level}{body}")
    } else {
        format!("{place}{level}第{round}{body}")
    }
}

/// Seven values (six applicant columns and their total).
fn with_total(values: [u64; 6]) -> Vec<u64> {
    let mut out = values.to_vec();
    out.push(values.iter().sum());
    out
}

/// A row of 表三: key, label, group label, seven values.
type T3Row = (String, String, Option<String>, Vec<u64>);

/// 表三 for one year, consistent; the carry-over out is returned.
fn table3(random: &mut Random, carried_in: [u64; 6], edition_2021: bool) -> (Vec<T3Row>, [u64; 6]) {
    let mut results: Vec<(String, String, Option<String>, [u64; 6])> = Vec::new();
    let mut handled = [0u64; 6];
    for (key, label, group) in T3_RESULTS_2021 {
        let mut values = [0u64; 6];
        // Most requests are from individuals and are granted; the rest are rare.
        let scale = match *key {
            "（一）" => 40,
            "（二）" | "（四）1" => 8,
            _ => 2,
        };
        for (column, value) in values.iter_mut().enumerate() {
            let weight = if column == 0 { scale } else { scale / 4 };
            *value = random.below(weight + 1);
        }
        for (total, value) in handled.iter_mut().zip(values) {
            *total += value;
        }
        results.push((
            (*key).to_owned(),
            (*label).to_owned(),
            group.map(str::to_owned),
            values,
        ));
    }
    if !edition_2021 {
        // The 2019 format has one （六）其他处理 row.
        let merged = results
            .iter()
            .filter(|(key, ..)| key.starts_with("（六）"))
            .fold([0u64; 6], |mut sum, (.., values)| {
                for (s, v) in sum.iter_mut().zip(values) {
                    *s += v;
                }
                sum
            });
        results.retain(|(key, ..)| !key.starts_with("（六）"));
        results.push((
            "（六）".to_owned(),
            "（六）其他处理".to_owned(),
            None,
            merged,
        ));
    }
    let mut carried_out = [0u64; 6];
    let mut new = [0u64; 6];
    for column in 0..6 {
        carried_out[column] = random.below(if column == 0 { 4 } else { 2 });
        // 新收 + 结转 = 办理 + 结转下年, so 新收 follows.
        new[column] = (handled[column] + carried_out[column]).saturating_sub(carried_in[column]);
        carried_out[column] = new[column] + carried_in[column] - handled[column];
    }
    let mut rows = vec![
        (
            "一".to_owned(),
            "一、本年新收政府信息公开申请数量".to_owned(),
            None,
            with_total(new),
        ),
        (
            "二".to_owned(),
            "二、上年结转政府信息公开申请数量".to_owned(),
            None,
            with_total(carried_in),
        ),
    ];
    rows.extend(
        results
            .into_iter()
            .map(|(key, label, group, values)| (key, label, group, with_total(values))),
    );
    rows.push((
        "（七）".to_owned(),
        "（七）总计".to_owned(),
        None,
        with_total(handled),
    ));
    rows.push((
        "四".to_owned(),
        "四、结转下年度继续办理".to_owned(),
        None,
        with_total(carried_out),
    ));
    (rows, carried_out)
}

fn td(text: &str, colspan: usize, rowspan: usize) -> String {
    let mut attrs = String::new();
    if colspan > 1 {
        let _ = write!(attrs, " colspan=\"{colspan}\"");
    }
    if rowspan > 1 {
        let _ = write!(attrs, " rowspan=\"{rowspan}\"");
    }
    format!("<td{attrs}><p>{text}</p></td>")
}

/// The state of one issuer's run of reports.
struct Year {
    issuer: String,
    year: i32,
    edition_2021: bool,
    t2: Vec<(&'static str, Vec<String>)>,
    t3: Vec<T3Row>,
    t4: Vec<u64>,
}

fn year_data(series: usize, offset: i32) -> Year {
    let mut random = Random(u64::try_from(series).unwrap_or(0).wrapping_mul(7919));
    let mut carried = [3, 1, 0, 0, 0, 0];
    let mut in_force = 40 + random.below(20);
    let mut t3 = Vec::new();
    let mut t2 = Vec::new();
    for step in 0..=offset {
        let year = FIRST_YEAR + step;
        let edition_2021 = year >= 2021;
        let (rows, out) = table3(&mut random, carried, edition_2021);
        carried = out;
        t3 = rows;
        let made = random.below(10);
        let repealed = random.below(4).min(in_force);
        in_force = in_force + made - repealed;
        t2 = if edition_2021 {
            vec![
                ("规章", vec!["0".to_owned(), "0".to_owned(), "0".to_owned()]),
                (
                    "行政规范性文件",
                    vec![made.to_string(), repealed.to_string(), in_force.to_string()],
                ),
                ("行政许可", vec![(500 + random.below(900)).to_string()]),
                ("行政处罚", vec![(100 + random.below(300)).to_string()]),
                ("行政强制", vec![random.below(30).to_string()]),
                (
                    "行政事业性收费",
                    vec![format!("{}.{}", random.below(90), random.below(10))],
                ),
            ]
        } else {
            vec![
                ("规章", vec!["0".to_owned(), "0".to_owned(), "0".to_owned()]),
                (
                    "规范性文件",
                    vec![made.to_string(), made.to_string(), in_force.to_string()],
                ),
                (
                    "行政许可",
                    vec![
                        (60 + random.below(40)).to_string(),
                        "0".to_owned(),
                        (500 + random.below(900)).to_string(),
                    ],
                ),
                (
                    "其他对外管理服务事项",
                    vec![
                        (20 + random.below(20)).to_string(),
                        "-1".to_owned(),
                        (100 + random.below(400)).to_string(),
                    ],
                ),
                (
                    "行政处罚",
                    vec![
                        (150 + random.below(100)).to_string(),
                        "0".to_owned(),
                        (100 + random.below(300)).to_string(),
                    ],
                ),
                (
                    "行政强制",
                    vec![
                        (10 + random.below(10)).to_string(),
                        "0".to_owned(),
                        random.below(30).to_string(),
                    ],
                ),
                (
                    "行政事业性收费",
                    vec![(10 + random.below(10)).to_string(), "0".to_owned()],
                ),
                (
                    "政府集中采购",
                    vec![
                        (20 + random.below(30)).to_string(),
                        format!("{}.5", 500 + random.below(900)),
                    ],
                ),
            ]
        };
    }
    let mut t4 = Vec::new();
    for _ in 0..3 {
        let group: Vec<u64> = (0..4).map(|_| random.below(3)).collect();
        let total = group.iter().sum();
        t4.extend(group);
        t4.push(total);
    }
    Year {
        issuer: issuer(series),
        year: FIRST_YEAR + offset,
        edition_2021: FIRST_YEAR + offset >= 2021,
        t2,
        t3,
        t4,
    }
}

fn t2_groups(edition_2021: bool) -> Vec<(&'static str, Vec<&'static str>, Vec<&'static str>)> {
    if edition_2021 {
        vec![
            (
                "第二十条第（一）项",
                vec!["本年制发件数", "本年废止件数", "现行有效件数"],
                vec!["规章", "行政规范性文件"],
            ),
            (
                "第二十条第（五）项",
                vec!["本年处理决定数量"],
                vec!["行政许可"],
            ),
            (
                "第二十条第（六）项",
                vec!["本年处理决定数量"],
                vec!["行政处罚", "行政强制"],
            ),
            (
                "第二十条第（八）项",
                vec!["本年收费金额（单位：万元）"],
                vec!["行政事业性收费"],
            ),
        ]
    } else {
        vec![
            (
                "第二十条第（一）项",
                vec!["本年新制作数量", "本年新公开数量", "对外公开总数量"],
                vec!["规章", "规范性文件"],
            ),
            (
                "第二十条第（五）项",
                vec!["上一年项目数量", "本年增/减", "处理决定数量"],
                vec!["行政许可", "其他对外管理服务事项"],
            ),
            (
                "第二十条第（六）项",
                vec!["上一年项目数量", "本年增/减", "处理决定数量"],
                vec!["行政处罚", "行政强制"],
            ),
            (
                "第二十条第（八）项",
                vec!["上一年项目数量", "本年增/减"],
                vec!["行政事业性收费"],
            ),
            (
                "第二十条第（九）项",
                vec!["采购项目数量", "采购总金额（单位：万元）"],
                vec!["政府集中采购"],
            ),
        ]
    }
}

fn sections(data: &Year) -> Vec<(&'static str, Vec<String>)> {
    let fee = if data.edition_2021 {
        "本年度未收取信息处理费。"
    } else {
        "本年度未收取政府信息公开相关费用。"
    };
    vec![
        (
            "一、总体情况",
            vec![
                format!(
                    "{}年，{}坚持以公开为常态、不公开为例外，扎实推进政府信息公开工作。",
                    data.year, data.issuer
                ),
                "（一）主动公开政府信息情况".to_owned(),
                "依托门户网站、政务新媒体及时发布政策文件、政策解读和重点领域信息。".to_owned(),
                "（二）依申请公开情况".to_owned(),
                "规范申请登记、审核、办理、答复、归档各环节，按期答复。".to_owned(),
            ],
        ),
        ("二、主动公开政府信息情况", vec!["[T2]".to_owned()]),
        (
            "三、收到和处理政府信息公开申请情况",
            vec!["[T3]".to_owned()],
        ),
        (
            "四、政府信息公开行政复议、行政诉讼情况",
            vec!["[T4]".to_owned()],
        ),
        (
            "五、存在的主要问题及改进情况",
            vec!["个别单位信息更新不够及时。下一步将加强督促检查，提升公开质量。".to_owned()],
        ),
        ("六、其他需要报告的事项", vec![fee.to_owned()]),
    ]
}

fn html_t2(data: &Year) -> String {
    let mut out = String::from("<table border=\"1\">\n");
    let mut values = data.t2.iter();
    for (caption, header, rows) in t2_groups(data.edition_2021) {
        let width = header.len() + 1;
        let _ = writeln!(out, "<tr>{}</tr>", td(caption, width, 1));
        let _ = write!(out, "<tr>{}", td("信息内容", 1, 1));
        for name in &header {
            let _ = write!(out, "{}", td(name, 1, 1));
        }
        out.push_str("</tr>\n");
        for label in rows {
            let Some((_, cells)) = values.next() else {
                break;
            };
            let _ = write!(out, "<tr>{}", td(label, 1, 1));
            for cell in cells {
                let _ = write!(out, "{}", td(cell, 1, 1));
            }
            out.push_str("</tr>\n");
        }
    }
    out.push_str("</table>\n");
    out
}

fn html_t3(data: &Year) -> String {
    let mut out = String::from("<table border=\"1\">\n");
    let _ = writeln!(
        out,
        "<tr>{}{}</tr>",
        td(
            "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）",
            3,
            3
        ),
        td("申请人情况", 7, 1)
    );
    let _ = writeln!(
        out,
        "<tr>{}{}{}</tr>",
        td("自然人", 1, 2),
        td("法人或其他组织", 5, 1),
        td("总计", 1, 2)
    );
    out.push_str("<tr>");
    for name in [
        "商业企业",
        "科研机构",
        "社会公益组织",
        "法律服务机构",
        "其他",
    ] {
        out.push_str(&td(name, 1, 1));
    }
    out.push_str("</tr>\n");
    let result_rows = data
        .t3
        .iter()
        .filter(|(key, ..)| key.starts_with('（') && key != "（七）")
        .count()
        + 1;
    let mut last_group: Option<&str> = None;
    for (key, label, group, values) in &data.t3 {
        out.push_str("<tr>");
        if key == "（一）" {
            out.push_str(&td("三、本年度办理结果", 1, result_rows));
        }
        let cells: String = values.iter().map(|v| td(&v.to_string(), 1, 1)).collect();
        match group.as_deref() {
            _ if ["一", "二", "四"].contains(&key.as_str()) => {
                out.push_str(&td(label, 3, 1));
            }
            Some(group) => {
                if last_group != Some(group) {
                    let span = data
                        .t3
                        .iter()
                        .filter(|(.., g, _)| g.as_deref() == Some(group))
                        .count();
                    out.push_str(&td(group, 1, span));
                }
                out.push_str(&td(label, 1, 1));
            }
            None => out.push_str(&td(label, 2, 1)),
        }
        last_group = group.as_deref();
        out.push_str(&cells);
        out.push_str("</tr>\n");
    }
    out.push_str("</table>\n");
    out
}

fn html_t4(data: &Year) -> String {
    let mut out = String::from("<table border=\"1\">\n");
    let _ = writeln!(
        out,
        "<tr>{}{}</tr>",
        td("行政复议", 5, 1),
        td("行政诉讼", 10, 1)
    );
    let _ = write!(out, "<tr>");
    for name in ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] {
        out.push_str(&td(name, 1, 2));
    }
    let _ = writeln!(
        out,
        "{}{}</tr>",
        td("未经复议直接起诉", 5, 1),
        td("复议后起诉", 5, 1)
    );
    out.push_str("<tr>");
    for _ in 0..2 {
        for name in ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] {
            out.push_str(&td(name, 1, 1));
        }
    }
    out.push_str("</tr>\n<tr>");
    for value in &data.t4 {
        out.push_str(&td(&value.to_string(), 1, 1));
    }
    out.push_str("</tr>\n</table>\n");
    out
}

fn preamble(data: &Year, period_year: i32) -> Vec<String> {
    let basis = if data.edition_2021 {
        "（国办公开办函〔2021〕30号）"
    } else {
        "（国办公开办函〔2019〕60号）"
    };
    vec![
        format!(
            "本报告根据《中华人民共和国政府信息公开条例》和《中华人民共和国政府信息公开工作年度报告格式》{basis}编制。"
        ),
        format!("本报告中所列数据的统计期限自{period_year}年1月1日起至{period_year}年12月31日止。"),
    ]
}

fn text_t(data: &Year, marker: &str) -> Vec<String> {
    let mut lines = Vec::new();
    match marker {
        "[T2]" => {
            let mut values = data.t2.iter();
            for (caption, header, rows) in t2_groups(data.edition_2021) {
                lines.push(caption.to_owned());
                lines.push("信息内容".to_owned());
                lines.extend(header.iter().map(|h| (*h).to_owned()));
                for label in rows {
                    let Some((_, cells)) = values.next() else {
                        break;
                    };
                    lines.push(label.to_owned());
                    lines.extend(cells.iter().cloned());
                }
            }
        }
        "[T3]" => {
            lines.extend(
                [
                    "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）",
                    "申请人情况",
                    "自然人",
                    "法人或其他组织",
                    "总计",
                    "商业企业",
                    "科研机构",
                    "社会公益组织",
                    "法律服务机构",
                    "其他",
                ]
                .iter()
                .map(|s| (*s).to_owned()),
            );
            let mut last_group: Option<&str> = None;
            for (key, label, group, values) in &data.t3 {
                if key == "（一）" {
                    lines.push("三、本年度办理结果".to_owned());
                }
                if let Some(group) = group.as_deref()
                    && last_group != Some(group)
                {
                    lines.push(group.to_owned());
                }
                last_group = group.as_deref();
                lines.push(label.clone());
                lines.extend(values.iter().map(ToString::to_string));
            }
        }
        _ => {
            lines.extend(["行政复议", "行政诉讼"].iter().map(|s| (*s).to_owned()));
            lines.extend(data.t4.iter().map(ToString::to_string));
        }
    }
    lines
}

/// Report number `index` of a generated set: issuers in runs of six consecutive years
/// (2019–2024); about one in four as flattened text, the rest as web pages; one in seven with a
/// 表三 total off by one, one in eleven without section 五, one in thirteen with last year's
/// statistical period.
pub fn report(index: usize) -> Report {
    let series = index / usize::try_from(YEARS).unwrap_or(1);
    let offset = i32::try_from(index % usize::try_from(YEARS).unwrap_or(1)).unwrap_or(0);
    let mut data = year_data(series, offset);
    if index % 7 == 3
        && let Some(row) = data.t3.iter_mut().find(|(key, ..)| key == "（七）")
    {
        row.3[6] += 1;
    }
    let period_year = if index % 13 == 7 {
        data.year - 1
    } else {
        data.year
    };
    let mut sections = sections(&data);
    if index % 11 == 5 {
        sections.retain(|(heading, _)| !heading.starts_with("五、"));
    }
    let title = format!("{}{}年政府信息公开工作年度报告", data.issuer, data.year);
    let text_form = index % 4 == 1;
    let text = if text_form {
        let mut lines = vec![
            "政府信息公开年报".to_owned(),
            title.clone(),
            format!("发布时间：{}-01-20", data.year + 1),
        ];
        lines.extend(preamble(&data, period_year));
        for (heading, body) in &sections {
            lines.push((*heading).to_owned());
            for paragraph in body {
                if paragraph.starts_with("[T") {
                    lines.extend(text_t(&data, paragraph));
                } else {
                    lines.push(paragraph.clone());
                }
            }
        }
        lines.join("\n\n") + "\n"
    } else {
        let mut body = String::new();
        for paragraph in preamble(&data, period_year) {
            let _ = writeln!(body, "<p>{paragraph}</p>");
        }
        for (heading, paragraphs) in &sections {
            let _ = writeln!(body, "<p><strong>{heading}</strong></p>");
            for paragraph in paragraphs {
                match paragraph.as_str() {
                    "[T2]" => body.push_str(&html_t2(&data)),
                    "[T3]" => body.push_str(&html_t3(&data)),
                    "[T4]" => body.push_str(&html_t4(&data)),
                    text => {
                        let _ = writeln!(body, "<p>{text}</p>");
                    }
                }
            }
        }
        format!(
            "<!DOCTYPE html>\n<html>\n<head>\n<meta charset=\"utf-8\">\n<title>{title}_{issuer}门户网站</title>\n\
             <script>var siteId = {index};</script>\n</head>\n<body>\n\
             <div class=\"top-nav\">首页 | 政务公开 | 政务服务 | 互动交流</div>\n\
             <div class=\"article\">\n<h1>{title}</h1>\n<div class=\"info\">发布时间：{}-01-20</div>\n\
             <div class=\"content\">\n{body}</div>\n</div>\n<div class=\"footer\">版权所有 {issuer}</div>\n</body>\n</html>\n",
            data.year + 1,
            issuer = data.issuer,
        )
    };
    let extension = if text_form { "txt" } else { "html" };
    Report {
        name: format!("{index:05}-{}-{}.{extension}", data.issuer, data.year),
        text,
    }
}
