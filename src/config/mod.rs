//! Configuration: `xxgk-lint.toml` (or `.xxgk-lint.toml`), found by walking up from each checked
//! file or given with `--config`, then command-line flags on top. Precedence, lowest first:
//! built-in defaults, the configuration file, the flags.
//!
//! ```toml
//! select = ["ALL"]                 # rules in force: ALL, codes, code prefixes or names
//! ignore = ["S002"]                # rules switched off (flags add to this list)
//! min-severity = "warning"         # hide findings below this level
//! exit-zero = false                # exit 0 even with error-level findings
//! rules = ["my-rules"]             # extra rule folders, relative to this file
//! waivers = "xxgk-lint.waivers.toml"   # the waiver file, relative to this file
//! [severity]                       # severity overrides, by selector
//! T002 = "error"
//! [per-file-ignores]               # rules switched off for some files (globs, relative to this file)
//! "2019/*.txt" = ["T003"]
//! [publication]                    # the publisher of the reports covered (deadline rule P003)
//! issuer-type = "department"       # government | department | other
//! deadline = "02-20"               # a local deadline, month-day of the year after the report year
//! ```

pub mod select;

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use globset::{Glob, GlobSet, GlobSetBuilder};
use serde::Deserialize;
use thiserror::Error;
use toml::Spanned;

pub use select::Selector;

use crate::diagnostic::{Diagnostic, NotAssessable, Severity};
use crate::lint::{ENGINE_CODES, FileResult};
use crate::model::published::{Declared, IssuerType, MonthDay};
use crate::rules::{LoadError, Registry, TomlSource};

/// The names a configuration file may have, in the order they are looked for in each folder.
pub const CONFIG_NAMES: [&str; 2] = ["xxgk-lint.toml", ".xxgk-lint.toml"];

/// The waiver file looked for beside the configuration file when none is named.
pub const DEFAULT_WAIVERS: &str = "xxgk-lint.waivers.toml";

