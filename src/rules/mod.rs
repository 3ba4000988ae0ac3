//! Rules are data: TOML files under `rules/`, embedded in the binary as the defaults, extended or
//! overridden by `--rules DIR`. Each file declares a rule's code, name, severity, the clause it
//! enforces, its docs, its messages, and a `[check]` of one of the kinds in [`kinds`]. A rules
//! folder may also hold table layouts (files with a `[layout]` table, see [`crate::model::layout`]):
//! they are loaded first, so the folder's rules can name their rows and columns.

pub mod kinds;
mod load;
mod patterns;
pub mod template;

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::{Path, PathBuf};

pub(crate) use crate::datafile::DataFile as TomlSource;
pub use crate::datafile::LoadError;
pub use kinds::{Check, CheckKind};

use crate::diagnostic::{Diagnostic, Label, NotAssessable, Severity};
use crate::model::facts::YearFacts;
use crate::model::layout::is_layout_file;
use crate::model::{Era, LayoutSet, ModelConfig, Report, ReportKind, TableId};
use crate::source::Document;
use crate::text::TextRange;

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

/// A rule's severities: its default, overridden by message key, report year or era (the most
/// specific wins, in that order).
#[derive(Clone, Debug)]
pub struct Severities {
    /// The rule's default.
    pub default: Severity,
    /// By message key.
    pub by_key: BTreeMap<String, Severity>,
    /// By report year.
    pub by_year: BTreeMap<i32, Severity>,
    /// By era.
    pub by_era: BTreeMap<Era, Severity>,
}

impl Default for Severities {
    fn default() -> Self {
        Self {
            default: Severity::Error,
            by_key: BTreeMap::new(),
            by_year: BTreeMap::new(),
            by_era: BTreeMap::new(),
        }
    }
}

impl Severities {
    /// The severity of a finding with this message key, on a report of this year and era.
    pub fn of(&self, key: &str, year: Option<i32>, era: Era) -> Severity {
        self.by_key
            .get(key)
            .or_else(|| year.and_then(|year| self.by_year.get(&year)))
            .or_else(|| self.by_era.get(&era))
            .copied()
            .unwrap_or(self.default)
    }

    /// The overrides, in words (`pre-2019：warning`), for `explain`.
    pub fn describe(&self) -> Vec<String> {
        let keys = self
            .by_key
            .iter()
            .map(|(key, severity)| format!("{key}：{}", severity.name()));
        let years = self
            .by_year
            .iter()
            .map(|(year, severity)| format!("{year}年度：{}", severity.name()));
        let eras = self
            .by_era
            .iter()
            .map(|(era, severity)| format!("{}：{}", era.name(), severity.name()));
        keys.chain(years).chain(eras).collect()
    }
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
    /// Its severities by message key, year and era.
    pub severities: Severities,
    /// One line saying what it checks.
    pub summary: String,
    /// The clause of the regulation or format it enforces.
    pub clause: String,
    /// The eras it applies to (`None`: all).
    pub eras: Option<Vec<Era>>,
    /// The kinds of document it applies to.
    pub applies_to: Vec<ReportKind>,
    /// Documentation.
    pub docs: RuleDocs,
    /// Message templates by key (the kind's defaults, then the rule's own).
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

    /// Renders one of the rule's messages (the key itself when the rule has no such message).
    pub fn render(&self, key: &str, vars: &[(&str, String)]) -> String {
        self.messages.get(key).map_or_else(
            || key.to_owned(),
            |template| template::render(template, vars),
        )
    }

