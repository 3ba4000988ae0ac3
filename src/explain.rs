//! A rule's documentation as `xxgk-lint explain` prints it. The text lives here, not in the CLI,
//! so that the web page shows the same words as the terminal.

use std::fmt::Write as _;

use crate::lint::ENGINE_CODES;
use crate::rules::{Registry, Rule};

/// The format eras a rule applies to, comma-separated (`全部` when it applies to all).
pub fn eras(rule: &Rule) -> String {
    rule.eras.as_ref().map_or_else(
        || "全部".to_owned(),
        |eras| {
            eras.iter()
                .map(|era| era.name())
                .collect::<Vec<_>>()
                .join(",")
        },
    )
}

/// The documentation of the rule or engine code with this code or name (case-insensitive), or
/// `None` when there is none.
pub fn explain(registry: &Registry, wanted: &str) -> Option<String> {
    let wanted = wanted.trim();
    let mut out = String::new();
    if let Some(rule) = registry.rules().iter().find(|rule| {
        rule.code.eq_ignore_ascii_case(wanted) || rule.name.eq_ignore_ascii_case(wanted)
    }) {
        // Writing to a String cannot fail: the results are ignored.
        let _ = write!(out, "{} {} — {}\n\n", rule.code, rule.name, rule.summary);
        let _ = write!(out, "严重程度：{}", rule.severity.name());
        for entry in rule.severities.describe() {
            let _ = write!(out, "（{entry}）");
        }
        out.push('\n');
        let _ = writeln!(out, "适用格式：{}", eras(rule));
        let _ = write!(out, "依据：{}\n\n", rule.clause);
        let _ = write!(out, "检查什么\n  {}\n\n", rule.docs.what);
        let _ = write!(out, "为什么\n  {}\n\n", rule.docs.why);
        let _ = write!(out, "示例\n  {}\n\n", rule.docs.example);
        let _ = writeln!(out, "规则文件：{}", rule.source);
        return Some(out);
    }
    let engine = ENGINE_CODES.iter().find(|engine| {
        engine.code.eq_ignore_ascii_case(wanted) || engine.name.eq_ignore_ascii_case(wanted)
    })?;
    let _ = write!(
        out,
        "{} {} — {}\n\n严重程度：{}\n这是引擎本身报告的问题（文件无法读取、豁免文件等），不是规则文件定义的检查。\n",
        engine.code,
        engine.name,
        engine.summary,
        engine.severity.name()
    );
    Some(out)
}

/// The code or name closest to `wanted`, for a "did you mean" when [`explain`] finds nothing.
pub fn closest<'a>(registry: &'a Registry, wanted: &str) -> Option<&'a str> {
    let candidates = registry
        .rules()
        .iter()
        .flat_map(|rule| [rule.code.as_str(), rule.name.as_str()])
        .chain(ENGINE_CODES.iter().flat_map(|e| [e.code, e.name]));
    crate::text::closest(wanted.trim(), candidates)
}