/// A configuration that cannot be used.
#[derive(Debug, Error)]
pub enum ConfigError {
    /// A configuration or rule file is wrong (with its place).
    #[error(transparent)]
    File(#[from] LoadError),
    /// A command-line value is wrong.
    #[error("{flag}：{message}")]
    Flag {
        /// The flag.
        flag: &'static str,
        /// What is wrong.
        message: String,
    },
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct ConfigFile {
    select: Option<Vec<Spanned<String>>>,
    ignore: Option<Vec<Spanned<String>>>,
    #[serde(default)]
    severity: BTreeMap<String, Spanned<Severity>>,
    #[serde(default)]
    per_file_ignores: BTreeMap<String, Spanned<Vec<Spanned<String>>>>,
    rules: Option<Vec<Spanned<String>>>,
    waivers: Option<Spanned<String>>,
    min_severity: Option<Severity>,
    exit_zero: Option<bool>,
    publication: Option<PublicationFile>,
}

/// `[publication]`: what is known of the publisher of the reports a configuration covers.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct PublicationFile {
    issuer_type: Option<Spanned<String>>,
    deadline: Option<Spanned<String>>,
}

/// Reads `[publication]`, each mistake reported at its place in the file.
fn declared(
    source: &TomlSource<'_>,
    file: Option<&PublicationFile>,
) -> Result<Declared, ConfigError> {
    let Some(file) = file else {
        return Ok(Declared::default());
    };
    let issuer_type = file
        .issuer_type
        .as_ref()
        .map(|name| {
            IssuerType::parse(name.get_ref()).ok_or_else(|| {
                source.error(
                    name.span(),
                    format!(
                        "发布机关类型「{}」无效（可用：{}）",
                        name.get_ref(),
                        IssuerType::NAMES.join(", ")
                    ),
                )
            })
        })
        .transpose()?;
    let deadline = file
        .deadline
        .as_ref()
        .map(|text| {
            MonthDay::parse(text.get_ref()).ok_or_else(|| {
                source.error(
                    text.span(),
                    format!(
                        "公布期限「{}」无效：应写作 MM-DD（报告年度次年的月、日），如 02-20",
                        text.get_ref()
                    ),
                )
            })
        })
        .transpose()?;
    Ok(Declared {
        issuer_type,
        deadline,
    })
}

/// What the command line says, on top of the configuration file.
#[derive(Clone, Debug, Default)]
pub struct Overrides {
    /// `--select`: replaces the file's selection.
    pub select: Option<Vec<String>>,
    /// `--ignore`: added to the file's ignore list.
    pub ignore: Vec<String>,
    /// `--rules`: rule folders added after the file's.
    pub rule_dirs: Vec<PathBuf>,
    /// `--waivers`: replaces the file's waiver file.
    pub waivers: Option<PathBuf>,
    /// `--min-severity`.
    pub min_severity: Option<Severity>,
    /// `--exit-zero`.
    pub exit_zero: bool,
}

/// Rules switched off for the files matching a glob.
#[derive(Debug)]
pub struct PerFileIgnore {
    /// The glob as written.
    pub pattern: String,
    /// The rules.
    pub selectors: Vec<Selector>,
}

/// The settings in force for a file: the configuration file (if any) and the flags, resolved,
/// with the rules they load.
#[derive(Debug)]
pub struct Settings {
    /// The configuration file used.
    pub config: Option<PathBuf>,
    /// The folder globs and relative paths are taken from (the configuration file's, else the
    /// working directory).
    pub base: PathBuf,
    /// Rules in force.
    pub select: Vec<Selector>,
    /// Rules switched off.
    pub ignore: Vec<Selector>,
    /// Severity overrides.
    pub severity: Vec<(Selector, Severity)>,
    /// Rules switched off for some files.
    pub per_file_ignores: Vec<PerFileIgnore>,
    /// The globs of `per_file_ignores`, compiled together.
    per_file_globs: GlobList,
    /// Extra rule folders, in load order.
    pub rule_dirs: Vec<PathBuf>,
    /// The waiver file, if there is one.
    pub waivers: Option<PathBuf>,
    /// Findings below this level are hidden.
    pub min_severity: Severity,
    /// Exit 0 whatever is found.
    pub exit_zero: bool,
    /// The rules loaded: built-in, then the configuration's folders, then `--rules`.
    pub registry: Registry,
}

impl Settings {
    /// Resolves the settings from a configuration file (or none) and the flags. `cwd` anchors
    /// relative paths when there is no file.
    pub fn resolve(
        config: Option<&Path>,
        overrides: &Overrides,
        cwd: &Path,
    ) -> Result<Self, ConfigError> {
        let (file, text, base) = match config {
            Some(path) => {
                let text = crate::input::read_text_limited(path).map_err(|error| LoadError {
                    path: path.display().to_string(),
                    line: 1,
                    column: 1,
                    message: format!("无法读取配置文件：{error}"),
                })?;
                let base = path
                    .parent()
                    .map_or_else(|| cwd.to_path_buf(), Path::to_path_buf);
                let base = if base.as_os_str().is_empty() {
                    cwd.to_path_buf()
                } else {
                    base
                };
                (Some(path.to_path_buf()), text, base)
            }
            None => (None, String::new(), cwd.to_path_buf()),
        };
        let display = file
            .as_ref()
            .map_or_else(String::new, |path| path.display().to_string());
        let source = TomlSource {
            path: &display,
            text: &text,
        };
        let parsed: ConfigFile = if file.is_some() {
            source.parse()?
        } else {
            ConfigFile::default()
        };

        let mut rule_dirs: Vec<PathBuf> = parsed
            .rules
            .iter()
            .flatten()
            .map(|dir| base.join(dir.get_ref()))
            .collect();
        rule_dirs.extend(overrides.rule_dirs.iter().cloned());
        let mut registry = Registry::builtin()?;
        for dir in &rule_dirs {
            registry.extend_from_dir(dir)?;
        }
        registry.declare(declared(&source, parsed.publication.as_ref())?);
        let known: Vec<(&str, &str)> = registry
            .rules()
            .iter()
            .map(|rule| (rule.code.as_str(), rule.name.as_str()))
            .chain(ENGINE_CODES.iter().map(|engine| (engine.code, engine.name)))
            .collect();
        let in_file = |text: &Spanned<String>| {
            Selector::parse(text.get_ref(), &known)
                .map_err(|error| source.error(text.span(), error.to_string()))
        };
        let on_flag = |flag: &'static str, text: &str| {
            Selector::parse(text, &known).map_err(|error| ConfigError::Flag {
                flag,
                message: error.to_string(),
            })
        };

