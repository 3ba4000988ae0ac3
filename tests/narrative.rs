//! Narrative figures against the tables (N001–N003) on sentences written the many ways reports
//! write them: which are compared, and which must be left alone (comparisons with last year,
//! cumulative figures, other kinds of applications, a number of another clause).
#![allow(
    clippy::unwrap_used,
    reason = "test code: a failed unwrap is a failed test"
)]

mod common;

use xxgk_lint::lint::check_bytes;
use xxgk_lint::source::SourceKind;

/// The fixture report's tables (一 62, 二 4, （七）64, 四 2, （一）24, 表四 复议 4, 诉讼 2) with
/// `narrative` as its paragraph on applications; the codes of the findings.
fn codes(narrative: &str) -> Vec<String> {
    let text = std::fs::read_to_string(
        common::root().join("fixtures/rules/narrative-table-mismatch/pass-2021-narrative.txt"),
    )
    .unwrap();
    let paragraph = text
        .lines()
        .find(|line| line.starts_with("全年共收到政府信息公开申请"))
        .unwrap()
        .to_owned();
    let text = text.replace(&paragraph, narrative);
    let result = check_bytes(
        text.as_bytes(),
        Some(SourceKind::Text),
        "narrative.txt",
        &common::registry(),
    );
    result
        .diagnostics
        .iter()
        .map(|d| {
            format!(
                "{} {}",
                d.code,
                d.found.map_or(String::new(), |f| f.to_string())
            )
        })
        .collect()
}

#[test]
fn counts_that_agree_in_any_documented_base_pass() {
    for sentence in [
        "全年共收到政府信息公开申请62件。",
        "本年度全区共收到62件申请，及时依法依规办结64件，2件结转下年度继续办理。",
        "共受理依申请公开申请66件（含上年结转4件）。",
        "收到自然人申请52件，收到法人或其他组织申请10件。",
        "本年度被申请行政复议四起，提起行政诉讼两起。",
        "共办结各类申请64件，其中予以公开24件，占37.5%，部分公开7件，不予公开10件，无法提供17件，不予处理3件，其他处理3件。",
        "予以公开和部分公开31件。",
        "2021年，全区共收到政府信息公开申请62件，共办结64件，结转至2022年2件。",
    ] {
        assert_eq!(codes(sentence), Vec::<String>::new(), "{sentence}");
    }
}

#[test]
fn figures_that_are_not_this_years_count_of_that_thing_are_left_alone() {
    for sentence in [
        // Comparisons, cumulative and approximate figures.
        "全年共收到政府信息公开申请62件，较上年增加5件。",
        "收到申请数量同比增长12件。",
        "2020年收到申请55件，2021年收到申请62件。",
        "截至目前累计收到申请300件。",
        "近三年共收到申请180件。",
        "全年答复群众咨询300余件。",
        // Other kinds of application, other matters handled.
        "全年受理政务服务事项申请12000件，办理行政许可申请3500件。",
        "收到人大代表建议和政协委员提案26件。",
        "受理各类群众诉求259起。",
        // A number of another clause: 5 is what was added, not what was received.
        "共收到政府信息公开申请62件，其中网上申请57件，信函申请5件。",
        // Units that do not count applications.
        "本报告共分6个部分，因政府信息公开申请行政复议、提起行政诉讼的情况是其中之一。",
        // A 规范性文件 count of another kind (cleaned up, not issued).
        "全年清理规范性文件30件。",
        // The figure's own words after it name another thing; a column of 表四, not its total.
        "已办结的申请均在法定期限内予以答复，另有2件结转下年度继续办理。",
        "未发生行政复议决定被撤销的情况，尚未审结的行政复议1件。",
    ] {
        assert_eq!(codes(sentence), Vec::<String>::new(), "{sentence}");
    }
}

#[test]
fn counts_that_agree_with_no_base_are_reported_with_the_figure_written() {
    assert_eq!(codes("全年共收到政府信息公开申请65件。"), ["N001 65"]);
    assert_eq!(
        codes("全年共收到政府信息公开申请一百二十三件。"),
        ["N001 123"]
    );
    assert_eq!(codes("依法予以公开20件。"), ["N001 20"]);
    assert_eq!(codes("结转下年度3件。"), ["N001 3"]);
    assert_eq!(codes("因政府信息公开被申请行政复议0件。"), ["N001 0"]);
    assert_eq!(codes("收到自然人申请50件。"), ["N001 50"]);
}

#[test]
fn shares_and_parts() {
    assert_eq!(
        codes("共办结申请64件，其中予以公开24件（37.5%）。"),
        Vec::<String>::new()
    );
    assert_eq!(
        codes("共办结申请64件，其中予以公开24件，占38.7%。"),
        Vec::<String>::new()
    );
    assert_eq!(
        codes("共办结申请64件，其中予以公开24件，占40%。"),
        ["N002 "]
    );
    assert_eq!(
        codes("共公开信息100条，其中政策文件60条（含解读10条）、其他40条。"),
        Vec::<String>::new()
    );
    assert_eq!(
        codes("共公开信息100条，其中政策文件60条、其他41条。"),
        ["N003 "]
    );
}
