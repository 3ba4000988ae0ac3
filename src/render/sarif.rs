//! SARIF 2.1.0 (the format of code-scanning and review tools), built with the typed model of
//! `serde-sarif`. One run; one rule descriptor per rule and engine code; findings are results of
//! kind `fail`, checks that could not be carried out results of kind `open` ("could not be
//! determined"). Columns count Unicode code points of the canonical text.

use std::collections::BTreeMap;

use serde_json::{Value, json};
use serde_sarif::sarif::{
    ArtifactLocation, Location, Message, MultiformatMessageString, PhysicalLocation, PropertyBag,
    Region, ReportingConfiguration, ReportingDescriptor, Result as SarifResult, ResultKind,
    ResultLevel, Run, SCHEMA_URL, Sarif, Tool, ToolComponent,
};

use super::located::locate;
use crate::diagnostic::Severity;
use crate::lint::{ENGINE_CODES, FileResult};
use crate::rules::Registry;
use crate::text::Span;

/// The key of our fingerprint in `partialFingerprints`.
const FINGERPRINT_KEY: &str = "xxgkLint/v1";

fn level(severity: Severity) -> ResultLevel {
    match severity {
        Severity::Error => ResultLevel::Error,
        Severity::Warning => ResultLevel::Warning,
        Severity::Info => ResultLevel::Note,
    }
}

fn text(text: impl Into<String>) -> MultiformatMessageString {
    MultiformatMessageString::builder()
        .text(text.into())
        .build()
}

fn message(text: impl Into<String>) -> Message {
    Message::builder().text(text.into()).build()
}

fn properties(values: BTreeMap<String, Value>) -> PropertyBag {
    PropertyBag::builder().additional_properties(values).build()
}