        let select = match &overrides.select {
            Some(list) => list
                .iter()
                .map(|text| on_flag("--select", text))
                .collect::<Result<Vec<_>, _>>()?,
            None => match &parsed.select {
                Some(list) => list.iter().map(in_file).collect::<Result<Vec<_>, _>>()?,
                None => vec![Selector::All],
            },
        };
        let mut ignore = parsed
            .ignore
            .iter()
            .flatten()
            .map(in_file)
            .collect::<Result<Vec<_>, _>>()?;
        for text in &overrides.ignore {
            ignore.push(on_flag("--ignore", text)?);
        }
        let severity = parsed
            .severity
            .iter()
            .map(|(key, level)| {
                let selector = Selector::parse(key, &known)
                    .map_err(|error| source.error(level.span(), error.to_string()))?;
                Ok((selector, *level.get_ref()))
            })
            .collect::<Result<Vec<_>, ConfigError>>()?;
        let mut per_file_ignores = Vec::with_capacity(parsed.per_file_ignores.len());
        let mut globs = Vec::with_capacity(parsed.per_file_ignores.len());
        let mut spans = Vec::with_capacity(parsed.per_file_ignores.len());
        for (pattern, selectors) in &parsed.per_file_ignores {
            let invalid = |error: &dyn std::fmt::Display| {
                source.error(
                    selectors.span(),
                    format!("无效的路径模式「{pattern}」：{error}"),
                )
            };
            globs.push(Glob::new(pattern).map_err(|error| invalid(&error))?);
            spans.push((pattern, selectors.span()));
            per_file_ignores.push(PerFileIgnore {
                pattern: pattern.clone(),
                selectors: selectors
                    .get_ref()
                    .iter()
                    .map(in_file)
                    .collect::<Result<Vec<_>, _>>()?,
            });
        }
        let per_file_globs = GlobList::build(globs).map_err(|(index, error)| {
            let (pattern, span) = spans[index].clone();
            source.error(span, format!("无效的路径模式「{pattern}」：{error}"))
        })?;
        let waivers = match (&overrides.waivers, &parsed.waivers) {
            (Some(path), _) => Some(path.clone()),
            (None, Some(path)) => Some(base.join(path.get_ref())),
            (None, None) => file
                .as_ref()
                .map(|_| base.join(DEFAULT_WAIVERS))
                .filter(|path| path.is_file()),
        };
        Ok(Self {
            config: file,
            base,
            select,
            ignore,
            severity,
            per_file_ignores,
            per_file_globs,
            rule_dirs,
            waivers,
            min_severity: overrides
                .min_severity
                .or(parsed.min_severity)
                .unwrap_or(Severity::Info),
            exit_zero: overrides.exit_zero || parsed.exit_zero.unwrap_or(false),
            registry,
        })
    }

    /// Whether a rule is in force for a file.
    pub fn enabled(&self, code: &str, path: &Path) -> bool {
        self.enabled_with(code, &self.ignored_for(path))
    }

    /// The selectors of the per-file ignores that cover a file.
    fn ignored_for(&self, path: &Path) -> Vec<&Selector> {
        let relative = relative_to(&self.base, path);
        self.per_file_globs
            .matching(&relative, path)
            .into_iter()
            .filter_map(|index| self.per_file_ignores.get(index))
            .flat_map(|rule| &rule.selectors)
            .collect()
    }

