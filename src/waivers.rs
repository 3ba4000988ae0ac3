//! Waivers: findings on published reports that were reviewed and accepted. A published report
//! cannot carry comments, so the decision lives in a sidecar file:
//!
//! ```toml
//! [[waiver]]
//! path = "2021/青禾县.html"                 # optional: glob, relative to this file
//! fingerprint = "T001-0123456789abcdef"    # the finding's fingerprint (JSON, SARIF) …
//! matches = "（七）总计"                    # … or a fragment of its message or marked text
//! code = "T001"                            # optional: only findings of this rule
//! reason = "表格按原件发布，次年报告已更正"
//! approved-by = "县政务公开办 张三"
//! expires = 2027-06-30
//! ```
//!
//! Waived findings are counted, not printed. Expired waivers no longer apply and are reported, as
//! are waivers that matched nothing and waivers without a reason, an approver or an expiry date.

use std::path::{Path, PathBuf};

use globset::Glob;
use serde::Deserialize;
use toml::Spanned;
use toml::value::Datetime;

use crate::config::{GlobList, relative_to};
use crate::diagnostic::{Diagnostic, Label};
use crate::lint::{FileResult, FileRole, engine_diagnostic};
use crate::rules::{LoadError, TomlSource};
use crate::text::TextRange;

/// A calendar date: when a waiver expires, and today's date it is compared with.
pub use jiff::civil::Date;

/// Today in the machine's time zone: a waiver dated 30 June applies all through 30 June where
/// it was approved, not until 08:00 as a UTC date would in China. Without a configured time zone
/// jiff falls back to UTC.
pub fn today() -> Date {
    jiff::ZonedDateTime::now().date()
}