    /// A finding of this rule with the given message key, on a report of this year and era: its
    /// severity, its clause, its origin (from the key) and the key's help attached.
    pub fn diagnostic(
        &self,
        key: &str,
        vars: &[(&str, String)],
        year: Option<i32>,
        era: Era,
    ) -> Diagnostic {
        let severity = self.severities.of(key, year, era);
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

    /// A check of this rule that could not be carried out.
    pub fn not_assessable(
        &self,
        check: impl Into<String>,
        reason: impl Into<String>,
        instances: Vec<String>,
        range: Option<TextRange>,
    ) -> NotAssessable {
        NotAssessable {
            code: self.code.clone(),
            name: self.name.clone(),
            check: check.into(),
            reason: reason.into(),
            instances,
            range,
            span: None,
        }
    }
}

/// The set of rules in force, with the table layouts they were loaded against.
#[derive(Debug)]
pub struct Registry {
    rules: Vec<Rule>,
    model: ModelConfig,
}

impl Registry {
    /// The built-in rules and layouts.
    pub fn builtin() -> Result<Self, LoadError> {
        let layouts = LayoutSet::builtin()?;
        let rules = crate::builtin::RULE_FILES
            .iter()
            .map(|(path, text)| load::load_rule(path, text, &layouts))
            .collect::<Result<Vec<_>, _>>()?;
        let mut registry = Self {
            rules,
            model: ModelConfig {
                layouts,
                ..ModelConfig::default()
            },
        };
        registry.check_unique()?;
        registry.configure_model();
        Ok(registry)
    }