    /// Whether a rule is in force, given the per-file ignores that cover the file.
    fn enabled_with(&self, code: &str, ignored_here: &[&Selector]) -> bool {
        let selected = select::best_match(&self.select, code);
        let ignored = if ignored_here.iter().any(|s| s.matches(code)) {
            // A per-file ignore is the most specific statement there is.
            Some(usize::MAX)
        } else {
            select::best_match(&self.ignore, code)
        };
        match (selected, ignored) {
            (Some(selected), Some(ignored)) => selected > ignored,
            (Some(_), None) => true,
            (None, _) => false,
        }
    }

    /// The severity a finding of this code gets: the most specific override, else its own.
    pub fn severity_of(&self, code: &str, own: Severity) -> Severity {
        self.severity
            .iter()
            .filter(|(selector, _)| selector.matches(code))
            .max_by_key(|(selector, _)| selector.specificity())
            .map_or(own, |(_, severity)| *severity)
    }

    /// Applies the selection, severity overrides and minimum severity to a file's results.
    pub fn apply(&self, mut result: FileResult, path: &Path) -> FileResult {
        result.hidden += self.filter(&mut result.diagnostics, &mut result.not_assessable, path);
        result
    }

    /// Applies the selection, severity overrides and minimum severity to findings of a file;
    /// returns how many the minimum severity hid.
    pub fn filter(
        &self,
        diagnostics: &mut Vec<Diagnostic>,
        gaps: &mut Vec<NotAssessable>,
        path: &Path,
    ) -> usize {
        let ignored_here = self.ignored_for(path);
        diagnostics.retain(|d| self.enabled_with(&d.code, &ignored_here));
        gaps.retain(|item| self.enabled_with(&item.code, &ignored_here));
        for diagnostic in diagnostics.iter_mut() {
            diagnostic.severity = self.severity_of(&diagnostic.code, diagnostic.severity);
        }
        let before = diagnostics.len() + gaps.len();
        diagnostics.retain(|d| d.severity >= self.min_severity);
        if self.min_severity > Severity::Info {
            gaps.clear();
        }
        before - diagnostics.len() - gaps.len()
    }

