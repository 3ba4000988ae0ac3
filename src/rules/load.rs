//! Reading rule files. Two passes keep every error spanned: first only `check.kind` is read, then
//! the whole file is read again typed for that kind, with unknown keys refused (no `flatten`, no
//! tagged enums: both lose spans in serde).

use std::collections::BTreeMap;
use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;
use serde::Deserialize;
use serde::de::DeserializeOwned;
use thiserror::Error;
use toml::Spanned;

use super::kinds::{self, MessageSpec};
use super::template::placeholders;
use super::{Rule, RuleDocs};
use crate::diagnostic::Severity;
use crate::model::{Era, ReportKind};
use crate::text::LineIndex;

/// A rule file that cannot be used, with the place in the file.
#[derive(Debug, Error)]
#[error("{path}:{line}:{column}: {message}")]
pub struct LoadError {
    /// The rule file.
    pub path: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
    /// What is wrong, in Chinese.
    pub message: String,
}

/// A rule file being read: its path and text, for spanned errors.
pub(crate) struct RuleSource<'a> {
    pub(crate) path: &'a str,
    pub(crate) text: &'a str,
}

impl RuleSource<'_> {
    /// An error at a byte span of the file.
    pub(crate) fn error(&self, span: Range<usize>, message: impl Into<String>) -> LoadError {
        let (line, column) = LineIndex::new(self.text).position(self.text, span.start);
        LoadError {
            path: self.path.to_owned(),
            line,
            column,
            message: message.into(),
        }
    }

    /// Deserialises the whole file.
    pub(crate) fn parse<T: DeserializeOwned>(&self) -> Result<T, LoadError> {
        toml::from_str(self.text).map_err(|error| {
            let span = error.span().unwrap_or(0..0);
            self.error(span, translate(error.message()))
        })
    }
}

/// Puts serde's messages in the user's language while keeping the key names.
fn translate(message: &str) -> String {
    let message = message.trim();
    if let Some(rest) = message.strip_prefix("unknown field ") {
        let (field, expected) = rest.split_once(", expected").unwrap_or((rest, ""));
        let expected = expected
            .trim_start_matches(" one of ")
            .trim_start_matches(" ");
        return if expected.is_empty() {
            format!("未知的键 {field}")
        } else {
            format!("未知的键 {field}（可用：{expected}）")
        };
    }
    if let Some(field) = message.strip_prefix("missing field ") {
        return format!("缺少必填的键 {field}");
    }
    if let Some(rest) = message.strip_prefix("unknown variant ") {
        let (value, expected) = rest.split_once(", expected").unwrap_or((rest, ""));
        let expected = expected
            .trim_start_matches(" one of ")
            .trim_start_matches(" ");
        return format!("取值 {value} 无效（可用：{expected}）");
    }
    if let Some(rest) = message.strip_prefix("invalid type: ") {
        return format!("类型错误：{rest}");
    }
    format!("TOML 格式错误：{message}")
}

#[derive(Deserialize)]
struct Probe {
    check: Option<ProbeCheck>,
}

#[derive(Deserialize)]
struct ProbeCheck {
    kind: Option<Spanned<String>>,
}

/// The common part of every rule file; `C` is the kind-specific `[check]` table.
#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub(crate) struct RuleFile<C> {
    code: Spanned<String>,
    name: Spanned<String>,
    severity: Severity,
    summary: String,
    clause: String,
    #[serde(default)]
    eras: Option<Vec<Spanned<String>>>,
    #[serde(default)]
    applies_to: Option<Vec<Spanned<String>>>,
    #[serde(default)]
    era_severity: Option<Spanned<BTreeMap<String, Severity>>>,
    docs: DocsFile,
    #[serde(default)]
    messages: BTreeMap<String, Spanned<String>>,
    #[serde(default)]
    help: BTreeMap<String, Spanned<String>>,
    pub(crate) check: C,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DocsFile {
    what: String,
    why: String,
    example: String,
}

static CODE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[A-Z][0-9]{3}$").expect("code pattern is valid"));
static NAME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$").expect("name pattern is valid")
});

/// Reads one rule file.
pub(crate) fn load_rule(path: &str, text: &str) -> Result<Rule, LoadError> {
    let source = RuleSource { path, text };
    let probe: Probe = source.parse()?;
    match probe.check.and_then(|check| check.kind) {
        Some(kind) => kinds::load(kind, &source),
        None => {
            // Report any mistake in the common keys before the missing kind.
            let _: RuleFile<Option<toml::Table>> = source.parse()?;
            Err(source.error(0..0, "缺少 [check] 表或其中的 kind 键"))
        }
    }
}

