//! What the issuer's name tells: whether it can make 规章 (T007) and which publication deadline
//! it has (P003). Names matching no pattern are not judged.
#![allow(
    clippy::unwrap_used,
    reason = "test code: a failed unwrap is a failed test"
)]

mod common;

use common::{registry, root};
use xxgk_lint::lint;
use xxgk_lint::source::SourceKind;

/// The codes of a rule's findings on the good 2021 report retitled for `issuer`, with `edit`
/// applied to its text.
fn fired(code: &str, issuer: &str, edit: impl Fn(String) -> String) -> bool {
    let text = std::fs::read_to_string(root().join("fixtures/reports/2021-good.txt")).unwrap();
    let text = edit(text.replace("青禾县人民政府2021年", &format!("{issuer}2021年")));
    let result = lint::check_bytes(
        text.as_bytes(),
        Some(SourceKind::Text),
        "x.txt",
        &registry(),
    );
    assert!(result.report.unwrap().issuer.as_deref() == Some(issuer));
    result.diagnostics.iter().any(|d| d.code == code)
}

#[test]
fn regulations_from_bodies_that_cannot_make_them() {
    let with_regulations = |text: String| {
        assert!(text.contains("规章\n\n0\n\n0\n\n0"));
        text.replace("规章\n\n0\n\n0\n\n0", "规章\n\n0\n\n0\n\n2")
    };
    for issuer in [
        "青禾县人民政府",
        "青禾县教育局",
        "青禾自治县人民政府",
        "青禾旗人民政府",
        "青禾市清河区人民政府",
        "青禾市清河区民政局",
        "青禾市公安局清河区分局",
        "青禾县清溪镇人民政府",
        "青禾市清河区青山街道办事处",
        "青禾县白云乡",
    ] {
        assert!(fired("T007", issuer, with_regulations), "{issuer}");
    }
    for issuer in [
        "青禾市人民政府",
        "青禾市司法局",
        "青禾省人民政府",
        "青禾壮族自治区人民政府",
        "青禾自治州人民政府",
        "镇川市人民政府",
        "青禾市经济技术开发区管委会",
        "青禾市高新区管理委员会",
        "青禾综合实验区",
        // 「区」that is not a district of the city.
        "青禾市社区矫正管理局",
        "青禾市景区管理委员会",
        "青禾市库区移民开发局",
    ] {
        assert!(!fired("T007", issuer, with_regulations), "{issuer}");
    }
    // Without 规章 figures there is nothing to say.
    assert!(!fired("T007", "青禾县清溪镇人民政府", |text| {
        text
    }));
}

#[test]
fn the_deadline_follows_the_kind_of_issuer() {
    // Published 15 February: late for a department (31 January), on time for a government.
    let february = |text: String| text.replace("发布时间：2022-01-20", "发布时间：2022-02-15");
    for issuer in [
        "青禾县教育局",
        "青禾市人民政府办公室",
        "青禾省财政厅",
        "青禾市发展和改革委员会",
        "青禾市人民政府国有资产监督管理委员会",
        "青禾市城市管理委员会",
    ] {
        assert!(fired("P003", issuer, february), "{issuer}");
    }
    for issuer in [
        "青禾县人民政府",
        "青禾市人民政府",
        "青禾县清溪镇人民政府",
        "青禾经济开发区管理委员会",
        "青禾县",
        "青禾综合实验区",
    ] {
        assert!(!fired("P003", issuer, february), "{issuer}");
    }
    // 1 April is late for a government; a body of unknown type is still not judged.
    let april = |text: String| text.replace("发布时间：2022-01-20", "发布时间：2022-04-01");
    assert!(fired("P003", "青禾县人民政府", april));
    assert!(!fired("P003", "青禾综合实验区", april));
}