    /// The settings as a configuration file would state them, with the state of every rule for
    /// `path`, for `show-config`.
    pub fn describe(&self, path: &Path) -> String {
        let quote = |items: &mut dyn Iterator<Item = String>| {
            items
                .map(|item| format!("\"{item}\""))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let mut out = String::new();
        match &self.config {
            Some(path) => out.push_str(&format!("# 配置文件：{}\n", path.display())),
            None => out.push_str("# 没有配置文件：使用默认设置\n"),
        }
        out.push_str(&format!(
            "select = [{}]\n",
            quote(&mut self.select.iter().map(ToString::to_string))
        ));
        out.push_str(&format!(
            "ignore = [{}]\n",
            quote(&mut self.ignore.iter().map(ToString::to_string))
        ));
        out.push_str(&format!(
            "min-severity = \"{}\"\n",
            self.min_severity.name()
        ));
        out.push_str(&format!("exit-zero = {}\n", self.exit_zero));
        out.push_str(&format!(
            "rules = [{}]\n",
            quote(&mut self.rule_dirs.iter().map(|p| p.display().to_string()))
        ));
        match &self.waivers {
            Some(path) => out.push_str(&format!("waivers = \"{}\"\n", path.display())),
            None => out.push_str("# waivers：没有豁免文件\n"),
        }
        out.push_str("\n[severity]\n");
        for (selector, severity) in &self.severity {
            out.push_str(&format!("{selector} = \"{}\"\n", severity.name()));
        }
        out.push_str("\n[per-file-ignores]\n");
        for rule in &self.per_file_ignores {
            out.push_str(&format!(
                "\"{}\" = [{}]\n",
                rule.pattern,
                quote(&mut rule.selectors.iter().map(ToString::to_string))
            ));
        }
        let declared = self.registry.model().declared;
        out.push_str("\n[publication]\n");
        match declared.issuer_type {
            Some(issuer_type) => {
                out.push_str(&format!("issuer-type = \"{}\"\n", issuer_type.name()));
            }
            None => out.push_str("# issuer-type：按标题中的发布机关名称判断\n"),
        }
        match declared.deadline {
            Some(deadline) => out.push_str(&format!(
                "deadline = \"{:02}-{:02}\"\n",
                deadline.month, deadline.day
            )),
            None => out.push_str("# deadline：法定期限\n"),
        }
        out.push_str(&format!(
            "\n# 对「{}」生效的规则（代码 名称 严重程度）\n",
            path.display()
        ));
        for rule in self.registry.rules() {
            let state = if self.enabled(&rule.code, path) {
                self.severity_of(&rule.code, rule.severity).name()
            } else {
                "off"
            };
            out.push_str(&format!("# {} {} {state}\n", rule.code, rule.name));
        }
        out
    }
}

/// Where the configuration comes from.
#[derive(Clone, Debug)]
pub enum ConfigSource {
    /// Look for a configuration file upward from each checked file.
    Discover,
    /// This file, for every checked file (`--config`).
    Given(PathBuf),
    /// No file (`--isolated`).
    Isolated,
}

/// Finds the configuration file for a folder: the first of [`CONFIG_NAMES`] in it or above it.
pub fn discover(start: &Path) -> Option<PathBuf> {
    find_upward(start, &CONFIG_NAMES)
}

/// The first file named one of `names` in `start` or a folder above it.
pub(crate) fn find_upward(start: &Path, names: &[&str]) -> Option<PathBuf> {
    start.ancestors().find_map(|dir| {
        names
            .iter()
            .map(|name| dir.join(name))
            .find(|candidate| candidate.is_file())
    })
}

/// The folder a checked path's configuration (and waiver file) is looked for from: the path
/// itself when it is a folder, else its parent; relative paths are taken from `cwd`.
pub(crate) fn start_dir(cwd: &Path, path: &Path) -> PathBuf {
    let absolute = cwd.join(path);
    if absolute.is_dir() {
        return absolute;
    }
    absolute
        .parent()
        .map_or_else(|| cwd.to_path_buf(), Path::to_path_buf)
}

/// A path as the globs of a file in `base` see it: relative to `base`, with `/` separators (as
/// given when it lies elsewhere).
pub(crate) fn relative_to(base: &Path, path: &Path) -> String {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let relative = absolute.strip_prefix(base).unwrap_or(path);
    relative.to_string_lossy().replace('\\', "/")
}

/// Path globs written in a file. The common shapes (a literal path, one `*`) are matched
/// directly; the rest are compiled by globset together in chunks. So a glob that cannot be
/// compiled is an error to report with its place (globset's single-glob matcher panics on one),
/// and a hundred thousand globs stay fast (globset compiles a regex for each `dir/*.txt`).
#[derive(Debug, Default)]
pub(crate) struct GlobList {
    /// Globs without wildcards: the paths they name, with their indexes.
    literal: HashMap<String, Vec<usize>>,
    /// Globs with one `*` and no other wildcard: prefix, suffix, index. `*` matches `/` as well
    /// (globset's default, which the other globs keep).
    star: Vec<(String, String, usize)>,
    /// Each chunk of the other globs compiled as one set, with the indexes of its globs.
    chunks: Vec<(GlobSet, Vec<usize>)>,
}

/// Globs per compiled chunk: large enough that thousands of globs make few matchers, small enough
/// that a chunk stays within the regex size limit.
const GLOB_CHUNK: usize = 256;

impl GlobList {
    /// Compiles globs; on failure, the index of the glob that cannot be compiled and why.
    pub(crate) fn build(globs: Vec<Glob>) -> Result<Self, (usize, String)> {
        let mut list = Self::default();
        let mut complex = Vec::new();
        for (index, glob) in globs.into_iter().enumerate() {
            let pattern = glob.glob();
            if pattern.contains(['?', '[', ']', '{', '}', '\\']) {
                complex.push((index, glob));
                continue;
            }
            match pattern.split_once('*') {
                None => list
                    .literal
                    .entry(pattern.to_owned())
                    .or_default()
                    .push(index),
                Some((prefix, suffix)) if !suffix.contains('*') => {
                    list.star
                        .push((prefix.to_owned(), suffix.to_owned(), index));
                }
                Some(_) => complex.push((index, glob)),
            }
        }
        for chunk in complex.chunks(GLOB_CHUNK) {
            let mut builder = GlobSetBuilder::new();
            for (_, glob) in chunk {
                builder.add(glob.clone());
            }
            if let Ok(set) = builder.build() {
                list.chunks
                    .push((set, chunk.iter().map(|(index, _)| *index).collect()));
                continue;
            }
            // Find the glob at fault; if each compiles alone, keep them alone.
            for (index, glob) in chunk {
                let set = GlobSetBuilder::new()
                    .add(glob.clone())
                    .build()
                    .map_err(|error| {
                        (
                            *index,
                            format!("无法编译（花括号嵌套过深或模式过大：{error}）"),
                        )
                    })?;
                list.chunks.push((set, vec![*index]));
            }
        }
        Ok(list)
    }

