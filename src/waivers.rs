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
use std::time::{SystemTime, UNIX_EPOCH};

use globset::{Glob, GlobMatcher};
use serde::Deserialize;
use toml::Spanned;
use toml::value::Datetime;

use crate::config::{glob_covers, relative_to};
use crate::diagnostic::{Diagnostic, Label};
use crate::lint::{FileResult, FileRole, engine_diagnostic};
use crate::rules::{LoadError, TomlSource};
use crate::text::TextRange;

/// A calendar date.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Date {
    /// Year.
    pub year: i32,
    /// Month, 1–12.
    pub month: u32,
    /// Day, 1–31.
    pub day: u32,
}

impl std::fmt::Display for Date {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl Date {
    /// Today (UTC).
    pub fn today() -> Self {
        let seconds = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |elapsed| elapsed.as_secs());
        Self::from_days(i64::try_from(seconds / 86_400).unwrap_or(0))
    }

    /// The date `days` after 1970-01-01 (H. Hinnant's `civil_from_days`).
    fn from_days(days: i64) -> Self {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = doy - (153 * mp + 2) / 5 + 1;
        let month = if mp < 10 { mp + 3 } else { mp - 9 };
        let year = yoe + era * 400 + i64::from(month <= 2);
        Self {
            year: i32::try_from(year).unwrap_or(i32::MAX),
            month: u32::try_from(month).unwrap_or(1),
            day: u32::try_from(day).unwrap_or(1),
        }
    }

    /// The same day a year later (28 February for 29 February).
    pub fn next_year(self) -> Self {
        let day = if self.month == 2 && self.day == 29 {
            28
        } else {
            self.day
        };
        Self {
            year: self.year + 1,
            day,
            ..self
        }
    }
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
    path: Option<GlobMatcher>,
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
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => String::new(),
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
                Some(pattern) => Some(
                    Glob::new(pattern.get_ref())
                        .map_err(|error| {
                            source.error(pattern.span(), format!("无效的路径模式：{error}"))
                        })?
                        .compile_matcher(),
                ),
                None => None,
            };
            let expires = match &entry.expires {
                Some(value) => match value.get_ref().date {
                    Some(date) if value.get_ref().time.is_none() => Some(Date {
                        year: i32::from(date.year),
                        month: u32::from(date.month),
                        day: u32::from(date.day),
                    }),
                    _ => {
                        return Err(source
                            .error(value.span(), "expires 应为日期，如 2027-06-30（不加引号）"));
                    }
                },
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
        Ok(Self {
            path: path.to_path_buf(),
            display,
            text,
            base,
            entries,
            today,
        })
    }

    /// Removes the findings of a file that a waiver in force covers, counting them in
    /// `result.waived`. Returns what the waivers did, to be [recorded](Self::record) (this takes
    /// `&self` so that files can be checked in parallel).
    pub fn apply(&self, result: &mut FileResult, file: &Path) -> WaiverUse {
        let usage = self.waive(
            &mut result.diagnostics,
            result.source.as_deref().unwrap_or(""),
            file,
        );
        result.waived += usage.waived();
        usage
    }

    /// Removes from `diagnostics` (findings of `file`, whose text is `source`) those a waiver in
    /// force covers. Returns what the waivers did; `used` has one entry per finding waived.
    pub fn waive(&self, diagnostics: &mut Vec<Diagnostic>, source: &str, file: &Path) -> WaiverUse {
        let mut usage = WaiverUse::default();
        let relative = relative_to(&self.base, file);
        let mut in_force = Vec::with_capacity(self.entries.len());
        for (index, entry) in self.entries.iter().enumerate() {
            let here = entry
                .path
                .as_ref()
                .is_none_or(|glob| glob_covers(glob, &relative, file));
            if here {
                usage.in_scope.push(index);
            }
            in_force.push(here && entry.expires.is_none_or(|date| date >= self.today));
        }
        diagnostics.retain(|diagnostic| {
            let fingerprint = diagnostic.fingerprint();
            let hit = self
                .entries
                .iter()
                .zip(&in_force)
                .position(|(entry, live)| *live && covers(entry, diagnostic, &fingerprint, source));
            match hit {
                Some(index) => {
                    usage.used.push(index);
                    false
                }
                None => true,
            }
        });
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
        let expires = self.today.next_year();
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
    fn days_become_dates() {
        assert_eq!(
            Date::from_days(0),
            Date {
                year: 1970,
                month: 1,
                day: 1
            }
        );
        // 2026-11-24 is day 20,781.
        assert_eq!(Date::from_days(20_781).to_string(), "2026-11-24");
        assert_eq!(Date::from_days(19_782).to_string(), "2024-02-29");
        assert_eq!(
            Date::from_days(19_782).next_year().to_string(),
            "2025-02-28"
        );
    }

    #[test]
    fn a_baseline_reads_back_whatever_the_path() {
        let dir = tempfile::tempdir().unwrap();
        let waivers =
            WaiverFile::load(&dir.path().join("w.toml"), "w.toml", Date::from_days(0)).unwrap();
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