/// Checks and converts the common part of a rule file, given its compiled check and the messages
/// its kind uses.
pub(crate) fn finish<C>(
    source: &RuleSource<'_>,
    file: RuleFile<C>,
    check: kinds::Check,
    messages: &[MessageSpec],
) -> Result<Rule, LoadError> {
    let code = file.code.get_ref();
    if !CODE.is_match(code) || code.starts_with('E') {
        return Err(source.error(
            file.code.span(),
            format!("规则代码「{code}」无效：应为一个大写字母加三位数字（如 T001），E 开头的代码留给引擎"),
        ));
    }
    let name = file.name.get_ref();
    if !NAME.is_match(name) {
        return Err(source.error(
            file.name.span(),
            format!("规则名称「{name}」无效：应为小写英文短横线形式（如 identity-mismatch）"),
        ));
    }
    let eras = file
        .eras
        .map(|eras| eras.iter().map(|era| parse_era(source, era)).collect())
        .transpose()?;
    let applies_to = match file.applies_to {
        None => vec![ReportKind::AnnualReport],
        Some(kinds) => kinds
            .iter()
            .map(|kind| match kind.get_ref().as_str() {
                "annual-report" => Ok(ReportKind::AnnualReport),
                "other" => Ok(ReportKind::Other),
                other => Err(source.error(
                    kind.span(),
                    format!("文档类型「{other}」无效（可用：annual-report, other）"),
                )),
            })
            .collect::<Result<_, _>>()?,
    };
    let mut era_severity = BTreeMap::new();
    if let Some(map) = &file.era_severity {
        for (era, severity) in map.get_ref() {
            let parsed = Era::parse(era).ok_or_else(|| {
                source.error(
                    map.span(),
                    format!(
                        "era-severity 中的格式「{era}」无效（可用：{}）",
                        Era::NAMES.join(", ")
                    ),
                )
            })?;
            era_severity.insert(parsed, *severity);
        }
    }
    let mut templates = BTreeMap::new();
    for (key, template) in &file.messages {
        let Some(spec) = messages.iter().find(|spec| spec.key == key) else {
            let known: Vec<&str> = messages.iter().map(|spec| spec.key).collect();
            return Err(source.error(
                template.span(),
                format!(
                    "未知的消息键「{key}」（此检查类型可用：{}）",
                    known.join(", ")
                ),
            ));
        };
        check_placeholders(source, template, spec)?;
        templates.insert(key.clone(), template.get_ref().clone());
    }
    for spec in messages.iter().filter(|spec| spec.required) {
        if !templates.contains_key(spec.key) {
            return Err(source.error(
                0..0,
                format!(
                    "[messages] 缺少「{}」（可用占位符：{}）",
                    spec.key,
                    spec.placeholders.join(", ")
                ),
            ));
        }
    }
    let mut help = BTreeMap::new();
    for (key, template) in &file.help {
        let Some(spec) = messages.iter().find(|spec| spec.key == key) else {
            return Err(source.error(
                template.span(),
                format!("[help] 中的键「{key}」没有对应的消息"),
            ));
        };
        check_placeholders(source, template, spec)?;
        help.insert(key.clone(), template.get_ref().clone());
    }
    Ok(Rule {
        code: code.clone(),
        name: name.clone(),
        severity: file.severity,
        summary: file.summary,
        clause: file.clause,
        eras,
        applies_to,
        era_severity,
        docs: RuleDocs {
            what: file.docs.what,
            why: file.docs.why,
            example: file.docs.example,
        },
        messages: templates,
        help,
        extraction_keys: messages
            .iter()
            .filter(|spec| spec.extraction)
            .map(|spec| spec.key.to_owned())
            .collect(),
        check,
        source: source.path.to_owned(),
    })
}

fn check_placeholders(
    source: &RuleSource<'_>,
    template: &Spanned<String>,
    spec: &MessageSpec,
) -> Result<(), LoadError> {
    let names = placeholders(template.get_ref())
        .map_err(|_| source.error(template.span(), "消息模板中的花括号不成对或占位符名称无效"))?;
    if let Some(unknown) = names.iter().find(|name| !spec.placeholders.contains(name)) {
        return Err(source.error(
            template.span(),
            format!(
                "消息「{}」中的占位符 {{{unknown}}} 无效（可用：{}）",
                spec.key,
                spec.placeholders.join(", ")
            ),
        ));
    }
    Ok(())
}

/// Parses an era name, or says which exist.
pub(crate) fn parse_era(source: &RuleSource<'_>, era: &Spanned<String>) -> Result<Era, LoadError> {
    Era::parse(era.get_ref()).ok_or_else(|| {
        source.error(
            era.span(),
            format!(
                "格式「{}」无效（可用：{}）",
                era.get_ref(),
                Era::NAMES.join(", ")
            ),
        )
    })
}
