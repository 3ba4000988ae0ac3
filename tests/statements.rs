//! What the text states, sentence by sentence: the claims N004 takes as contradicting the tables
//! or the text, and the year mentions N005 takes as work statements of another year — and the
//! many sentences each must leave alone. Each sentence is put into a consistent 2021 report
//! (`fixtures/reports/2021-good.txt`: 表三 carries 2 over, 表四 has 4 行政复议 and 2 行政诉讼).
#![allow(
    clippy::unwrap_used,
    reason = "test code: a failed unwrap is a failed test"
)]

mod common;

use common::{registry, root};
use xxgk_lint::lint;
use xxgk_lint::source::SourceKind;

const SENTENCE: &str =
    "规范申请登记、审核、办理、答复、归档各环节，全年依法答复各类申请，未发生超期答复。";

/// The codes of N004 and N005 findings (with their severity) in the good report with `sentence`
/// in place of one of its own.
fn findings(sentence: &str) -> Vec<String> {
    let text = std::fs::read_to_string(root().join("fixtures/reports/2021-good.txt")).unwrap();
    assert!(text.contains(SENTENCE));
    let text = text.replace(SENTENCE, sentence);
    let result = lint::check_bytes(
        text.as_bytes(),
        Some(SourceKind::Text),
        "x.txt",
        &registry(),
    );
    assert!(result.not_assessable.is_empty(), "{sentence}");
    result
        .diagnostics
        .iter()
        .filter(|d| d.code == "N004" || d.code == "N005")
        .map(|d| format!("{} {}", d.code, d.severity.name()))
        .collect()
}

#[test]
fn claims_contradicted_by_the_tables_or_the_text() {
    for (sentence, expected) in [
        (
            "全年共收到政府信息公开申请62件，已全部办结。",
            vec!["N004 warning"],
        ),
        ("所有申请均已按要求办理完成。", vec!["N004 warning"]),
        ("本年度申请无结转。", vec!["N004 warning"]),
        ("本年度无结转下年度办理的申请。", vec!["N004 warning"]),
        ("收到的申请均在法定期限内予以答复。", vec!["N004 info"]),
        ("全年未发生行政复议。", vec!["N004 warning"]),
        (
            "全年没有发生因政府信息公开申请引起的行政诉讼。",
            vec!["N004 warning"],
        ),
        (
            "全年无行政复议、行政诉讼案件。",
            vec!["N004 warning", "N004 warning"],
        ),
        // Section 六 of the report says 本年度未收取信息处理费 too: both claims are contradicted.
        (
            "全年未收取信息处理费。全年共收取信息处理费3笔，合计300元。",
            vec!["N004 warning", "N004 warning"],
        ),
        ("全年共收取信息处理费1.2万元。", vec!["N004 warning"]),
    ] {
        assert_eq!(findings(sentence), expected, "{sentence}");
    }
}

#[test]
fn claims_about_something_else_are_left_alone() {
    for sentence in [
        // Other subjects, part of the applications, a negated claim.
        "网民留言、咨询投诉均已办结。",
        "人大建议和政协提案均已按时办结。",
        "上年结转的申请均已办结。",
        "上年无结转申请。",
        "收到的申请中，除2件仍在办理外，均已办结。",
        "未能全部办结的申请已结转下年度继续办理。",
        "收到的申请中2件结转下年度继续办理，其余均已办结。",
        "收到的申请已全部办结，另有2件结转至下一年度办理。",
        "已办结的申请均在法定期限内予以答复，另有2件结转下年度继续办理。",
        // What happened to appeals, not whether there were any; goals; another year.
        "未发生行政复议决定被撤销的情况。",
        "尚未审结的行政复议案件1件。",
        "未经行政复议直接提起行政诉讼2件。",
        "力争不发生行政复议和行政诉讼，避免无行政复议纠错。",
        "2020年未发生行政复议、行政诉讼。",
        // The fee standard is not an amount collected.
        "全年未收取信息处理费。信息处理费按每件100元的标准收取。",
        "全年未收取信息处理费，收费金额为0元。",
    ] {
        assert_eq!(findings(sentence), Vec::<String>::new(), "{sentence}");
    }
}

#[test]
fn work_statements_of_another_year() {
    for sentence in [
        "2020年，本局共收到政府信息公开申请62件。",
        "2020年全年，全县主动公开政府信息2315条。",
        "本机关2020年度收到政府信息公开申请62件。",
        "我县2022年共受理政府信息公开申请62件。",
    ] {
        assert_eq!(findings(sentence), vec!["N005 warning"], "{sentence}");
    }
}

#[test]
fn other_years_in_their_place_are_left_alone() {
    for sentence in [
        "2022年，本局将进一步规范依申请公开工作。",
        "2022年，全县持续深化政务公开。",
        "较2020年，全县收到申请增加12件。",
        "2020年以来，全县政府信息公开申请逐年增加。",
        "截至2020年12月31日，全县共有政府信息公开目录3000条。",
        "依照《青禾县2020年政务公开工作要点》，全县扎实推进各项工作。",
        "根据青政办〔2020〕12号文件，全县收到申请62件。",
        "2020年，全县收到申请50件，2021年增加到62件。",
        "2020年，全县收到申请50件。2021年，全县收到申请62件。",
        "本机关2021年度收到政府信息公开申请62件。",
    ] {
        assert_eq!(findings(sentence), Vec::<String>::new(), "{sentence}");
    }
}