    /// Adds the layout and rule files found under `dir` (recursively, in sorted order, symbolic
    /// links not followed). A layout of the table and edition of a loaded one replaces it; a rule
    /// with the code of a loaded rule replaces it.
    pub fn extend_from_dir(&mut self, dir: &Path) -> Result<(), LoadError> {
        let io_error = |path: &Path, error: std::io::Error| {
            LoadError::whole_file(
                path.display().to_string(),
                format!("无法读取规则目录或文件：{error}"),
            )
        };
        let mut files = Vec::new();
        collect_toml(dir, &mut files).map_err(|error| io_error(dir, error))?;
        if files.is_empty() {
            return Err(LoadError::whole_file(
                dir.display().to_string(),
                "规则目录中没有 .toml 文件",
            ));
        }
        files.sort();
        let mut texts = Vec::with_capacity(files.len());
        for file in files {
            let text = crate::input::read_text_limited(&file).map_err(|error| {
                LoadError::whole_file(
                    file.display().to_string(),
                    format!("无法读取规则文件：{error}"),
                )
            })?;
            texts.push((file.display().to_string(), text));
        }
        let (layouts, rules): (Vec<_>, Vec<_>) =
            texts.iter().partition(|(_, text)| is_layout_file(text));
        for (path, text) in layouts {
            self.model.layouts.add_file(path, text)?;
        }
        let mut seen = HashSet::new();
        for (path, text) in rules {
            let rule = load::load_rule(path, text, &self.model.layouts)?;
            if !seen.insert(rule.code.clone()) {
                return Err(LoadError::whole_file(
                    path.clone(),
                    format!("规则代码 {} 在该目录中重复", rule.code),
                ));
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
        self.check_unique()?;
        self.configure_model();
        Ok(())
    }

    /// Collects what the rules set for the model (words, wordings).
    fn configure_model(&mut self) {
        let mut model = ModelConfig {
            layouts: self.model.layouts.clone(),
            declared: self.model.declared,
            ..ModelConfig::default()
        };
        for rule in &self.rules {
            rule.check.configure(&mut model);
        }
        self.model = model;
    }

    fn check_unique(&self) -> Result<(), LoadError> {
        let mut codes = HashSet::new();
        let mut names = HashSet::new();
        for rule in &self.rules {
            if !codes.insert(rule.code.as_str()) || !names.insert(rule.name.as_str()) {
                return Err(LoadError::whole_file(
                    rule.source.clone(),
                    format!("规则代码 {} 或名称 {} 与其他规则重复", rule.code, rule.name),
                ));
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

    /// What building a report's model takes from the data: layouts, words, wordings.
    pub fn model(&self) -> &ModelConfig {
        &self.model
    }

    /// Sets what the configuration declares about the publisher of the reports it covers.
    pub fn declare(&mut self, declared: crate::model::published::Declared) {
        self.model.declared = declared;
    }

    /// The table layouts in force.
    pub fn layouts(&self) -> &LayoutSet {
        &self.model.layouts
    }

    /// Whether any rule compares a report with the year before's.
    pub fn has_cross_year(&self) -> bool {
        self.rules.iter().any(|rule| rule.check.compares_years())
    }

    /// The rows (table, row key) the rules comparing years need from every report.
    pub fn cross_year_needs(&self) -> Vec<(TableId, &'static str)> {
        let mut out = Vec::new();
        for rule in &self.rules {
            for need in rule.check.year_needs() {
                if !out.contains(&need) {
                    out.push(need);
                }
            }
        }
        out
    }

    /// The single cells (table, row key, column) the rules comparing years need from every
    /// report, beyond the whole rows of [`Registry::cross_year_needs`].
    pub fn cross_year_cells(&self) -> Vec<(TableId, &'static str, &'static str)> {
        let mut out = Vec::new();
        for rule in &self.rules {
            for need in rule.check.year_cells() {
                if !out.contains(&need) {
                    out.push(need);
                }
            }
        }
        out
    }

    /// Runs the rules comparing years on a report and the same body's report for the year
    /// before.
    pub fn check_pair(&self, current: &YearFacts, previous: &YearFacts) -> Findings {
        let mut findings = Findings::default();
        for rule in self.pair_rules(current, previous) {
            let mut context = PairContext {
                current,
                previous,
                rule,
                findings: &mut findings,
            };
            rule.check.run_pair(&mut context);
        }
        findings
            .diagnostics
            .sort_by(|a, b| (a.start(), &a.code).cmp(&(b.start(), &b.code)));
        findings
    }

    /// The rules comparing years that apply to a pair: both reports of eras the rule covers (a
    /// pre-2019 report has no tables), the current one of a kind it covers, the previous one an
    /// annual report.
    fn pair_rules<'a>(
        &'a self,
        current: &'a YearFacts,
        previous: &'a YearFacts,
    ) -> impl Iterator<Item = &'a Rule> {
        self.rules.iter().filter(move |rule| {
            rule.check.compares_years()
                && previous.kind == ReportKind::AnnualReport
                && rule.applies_to.contains(&current.kind)
                && rule
                    .eras
                    .as_ref()
                    .is_none_or(|eras| eras.contains(&current.era) && eras.contains(&previous.era))
        })
    }

    /// Whether any rule comparing years applies to a pair.
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

/// The `.toml` files under `dir`, recursively. Symbolic links are not followed: a link back up
/// the tree would make the walk endless.
fn collect_toml(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let path = entry.path();
        let kind = entry.file_type()?;
        let is_toml = path.extension().is_some_and(|ext| ext == "toml");
        if kind.is_dir() {
            collect_toml(&path, out)?;
        } else if is_toml && (kind.is_file() || (kind.is_symlink() && path.is_file())) {
            // A link to a file cannot loop; only links to folders are left alone.
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
    /// Renders one of the rule's messages.
    pub fn message(&self, key: &str, vars: &[(&str, String)]) -> String {
        self.rule.render(key, vars)
    }

    /// A finding of this rule with the given message key, at the severity the rule sets for it.
    pub fn diagnostic(&self, key: &str, vars: &[(&str, String)]) -> Diagnostic {
        self.rule
            .diagnostic(key, vars, self.report.year, self.report.era)
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
        let item = self.rule.not_assessable(check, reason, instances, range);
        self.findings.not_assessable.push(item);
    }

    /// Records a check that could not be carried out, built by the caller.
    pub fn push_not_assessable(&mut self, item: NotAssessable) {
        self.findings.not_assessable.push(item);
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

/// What a check comparing years sees: the figures of a report and of the same body's report for
/// the year before (kept once the documents themselves are gone), its rule, and where to report.
pub struct PairContext<'a> {
    /// This year's report.
    pub current: &'a YearFacts,
    /// The year before's.
    pub previous: &'a YearFacts,
    /// The rule being run.
    pub rule: &'a Rule,
    findings: &'a mut Findings,
}

impl PairContext<'_> {
    /// Reports a finding.
    pub fn emit(&mut self, diagnostic: Diagnostic) {
        self.findings.diagnostics.push(diagnostic);
    }

    /// Records a check that could not be carried out.
    pub fn push_not_assessable(&mut self, item: NotAssessable) {
        self.findings.not_assessable.push(item);
    }
}
