//! Reading rule files. Two passes keep every error spanned: first only `check.kind` is read, then
//! the whole file is read again typed for that kind, with unknown keys refused (no `flatten`, no
//! tagged enums: both lose spans in serde). A kind's `[check]` type never declares `kind` itself:
//! [`CheckTable`] reads the table without it.
//!
//! Severities are set one way for every kind: the rule's `severity`, overridden in
//! `[severity-for]` by message key, by report year or by era (the most specific wins: key, then
//! year, then era).

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt;
use std::marker::PhantomData;
use std::sync::LazyLock;

use regex::Regex;
use serde::de::{self, IntoDeserializer, MapAccess, Visitor};
use serde::{Deserialize, Deserializer};
use toml::Spanned;

use super::kinds::{self, Check, CheckKind, Compile, MessageSpec};
use super::template::placeholders;
use super::{Rule, RuleDocs, Severities};
use crate::datafile::{DataFile, LoadError};
use crate::diagnostic::Severity;
use crate::model::{Era, LayoutSet, ReportKind};

#[derive(Deserialize)]
struct Probe {
    check: Option<ProbeCheck>,
}

#[derive(Deserialize)]
struct ProbeCheck {
    kind: Option<Spanned<String>>,
}

/// A rule file; `C` is the kind-specific `[check]` table.
#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RuleFile<C> {
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
    severity_for: Option<BTreeMap<Spanned<String>, Severity>>,
    docs: DocsFile,
    #[serde(default)]
    messages: BTreeMap<String, Spanned<String>>,
    #[serde(default)]
    help: BTreeMap<String, Spanned<String>>,
    check: C,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DocsFile {
    what: String,
    why: String,
    example: String,
}

/// A `[check]` table read as `T`, its `kind` key (already read by the first pass) left out.
struct CheckTable<T>(T);

impl<'de, T: Deserialize<'de>> Deserialize<'de> for CheckTable<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct TableVisitor<T>(PhantomData<T>);

        impl<'de, T: Deserialize<'de>> Visitor<'de> for TableVisitor<T> {
            type Value = CheckTable<T>;

            fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
                formatter.write_str("a [check] table")
            }

            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
                T::deserialize(de::value::MapAccessDeserializer::new(WithoutKind(map)))
                    .map(CheckTable)
            }
        }

        deserializer.deserialize_map(TableVisitor(PhantomData))
    }
}

/// A map with its `kind` entry skipped; values are read by the original deserializer, so their
/// spans survive.
struct WithoutKind<A>(A);

impl<'de, A: MapAccess<'de>> MapAccess<'de> for WithoutKind<A> {
    type Error = A::Error;

    fn next_key_seed<K: de::DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Self::Error> {
        loop {
            let Some(key) = self.0.next_key::<String>()? else {
                return Ok(None);
            };
            if key == "kind" {
                self.0.next_value::<de::IgnoredAny>()?;
                continue;
            }
            return seed.deserialize(key.into_deserializer()).map(Some);
        }
    }

    fn next_value_seed<V: de::DeserializeSeed<'de>>(
        &mut self,
        seed: V,
    ) -> Result<V::Value, Self::Error> {
        self.0.next_value_seed(seed)
    }
}

static CODE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[A-Z][0-9]{3}$").expect("code pattern is valid"));
static NAME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$").expect("name pattern is valid")
});

