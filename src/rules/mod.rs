//! Rules are data: TOML files under `rules/`, embedded in the binary as the defaults, extended or
//! overridden by `--rules DIR`. Each file declares a rule's code, name, severity, the clause it
//! enforces, its docs, its messages, and a `[check]` of one of the kinds in [`kinds`].

pub mod kinds;
mod load;
pub mod template;

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::{Path, PathBuf};

pub use kinds::Check;
pub use load::LoadError;
pub(crate) use load::RuleSource as TomlSource;

use crate::diagnostic::{Diagnostic, Label, NotAssessable, Severity};
use crate::model::facts::YearFacts;
use crate::model::{Era, Report, ReportKind};
use crate::source::Document;
use crate::text::TextRange;

mod builtin {
    include!(concat!(env!("OUT_DIR"), "/builtin_rules.rs"));
}

/// A rule's documentation.
#[derive(Clone, Debug)]
pub struct RuleDocs {
    /// What it checks.
    pub what: String,
    /// Why it matters.
    pub why: String,
    /// An example of a report that trips it, and the fix.
    pub example: String,
}

/// A loaded rule.
#[derive(Debug)]
pub struct Rule {
    /// Its code (`T001`).
    pub code: String,
    /// Its kebab-case name (`identity-mismatch`).
    pub name: String,
    /// Its default severity.
    pub severity: Severity,
    /// One line saying what it checks.
    pub summary: String,
    /// The clause of the regulation or format it enforces.
    pub clause: String,
    /// The eras it applies to (`None`: all).
    pub eras: Option<Vec<Era>>,
    /// The kinds of document it applies to.
    pub applies_to: Vec<ReportKind>,
    /// Severity overrides by era.
    pub era_severity: BTreeMap<Era, Severity>,
    /// Documentation.
    pub docs: RuleDocs,
    /// Message templates by key.
    pub messages: BTreeMap<String, String>,
    /// Help notes by message key.
    pub help: BTreeMap<String, String>,
    /// Message keys whose findings are about the reading, not the report.
    pub extraction_keys: BTreeSet<String>,
    /// The check.
    pub check: Check,
    /// The file it came from.
    pub source: String,
}

impl Rule {
    /// Whether the rule runs on this report.
    pub fn applies(&self, report: &Report) -> bool {
        self.applies_to.contains(&report.kind)
            && self
                .eras
                .as_ref()
                .is_none_or(|eras| eras.contains(&report.era))
    }

    /// The severity for a report of this era.
    pub fn severity_for(&self, era: Era) -> Severity {
        self.era_severity
            .get(&era)
            .copied()
            .unwrap_or(self.severity)
    }

    /// Renders one of the rule's messages.
    pub fn render(&self, key: &str, vars: &[(&str, String)]) -> String {
        self.messages.get(key).map_or_else(
            || key.to_owned(),
            |template| template::render(template, vars),
        )
    }

    /// A finding of this rule, with the given severity and message key: its clause, its origin
    /// (from the key) and the key's help attached.
    pub fn diagnostic(&self, severity: Severity, key: &str, vars: &[(&str, String)]) -> Diagnostic {
        let mut diagnostic =
            Diagnostic::new(&self.code, &self.name, severity, self.render(key, vars));
        diagnostic.clause = Some(self.clause.clone());
        if self.extraction_keys.contains(key) {
            diagnostic.origin = crate::diagnostic::Origin::Extraction;
        }
        if let Some(help) = self.help.get(key) {
            diagnostic
                .notes
                .push(format!("建议：{}", template::render(help, vars)));
        }
        diagnostic
    }
}

/// The set of rules in force.
#[derive(Debug)]
pub struct Registry {
    rules: Vec<Rule>,
}

impl Registry {
    /// The built-in rules.
    pub fn builtin() -> Result<Self, LoadError> {
        let rules = builtin::BUILTIN_RULE_FILES
            .iter()
            .map(|(path, text)| load::load_rule(path, text))
            .collect::<Result<Vec<_>, _>>()?;
        let registry = Self { rules };
        registry.check_unique()?;
        Ok(registry)
    }

    /// Adds the rule files found under `dir` (recursively, in sorted order). A rule with the code
    /// of a loaded rule replaces it.
    pub fn extend_from_dir(&mut self, dir: &Path) -> Result<(), LoadError> {
        let io_error = |path: &Path, error: std::io::Error| LoadError {
            path: path.display().to_string(),
            line: 1,
            column: 1,
            message: format!("无法读取规则目录或文件：{error}"),
        };
        let mut files = Vec::new();
        collect_toml(dir, &mut files).map_err(|error| io_error(dir, error))?;
        if files.is_empty() {
            return Err(LoadError {
                path: dir.display().to_string(),
                line: 1,
                column: 1,
                message: "规则目录中没有 .toml 文件".to_owned(),
            });
        }
        files.sort();
        let mut seen = HashSet::new();
        for file in files {
            let text = std::fs::read_to_string(&file).map_err(|error| io_error(&file, error))?;
            let display = file.display().to_string();
            let rule = load::load_rule(&display, &text)?;
            if !seen.insert(rule.code.clone()) {
                return Err(LoadError {
                    path: display,
                    line: 1,
                    column: 1,
                    message: format!("规则代码 {} 在该目录中重复", rule.code),
                });
            }
            match self
                .rules
                .iter_mut()
                .find(|existing| existing.code == rule.code)
            {
                Some(existing) => *existing = rule,
                None => self.rules.push(rule),
            }
        }
        self.rules.sort_by(|a, b| a.code.cmp(&b.code));
        self.check_unique()
    }