/// The same day a year later (28 February for 29 February): the expiry written by
/// `--add-waivers`.
pub fn next_year(date: Date) -> Date {
    date.saturating_add(jiff::ToSpan::years(1))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct WaiverFileToml {
    #[serde(default)]
    waiver: Vec<Spanned<EntryToml>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct EntryToml {
    path: Option<Spanned<String>>,
    fingerprint: Option<String>,
    matches: Option<String>,
    code: Option<String>,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    approved_by: String,
    expires: Option<Spanned<Datetime>>,
}

#[derive(Debug)]
struct Entry {
    range: TextRange,
    /// Its `path` glob, as an index into the file's globs.
    path: Option<usize>,
    fingerprint: Option<String>,
    matches: Option<String>,
    code: Option<String>,
    reason: String,
    approved_by: String,
    expires: Option<Date>,
    /// Findings it waived in this run.
    used: usize,
    /// True once a checked file fell within its `path` (always, without one).
    in_scope: bool,
}

/// What the waivers of a file did for one checked file.
#[derive(Clone, Debug, Default)]
pub struct WaiverUse {
    /// Entries whose `path` covers the checked file.
    in_scope: Vec<usize>,
    /// Entries that waived a finding (once per finding).
    used: Vec<usize>,
}

/// A waiver file and what its waivers did in this run.
#[derive(Debug)]
pub struct WaiverFile {
    /// Where it is.
    pub path: PathBuf,
    display: String,
    text: String,
    base: PathBuf,
    entries: Vec<Entry>,
    /// The entries' `path` globs, compiled together.
    globs: GlobList,
    today: Date,
}

impl WaiverUse {
    /// How many findings were waived.
    pub fn waived(&self) -> usize {
        self.used.len()
    }
}

impl WaiverFile {
    /// Reads a waiver file, shown as `display`; one that does not exist is empty (so
    /// `--add-waivers` can create it).
    pub fn load(path: &Path, display: &str, today: Date) -> Result<Self, LoadError> {
        let display = display.to_owned();
        let text = match crate::input::read_text_limited(path) {
            Ok(text) => text,
            Err(crate::input::LimitedReadError::NotFound) => String::new(),
            Err(error) => {
                return Err(LoadError {
                    path: display,
                    line: 1,
                    column: 1,
                    message: format!("无法读取豁免文件：{error}"),
                });
            }
        };
        let source = TomlSource {
            path: &display,
            text: &text,
        };
        let parsed: WaiverFileToml = source.parse()?;
        let base = std::path::absolute(path)
            .ok()
            .and_then(|p| p.parent().map(Path::to_path_buf))
            .unwrap_or_default();
        let mut entries = Vec::with_capacity(parsed.waiver.len());
        let mut globs = Vec::new();
        let mut glob_spans = Vec::new();
        for spanned in parsed.waiver {
            let span = spanned.span();
            let entry = spanned.into_inner();
            if entry.fingerprint.is_none() && entry.matches.is_none() {
                return Err(source.error(
                    span,
                    "豁免必须写明 fingerprint（问题指纹）或 matches（问题文字片段）",
                ));
            }
            let path = match &entry.path {
                Some(pattern) => {
                    globs.push(Glob::new(pattern.get_ref()).map_err(|error| {
                        source.error(pattern.span(), format!("无效的路径模式：{error}"))
                    })?);
                    glob_spans.push(pattern.span());
                    Some(globs.len() - 1)
                }
                None => None,
            };
            let expires = match &entry.expires {
                // A TOML local date (no time, no offset) in its ISO form, read by jiff.
                Some(value) => match value.get_ref().date {
                    Some(date) if value.get_ref().time.is_none() => date.to_string().parse().ok(),
                    _ => None,
                }
                .map(Some)
                .ok_or_else(|| {
                    source.error(value.span(), "expires 应为日期，如 2027-06-30（不加引号）")
                })?,
                None => None,
            };
            entries.push(Entry {
                range: TextRange::new(span.start, span.end),
                in_scope: path.is_none(),
                path,
                fingerprint: entry.fingerprint,
                matches: entry.matches.filter(|m| !m.is_empty()),
                code: entry.code,
                reason: entry.reason,
                approved_by: entry.approved_by,
                expires,
                used: 0,
            });
        }
        let globs = GlobList::build(globs).map_err(|(index, error)| {
            let span = glob_spans.get(index).cloned().unwrap_or(0..0);
            source.error(span, format!("无效的路径模式：{error}"))
        })?;
        Ok(Self {
            path: path.to_path_buf(),
            display,
            text,
            base,
            entries,
            globs,
            today,
        })
    }

    /// Removes the findings of a file that a waiver in force covers, counting them in
    /// `result.waived`. Returns what the waivers did, to be [recorded](Self::record) (this takes
    /// `&self` so that files can be checked in parallel).
    pub fn apply(&self, result: &mut FileResult, file: &Path) -> WaiverUse {
        let usage = self.waive(
            &mut result.diagnostics,
            &mut result.waived_findings,
            result.source.as_deref().unwrap_or(""),
            file,
        );
        result.waived += usage.waived();
        usage
    }

    /// Moves from `diagnostics` (findings of `file`, whose text is `source`) to `waived` those a
    /// waiver in force covers. Returns what the waivers did; `used` has one entry per finding
    /// waived.
    pub fn waive(
        &self,
        diagnostics: &mut Vec<Diagnostic>,
        waived: &mut Vec<Diagnostic>,
        source: &str,
        file: &Path,
    ) -> WaiverUse {
        let mut usage = WaiverUse::default();
        let relative = relative_to(&self.base, file);
        let covering = self.globs.matching(&relative, file);
        let mut in_force = Vec::with_capacity(self.entries.len());
        for (index, entry) in self.entries.iter().enumerate() {
            let here = entry
                .path
                .is_none_or(|glob| covering.binary_search(&glob).is_ok());
            if here {
                usage.in_scope.push(index);
            }
            in_force.push(here && entry.expires.is_none_or(|date| date >= self.today));
        }
        let mut kept = Vec::with_capacity(diagnostics.len());
        for diagnostic in diagnostics.drain(..) {
            let fingerprint = diagnostic.fingerprint();
            let hit = self
                .entries
                .iter()
                .zip(&in_force)
                .position(|(entry, live)| {
                    *live && covers(entry, &diagnostic, &fingerprint, source)
                });
            match hit {
                Some(index) => {
                    usage.used.push(index);
                    waived.push(diagnostic);
                }
                None => kept.push(diagnostic),
            }
        }
        *diagnostics = kept;
        usage
    }

    /// Records what the waivers did for one file.
    pub fn record(&mut self, usage: &WaiverUse) {
        for &index in &usage.in_scope {
            if let Some(entry) = self.entries.get_mut(index) {
                entry.in_scope = true;
            }
        }
        for &index in &usage.used {
            if let Some(entry) = self.entries.get_mut(index) {
                entry.used += 1;
            }
        }
    }

    /// What is wrong with the waivers after a run: expired, unused, incomplete. `None` when
    /// nothing is.
    pub fn report(&self) -> Option<FileResult> {
        let mut diagnostics = Vec::new();
        for entry in &self.entries {
            let expired = entry.expires.filter(|date| *date < self.today);
            if let Some(date) = expired {
                diagnostics.push(
                    engine_diagnostic("E012", format!("豁免已于 {date} 到期，相应问题重新报告"))
                        .with_primary(Label::new(entry.range, "已到期的豁免"))
                        .with_note(
                            "建议：问题已改正则删除此豁免；仍需豁免则重新审批并更新 expires",
                        ),
                );
            } else if entry.in_scope && entry.used == 0 {
                diagnostics.push(
                    engine_diagnostic(
                        "E013",
                        "豁免没有对应任何问题（问题可能已改正，或指纹、文字片段不再匹配）",
                    )
                    .with_primary(Label::new(entry.range, "未使用的豁免"))
                    .with_note("建议：删除此豁免，以免将来掩盖新的问题"),
                );
            }
            let mut missing = Vec::new();
            if entry.reason.trim().is_empty() {
                missing.push("reason（理由）");
            }
            if entry.approved_by.trim().is_empty() {
                missing.push("approved-by（批准人）");
            }
            if entry.expires.is_none() {
                missing.push("expires（到期日）");
            }
            if !missing.is_empty() {
                diagnostics.push(
                    engine_diagnostic("E014", format!("豁免缺少 {}", missing.join("、")))
                        .with_primary(Label::new(entry.range, "请补全")),
                );
            }
        }
        if diagnostics.is_empty() {
            return None;
        }
        diagnostics.sort_by_key(Diagnostic::start);
        Some(FileResult {
            path: self.display.clone(),
            source: Some(self.text.clone()),
            report: None,
            diagnostics,
            not_assessable: Vec::new(),
            hidden: 0,
            waived: 0,
            role: FileRole::Waivers,
            facts: None,
            figures: None,
            waived_findings: Vec::new(),
        })
    }

    /// The text of new waivers for every finding of `results` (each with the path of its file),
    /// to be appended to this file: a baseline, each entry still needing a reason and an approver.
    pub fn baseline<'a>(
        &self,
        results: impl IntoIterator<Item = (&'a FileResult, &'a Path)>,
    ) -> (String, usize) {
        let mut out = String::new();
        let mut count = 0;
        let expires = next_year(self.today);
        for (result, file) in results {
            let relative = relative_to(&self.base, file);
            for diagnostic in &result.diagnostics {
                count += 1;
                out.push_str(&format!(
                    "\n# {} {}：{}\n[[waiver]]\npath = {}\nfingerprint = \"{}\"\nreason = \"\"\napproved-by = \"\"\nexpires = {expires}\n",
                    diagnostic.code,
                    diagnostic.name,
                    diagnostic.message.replace('\n', " "),
                    toml::Value::String(relative.clone()),
                    diagnostic.fingerprint(),
                ));
            }
        }
        (out, count)
    }

    /// The file's current text.
    pub fn text(&self) -> &str {
        &self.text
    }
}

/// Whether a waiver covers a finding (its scope and date already checked).
fn covers(entry: &Entry, diagnostic: &Diagnostic, fingerprint: &str, source: &str) -> bool {
    if entry
        .code
        .as_ref()
        .is_some_and(|code| *code != diagnostic.code)
    {
        return false;
    }
    if entry
        .fingerprint
        .as_ref()
        .is_some_and(|wanted| wanted != fingerprint)
    {
        return false;
    }
    entry.matches.as_ref().is_none_or(|fragment| {
        diagnostic.message.contains(fragment.as_str())
            || diagnostic
                .labels_here()
                .any(|label| label.range.slice(source).contains(fragment.as_str()))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_year_later_is_the_same_day_or_28_february() {
        assert_eq!(
            next_year(jiff::civil::date(2026, 11, 24)).to_string(),
            "2027-11-24"
        );
        assert_eq!(
            next_year(jiff::civil::date(2024, 2, 29)).to_string(),
            "2025-02-28"
        );
    }

    #[test]
    fn expires_must_be_a_real_date() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("w.toml");
        let entry = "[[waiver]]\nmatches = \"x\"\nexpires = ";
        std::fs::write(&path, format!("{entry}2027-02-28\n")).unwrap();
        let today = jiff::civil::date(2027, 3, 1);
        let waivers = WaiverFile::load(&path, "w.toml", today).unwrap();
        assert_eq!(
            waivers.entries[0].expires,
            Some(jiff::civil::date(2027, 2, 28))
        );
        let expired = waivers.report().unwrap();
        assert!(expired.diagnostics[0].message.contains("2027-02-28"));
        for wrong in ["2027-02-30", "2027-02-28T08:00:00", "\"2027-02-28\""] {
            std::fs::write(&path, format!("{entry}{wrong}\n")).unwrap();
            assert!(WaiverFile::load(&path, "w.toml", today).is_err(), "{wrong}");
        }
    }

    #[test]
    fn a_baseline_reads_back_whatever_the_path() {
        let dir = tempfile::tempdir().unwrap();
        let waivers = WaiverFile::load(
            &dir.path().join("w.toml"),
            "w.toml",
            jiff::civil::date(1970, 1, 1),
        )
        .unwrap();
        let mut result = FileResult::empty("x");
        result.diagnostics.push(Diagnostic::new(
            "T001",
            "identity-mismatch",
            crate::diagnostic::Severity::Error,
            "m",
        ));
        let file = dir.path().join("a\"b'c.html");
        let (text, count) = waivers.baseline([(&result, file.as_path())]);
        assert_eq!(count, 1);
        let parsed: toml::Table = toml::from_str(&text).unwrap();
        let entry = &parsed["waiver"][0];
        assert_eq!(entry["path"].as_str(), Some("a\"b'c.html"));
        assert_eq!(
            entry["fingerprint"].as_str(),
            Some(result.diagnostics[0].fingerprint().as_str())
        );
    }
}