/// A path as a relative URI reference: `/` separators, everything but unreserved characters
/// percent-encoded (UTF-8), as RFC 3986 asks of a SARIF `uri`. A backslash is a separator only on
/// Windows; in a Unix file name it is a character like any other (`%5C`).
fn uri(path: &str) -> String {
    let path = if cfg!(windows) {
        path.replace('\\', "/")
    } else {
        path.to_owned()
    };
    let mut out = String::with_capacity(path.len());
    for byte in path.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~/".contains(&byte) {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

fn location(path: &str, span: Option<Span>, label: Option<&str>) -> Location {
    let artifact = ArtifactLocation::builder().uri(uri(path)).build();
    let physical = match span {
        Some(span) => PhysicalLocation::builder()
            .artifact_location(artifact)
            .region(
                Region::builder()
                    .start_line(i64::try_from(span.line).unwrap_or(i64::MAX))
                    .start_column(i64::try_from(span.column).unwrap_or(i64::MAX))
                    .end_line(i64::try_from(span.end_line).unwrap_or(i64::MAX))
                    .end_column(i64::try_from(span.end_column).unwrap_or(i64::MAX))
                    .build(),
            )
            .build(),
        None => PhysicalLocation::builder()
            .artifact_location(artifact)
            .build(),
    };
    match label.filter(|l| !l.is_empty()) {
        Some(label) => Location::builder()
            .physical_location(physical)
            .message(message(label))
            .build(),
        None => Location::builder().physical_location(physical).build(),
    }
}

fn descriptors(registry: &Registry) -> Vec<ReportingDescriptor> {
    let mut out: Vec<ReportingDescriptor> = registry
        .rules()
        .iter()
        .map(|rule| {
            let mut values = BTreeMap::new();
            values.insert("clause".to_owned(), json!(rule.clause));
            // `null`: every era.
            let eras: Option<Vec<&str>> = rule
                .eras
                .as_ref()
                .map(|eras| eras.iter().map(|era| era.name()).collect());
            values.insert("eras".to_owned(), json!(eras));
            ReportingDescriptor::builder()
                .id(rule.code.clone())
                .name(rule.name.clone())
                .short_description(text(rule.summary.clone()))
                .full_description(text(rule.docs.what.clone()))
                .help(text(format!(
                    "{}\n\n{}\n\n{}\n\n{}",
                    rule.docs.what, rule.docs.why, rule.docs.example, rule.clause
                )))
                .default_configuration(
                    ReportingConfiguration::builder()
                        .level(json!(level(rule.severity).to_string()))
                        .build(),
                )
                .properties(properties(values))
                .build()
        })
        .collect();
    out.extend(ENGINE_CODES.iter().map(|engine| {
        ReportingDescriptor::builder()
            .id(engine.code)
            .name(engine.name)
            .short_description(text(engine.summary))
            .default_configuration(
                ReportingConfiguration::builder()
                    .level(json!(level(engine.severity).to_string()))
                    .build(),
            )
            .build()
    }));
    out
}

fn results(files: &[FileResult], index: &BTreeMap<String, i64>) -> Vec<SarifResult> {
    let mut out = Vec::new();
    for file in files {
        let (findings, gaps) = locate(file);
        for located in &findings {
            let d = located.diagnostic;
            let primary: Vec<Location> = located
                .labels
                .iter()
                .filter(|label| label.primary && !label.elsewhere)
                .take(1)
                .map(|label| location(label.path, label.span, Some(label.message)))
                .collect();
            let primary = if primary.is_empty() {
                vec![location(&file.path, located.span, None)]
            } else {
                primary
            };
            let related: Vec<Location> = located
                .labels
                .iter()
                .skip(usize::from(
                    located
                        .labels
                        .first()
                        .is_some_and(|l| l.primary && !l.elsewhere),
                ))
                .map(|label| location(label.path, label.span, Some(label.message)))
                .collect();
            let mut values = BTreeMap::new();
            values.insert("origin".to_owned(), json!(d.origin));
            values.insert("ruleName".to_owned(), json!(d.name));
            if !d.notes.is_empty() {
                values.insert("notes".to_owned(), json!(d.notes));
            }
            if let Some(cell) = &d.cell {
                values.insert("cell".to_owned(), json!(cell));
            }
            if let Some(expected) = d.expected {
                values.insert("expected".to_owned(), json!(expected.to_string()));
            }
            if let Some(found) = d.found {
                values.insert("found".to_owned(), json!(found.to_string()));
            }
            let mut result = SarifResult::builder()
                .rule_id(d.code.clone())
                .kind(ResultKind::Fail)
                .level(level(d.severity))
                .message(message(d.message.clone()))
                .locations(primary)
                .partial_fingerprints(BTreeMap::from([(
                    FINGERPRINT_KEY.to_owned(),
                    d.fingerprint(),
                )]))
                .properties(properties(values))
                .build();
            result.rule_index = index.get(&d.code).copied();
            result.related_locations = (!related.is_empty()).then_some(related);
            out.push(result);
        }
        for gap in &gaps {
            let mut values = BTreeMap::new();
            values.insert("check".to_owned(), json!(gap.item.check));
            if !gap.item.instances.is_empty() {
                values.insert("instances".to_owned(), json!(gap.item.instances));
            }
            let mut result = SarifResult::builder()
                .rule_id(gap.item.code.clone())
                .kind(ResultKind::Open)
                .level(ResultLevel::None)
                .message(message(format!(
                    "无法校验「{}」：{}",
                    gap.item.check, gap.item.reason
                )))
                .locations(vec![location(&file.path, gap.span, None)])
                .properties(properties(values))
                .build();
            result.rule_index = index.get(&gap.item.code).copied();
            out.push(result);
        }
    }
    out
}

/// The run as a SARIF 2.1.0 log.
pub fn render(files: &[FileResult], registry: &Registry) -> String {
    let rules = descriptors(registry);
    let index: BTreeMap<String, i64> = rules
        .iter()
        .enumerate()
        .map(|(i, rule)| (rule.id.clone(), i64::try_from(i).unwrap_or(i64::MAX)))
        .collect();
    let driver = ToolComponent::builder()
        .name("xxgk-lint")
        .version(env!("CARGO_PKG_VERSION"))
        .semantic_version(env!("CARGO_PKG_VERSION"))
        .rules(rules)
        .build();
    let run = Run::builder()
        .tool(Tool::builder().driver(driver).build())
        .results(results(files, &index))
        .column_kind(json!("unicodeCodePoints"))
        .build();
    let log = Sarif::builder()
        .schema(SCHEMA_URL)
        .version(json!("2.1.0"))
        .runs(vec![run])
        .build();
    let mut out = super::json_escape_unsafe(
        serde_json::to_string_pretty(&log)
            .unwrap_or_else(|error| format!("{{\"error\":\"{error}\"}}")),
    );
    out.push('\n');
    out
}