    /// The indexes of the globs that cover `path`, given as `relative` to the folder of the file
    /// that wrote them (see [`relative_to`]): by its relative path or by its name. Sorted.
    pub(crate) fn matching(&self, relative: &str, path: &Path) -> Vec<usize> {
        let name = path.file_name().map(|name| name.to_string_lossy());
        let candidates: Vec<&str> = std::iter::once(relative).chain(name.as_deref()).collect();
        let mut found = Vec::new();
        for candidate in &candidates {
            if let Some(indexes) = self.literal.get(*candidate) {
                found.extend(indexes);
            }
            found.extend(
                self.star
                    .iter()
                    .filter(|(prefix, suffix, _)| {
                        candidate.len() >= prefix.len() + suffix.len()
                            && candidate.starts_with(prefix.as_str())
                            && candidate.ends_with(suffix.as_str())
                    })
                    .map(|(_, _, index)| *index),
            );
            for (set, indexes) in &self.chunks {
                found.extend(
                    set.matches(candidate)
                        .into_iter()
                        .filter_map(|i| indexes.get(i)),
                );
            }
        }
        found.sort_unstable();
        found.dedup();
        found
    }
}

/// Settings for each checked file, resolved once per configuration file.
pub struct Resolver {
    source: ConfigSource,
    overrides: Overrides,
    cwd: PathBuf,
    by_dir: HashMap<PathBuf, Option<PathBuf>>,
    by_config: HashMap<Option<PathBuf>, Arc<Settings>>,
}

impl Resolver {
    /// A resolver; `cwd` is the working directory.
    pub fn new(source: ConfigSource, overrides: Overrides, cwd: PathBuf) -> Self {
        Self {
            source,
            overrides,
            cwd,
            by_dir: HashMap::new(),
            by_config: HashMap::new(),
        }
    }

    /// The configuration file for a checked file (or folder), if any.
    pub fn config_for(&mut self, path: &Path) -> Option<PathBuf> {
        match &self.source {
            ConfigSource::Isolated => None,
            ConfigSource::Given(path) => Some(path.clone()),
            ConfigSource::Discover => {
                let dir = start_dir(&self.cwd, path);
                self.by_dir
                    .entry(dir.clone())
                    .or_insert_with(|| discover(&dir))
                    .clone()
            }
        }
    }

    /// The settings for a checked file (or folder).
    pub fn settings_for(&mut self, path: &Path) -> Result<Arc<Settings>, ConfigError> {
        let config = self.config_for(path);
        if let Some(settings) = self.by_config.get(&config) {
            return Ok(Arc::clone(settings));
        }
        let settings = Arc::new(Settings::resolve(
            config.as_deref(),
            &self.overrides,
            &self.cwd,
        )?);
        self.by_config.insert(config, Arc::clone(&settings));
        Ok(settings)
    }
}