/// The default wording of a kind's messages (`rules/kinds/<kind>.toml`).
#[derive(Default)]
struct KindDefaults {
    path: String,
    text: String,
    messages: BTreeMap<String, Spanned<String>>,
    help: BTreeMap<String, Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct KindDefaultsFile {
    #[serde(default)]
    messages: BTreeMap<String, Spanned<String>>,
    #[serde(default)]
    help: BTreeMap<String, Spanned<String>>,
}

/// The built-in defaults of every kind, by kind name (a file that does not parse is reported when
/// a rule of its kind loads).
static KIND_DEFAULTS: LazyLock<HashMap<String, Result<KindDefaults, String>>> =
    LazyLock::new(|| {
        crate::builtin::KIND_FILES
            .iter()
            .map(|(path, text)| {
                let name = path
                    .rsplit('/')
                    .next()
                    .unwrap_or(path)
                    .trim_end_matches(".toml")
                    .to_owned();
                let file = DataFile { path, text };
                let parsed = file
                    .parse::<KindDefaultsFile>()
                    .map(|parsed| KindDefaults {
                        path: (*path).to_owned(),
                        text: (*text).to_owned(),
                        messages: parsed.messages,
                        help: parsed.help,
                    })
                    .map_err(|error| error.to_string());
                (name, parsed)
            })
            .collect()
    });

/// Reads one rule file, resolving its table keys against `layouts`.
pub(crate) fn load_rule(path: &str, text: &str, layouts: &LayoutSet) -> Result<Rule, LoadError> {
    let file = DataFile { path, text };
    let probe: Probe = file.parse()?;
    match probe.check.and_then(|check| check.kind) {
        Some(kind) => kinds::load(&kind, &file, layouts),
        None => {
            // Report any mistake in the common keys before the missing kind.
            let _: RuleFile<Option<toml::Table>> = file.parse()?;
            Err(file.error(0..0, "缺少 [check] 表或其中的 kind 键"))
        }
    }
}

/// Reads a rule file of kind `K` and compiles its check.
pub(crate) fn load_kind<K: CheckKind>(
    file: &DataFile<'_>,
    layouts: &LayoutSet,
    wrap: fn(K) -> Check,
) -> Result<Rule, LoadError> {
    let parsed: RuleFile<CheckTable<K::Spec>> = file.parse()?;
    let RuleFile {
        code,
        name,
        severity,
        summary,
        clause,
        eras,
        applies_to,
        severity_for,
        docs,
        messages,
        help,
        check: CheckTable(spec),
    } = parsed;
    let compile = Compile { file, layouts };
    let check = K::compile(spec, &compile)?;
    let required: Vec<&str> = check.required_messages();
    let code_text = code.get_ref();
    if !CODE.is_match(code_text) || code_text.starts_with('E') {
        return Err(file.error(
            code.span(),
            format!("规则代码「{code_text}」无效：应为一个大写字母加三位数字（如 T001），E 开头的代码留给引擎"),
        ));
    }
    let name_text = name.get_ref();
    if !NAME.is_match(name_text) {
        return Err(file.error(
            name.span(),
            format!("规则名称「{name_text}」无效：应为小写英文短横线形式（如 identity-mismatch）"),
        ));
    }
    let eras = eras
        .map(|eras| eras.iter().map(|era| file.era(era)).collect())
        .transpose()?;
    let applies_to = match applies_to {
        None => vec![ReportKind::AnnualReport],
        Some(kinds) => kinds
            .iter()
            .map(|kind| match kind.get_ref().as_str() {
                "annual-report" => Ok(ReportKind::AnnualReport),
                "other" => Ok(ReportKind::Other),
                other => Err(file.error(
                    kind.span(),
                    format!("文档类型「{other}」无效（可用：annual-report, other）"),
                )),
            })
            .collect::<Result<_, _>>()?,
    };
    let specs = K::MESSAGES;
    let severities = parse_severities(file, severity, severity_for.as_ref(), specs)?;

    // The kind's default wording first, then the rule's own.
    let defaults = match KIND_DEFAULTS.get(K::NAME) {
        Some(Ok(defaults)) => Some(defaults),
        Some(Err(error)) => return Err(LoadError::whole_file(file.path, error.clone())),
        None => None,
    };
    let mut templates = BTreeMap::new();
    let mut help_templates = BTreeMap::new();
    if let Some(defaults) = defaults {
        let defaults_file = DataFile {
            path: &defaults.path,
            text: &defaults.text,
        };
        collect_templates(
            &defaults_file,
            "messages",
            &defaults.messages,
            specs,
            &mut templates,
        )?;
        collect_templates(
            &defaults_file,
            "help",
            &defaults.help,
            specs,
            &mut help_templates,
        )?;
    }
    collect_templates(file, "messages", &messages, specs, &mut templates)?;
    collect_templates(file, "help", &help, specs, &mut help_templates)?;
    let required_keys = specs
        .iter()
        .filter(|spec| spec.required)
        .map(|spec| spec.key)
        .chain(required);
    for key in required_keys {
        if !templates.contains_key(key) {
            let placeholders = specs
                .iter()
                .find(|spec| spec.key == key)
                .map(|spec| spec.placeholders.join(", "))
                .unwrap_or_default();
            return Err(file.error(
                0..0,
                format!("[messages] 缺少「{key}」（可用占位符：{placeholders}）"),
            ));
        }
    }
    Ok(Rule {
        code: code_text.clone(),
        name: name_text.clone(),
        severity,
        severities,
        summary,
        clause,
        eras,
        applies_to,
        docs: RuleDocs {
            what: docs.what,
            why: docs.why,
            example: docs.example,
        },
        messages: templates,
        help: help_templates,
        extraction_keys: specs
            .iter()
            .filter(|spec| spec.extraction)
            .map(|spec| spec.key.to_owned())
            .collect::<BTreeSet<_>>(),
        check: wrap(check),
        source: file.path.to_owned(),
    })
}

/// Adds the templates of `[messages]` or `[help]` (`table`), each for a message of the kind, with
/// its placeholders checked.
fn collect_templates(
    file: &DataFile<'_>,
    table: &str,
    written: &BTreeMap<String, Spanned<String>>,
    specs: &[MessageSpec],
    into: &mut BTreeMap<String, String>,
) -> Result<(), LoadError> {
    for (key, template) in written {
        let Some(spec) = specs.iter().find(|spec| spec.key == key) else {
            let known: Vec<&str> = specs.iter().map(|spec| spec.key).collect();
            return Err(file.error(
                template.span(),
                format!(
                    "[{table}] 中的键「{key}」不是此检查类型的消息（可用：{}）",
                    known.join(", ")
                ),
            ));
        };
        check_placeholders(file, template, spec.key, spec.placeholders)?;
        into.insert(key.clone(), template.get_ref().clone());
    }
    Ok(())
}

/// The rule's severities: its default, and the `[severity-for]` overrides, each key a message key
/// of the kind, a report year or an era.
fn parse_severities(
    file: &DataFile<'_>,
    default: Severity,
    written: Option<&BTreeMap<Spanned<String>, Severity>>,
    specs: &[MessageSpec],
) -> Result<Severities, LoadError> {
    let mut severities = Severities {
        default,
        ..Severities::default()
    };
    let Some(written) = written else {
        return Ok(severities);
    };
    for (key, severity) in written {
        let text = key.get_ref().as_str();
        if specs.iter().any(|spec| spec.key == text) {
            severities.by_key.insert(text.to_owned(), *severity);
        } else if let Some(era) = Era::parse(text) {
            severities.by_era.insert(era, *severity);
        } else if let Ok(year) = text.parse::<i32>()
            && text.len() == 4
        {
            severities.by_year.insert(year, *severity);
        } else {
            let keys: Vec<&str> = specs.iter().map(|spec| spec.key).collect();
            return Err(file.error(
                key.span(),
                format!(
                    "[severity-for] 中的「{text}」既不是消息键（{}），也不是格式（{}）或年度（如 2019）",
                    keys.join(", "),
                    Era::NAMES.join(", ")
                ),
            ));
        }
    }
    Ok(severities)
}

/// Checks a template: balanced braces, known placeholders.
pub(crate) fn check_placeholders(
    file: &DataFile<'_>,
    template: &Spanned<String>,
    key: &str,
    allowed: &[&str],
) -> Result<(), LoadError> {
    let names = placeholders(template.get_ref())
        .map_err(|_| file.error(template.span(), "消息模板中的花括号不成对或占位符名称无效"))?;
    if let Some(unknown) = names.iter().find(|name| !allowed.contains(name)) {
        return Err(file.error(
            template.span(),
            format!(
                "消息「{key}」中的占位符 {{{unknown}}} 无效（可用：{}）",
                allowed.join(", ")
            ),
        ));
    }
    Ok(())
}