    fn check_unique(&self) -> Result<(), LoadError> {
        let mut codes = HashSet::new();
        let mut names = HashSet::new();
        for rule in &self.rules {
            if !codes.insert(rule.code.as_str()) || !names.insert(rule.name.as_str()) {
                return Err(LoadError {
                    path: rule.source.clone(),
                    line: 1,
                    column: 1,
                    message: format!("规则代码 {} 或名称 {} 与其他规则重复", rule.code, rule.name),
                });
            }
        }
        Ok(())
    }

    /// All rules, by code.
    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }

    /// A rule by code or name.
    pub fn get(&self, code_or_name: &str) -> Option<&Rule> {
        self.rules
            .iter()
            .find(|rule| rule.code == code_or_name || rule.name == code_or_name)
    }

    /// Whether any rule compares a report with the year before's.
    pub fn has_cross_year(&self) -> bool {
        self.rules
            .iter()
            .any(|rule| matches!(rule.check, Check::CrossYear(_)))
    }

    /// The rows (table, row key) the cross-year rules need from every report.
    pub fn cross_year_needs(&self) -> Vec<(crate::model::TableId, &'static str)> {
        let mut out = Vec::new();
        for rule in &self.rules {
            if let Check::CrossYear(check) = &rule.check {
                for need in check.needs() {
                    if !out.contains(&need) {
                        out.push(need);
                    }
                }
            }
        }
        out
    }

    /// Runs the cross-year rules on a report and the same body's report for the year before.
    /// A rule applies when both reports are of eras it covers and the current one of a kind it
    /// covers; the previous report must be an annual report.
    pub fn check_pair(&self, current: &YearFacts, previous: &YearFacts) -> Findings {
        let mut findings = Findings::default();
        for (rule, check) in self.pair_rules(current, previous) {
            check.run_pair(rule, current, previous, &mut findings);
        }
        findings
            .diagnostics
            .sort_by(|a, b| (a.start(), &a.code).cmp(&(b.start(), &b.code)));
        findings
    }

    /// The cross-year rules that apply to a pair: both reports of eras the rule covers (a
    /// pre-2019 report has no tables), the current one of a kind it covers, the previous one an
    /// annual report.
    fn pair_rules<'a>(
        &'a self,
        current: &'a YearFacts,
        previous: &'a YearFacts,
    ) -> impl Iterator<Item = (&'a Rule, &'a kinds::cross_year::CrossYear)> {
        self.rules.iter().filter_map(move |rule| {
            let Check::CrossYear(check) = &rule.check else {
                return None;
            };
            let applies = previous.kind == ReportKind::AnnualReport
                && rule.applies_to.contains(&current.kind)
                && rule
                    .eras
                    .as_ref()
                    .is_none_or(|eras| eras.contains(&current.era) && eras.contains(&previous.era));
            applies.then_some((rule, check))
        })
    }

    /// Whether any cross-year rule applies to a pair.
    pub fn compares(&self, current: &YearFacts, previous: &YearFacts) -> bool {
        self.pair_rules(current, previous).next().is_some()
    }

    /// Runs every applicable rule on a report.
    pub fn check(&self, doc: &Document, report: &Report) -> Findings {
        let mut findings = Findings::default();
        for rule in self.rules.iter().filter(|rule| rule.applies(report)) {
            let mut context = Context {
                doc,
                report,
                rule,
                findings: &mut findings,
            };
            rule.check.run(&mut context);
        }
        findings
            .diagnostics
            .sort_by(|a, b| (a.start(), &a.code).cmp(&(b.start(), &b.code)));
        findings
    }
}

fn collect_toml(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            collect_toml(&path, out)?;
        } else if path.extension().is_some_and(|ext| ext == "toml") {
            out.push(path);
        }
    }
    Ok(())
}

/// What the rules found in one document.
#[derive(Debug, Default)]
pub struct Findings {
    /// Findings, in text order.
    pub diagnostics: Vec<Diagnostic>,
    /// Checks that could not be carried out.
    pub not_assessable: Vec<NotAssessable>,
}

/// What a check sees while it runs: the document, its model, its own rule, and where to report.
pub struct Context<'a> {
    /// The document.
    pub doc: &'a Document,
    /// Its model.
    pub report: &'a Report,
    /// The rule being run.
    pub rule: &'a Rule,
    findings: &'a mut Findings,
}

impl Context<'_> {
    /// The rule's severity for this report.
    pub fn severity(&self) -> Severity {
        self.rule.severity_for(self.report.era)
    }

    /// Renders one of the rule's messages.
    pub fn message(&self, key: &str, vars: &[(&str, String)]) -> String {
        self.rule.render(key, vars)
    }

    /// A finding of this rule, with the given severity and message key.
    pub fn diagnostic(&self, severity: Severity, key: &str, vars: &[(&str, String)]) -> Diagnostic {
        self.rule.diagnostic(severity, key, vars)
    }

    /// Reports a finding.
    pub fn emit(&mut self, diagnostic: Diagnostic) {
        self.findings.diagnostics.push(diagnostic);
    }

    /// Reports a check that could not be carried out.
    pub fn not_assessable(
        &mut self,
        check: impl Into<String>,
        reason: impl Into<String>,
        instances: Vec<String>,
        range: Option<TextRange>,
    ) {
        self.findings.not_assessable.push(NotAssessable {
            code: self.rule.code.clone(),
            name: self.rule.name.clone(),
            check: check.into(),
            reason: reason.into(),
            instances,
            range,
            span: None,
        });
    }

    /// Where a finding about the whole document points: the title, else the first paragraph.
    pub fn document_anchor(&self) -> Label {
        let range = self
            .report
            .title
            .as_ref()
            .map(|title| title.range)
            .or_else(|| self.doc.paragraphs().next())
            .unwrap_or_default();
        Label::new(range, "")
    }
}
