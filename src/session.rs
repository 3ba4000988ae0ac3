//! A run over many files: the settings and waiver file of each, then checking. Planning is
//! sequential (it reads configuration files once each); checking takes `&self`, so files can be
//! checked in parallel; what the waivers did is recorded afterwards, in input order.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::config::{
    self, ConfigError, ConfigSource, DEFAULT_WAIVERS, Overrides, Resolver, Settings,
};
use crate::input::Input;
use crate::lint::{self, FileResult};
use crate::model::facts::YearFacts;
use crate::rules::Findings;
use crate::waivers::{Date, WaiverFile, WaiverUse};
use crate::years::{self, Pairing};

/// One file to check, with what applies to it.
#[derive(Debug)]
pub struct Job {
    /// The file.
    pub input: Input,
    /// Its settings.
    pub settings: Arc<Settings>,
    /// Its waiver file (an index into the session's), if any.
    pub waivers: Option<usize>,
}

/// What checking one file gave.
#[derive(Debug)]
pub struct Checked {
    /// The findings, after the settings and waivers.
    pub result: FileResult,
    /// What the waivers did, to be recorded.
    pub usage: Option<(usize, WaiverUse)>,
}

/// A run.
pub struct Session {
    resolver: Resolver,
    cwd: PathBuf,
    today: Date,
    waiver_files: Vec<WaiverFile>,
    waiver_index: HashMap<PathBuf, usize>,
    discovered_waivers: HashMap<PathBuf, Option<PathBuf>>,
}

impl Session {
    /// A session; `cwd` is the working directory, `today` dates the waivers.
    pub fn new(source: ConfigSource, overrides: Overrides, cwd: PathBuf, today: Date) -> Self {
        Self {
            resolver: Resolver::new(source, overrides, cwd.clone()),
            cwd,
            today,
            waiver_files: Vec::new(),
            waiver_index: HashMap::new(),
            discovered_waivers: HashMap::new(),
        }
    }

    /// Works out the settings and waiver file of every input. With `create_waivers` (for
    /// `--add-waivers`), a file without one gets the default waiver file of its configuration's
    /// folder (or of the working directory).
    pub fn plan(
        &mut self,
        inputs: Vec<Input>,
        create_waivers: bool,
    ) -> Result<Vec<Job>, ConfigError> {
        let mut jobs = Vec::with_capacity(inputs.len());
        for input in inputs {
            let settings = self.resolver.settings_for(&input.path)?;
            let mut waivers = settings
                .waivers
                .clone()
                .or_else(|| self.discover_waivers(&input.path, &settings));
            if waivers.is_none() && create_waivers {
                waivers = Some(settings.base.join(DEFAULT_WAIVERS));
            }
            let waivers = match waivers {
                Some(path) => Some(self.waiver_file(&path)?),
                None => None,
            };
            jobs.push(Job {
                input,
                settings,
                waivers,
            });
        }
        Ok(jobs)
    }

    /// Without a configuration file, the default waiver file is looked for upward from the
    /// checked file, as a configuration file would be.
    fn discover_waivers(&mut self, file: &Path, settings: &Settings) -> Option<PathBuf> {
        if settings.config.is_some() {
            return None;
        }
        let dir = config::start_dir(&self.cwd, file);
        self.discovered_waivers
            .entry(dir.clone())
            .or_insert_with(|| config::find_upward(&dir, &[DEFAULT_WAIVERS]))
            .clone()
    }

    fn waiver_file(&mut self, path: &Path) -> Result<usize, ConfigError> {
        let key = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
        if let Some(&index) = self.waiver_index.get(&key) {
            return Ok(index);
        }
        let display = path
            .strip_prefix(&self.cwd)
            .unwrap_or(path)
            .display()
            .to_string();
        let file = WaiverFile::load(path, &display, self.today)?;
        self.waiver_files.push(file);
        let index = self.waiver_files.len() - 1;
        self.waiver_index.insert(key, index);
        Ok(index)
    }

    /// Checks one file: the rules of its settings, then its settings and waivers applied.
    pub fn check(&self, job: &Job) -> Checked {
        let result = lint::check_file(&job.input.path, &job.input.display, &job.settings.registry);
        let mut result = job.settings.apply(result, &job.input.path);
        let usage = job.waivers.and_then(|index| {
            let file = self.waiver_files.get(index)?;
            Some((index, file.apply(&mut result, &job.input.path)))
        });
        lint::cap_findings(&mut result);
        Checked { result, usage }
    }

    /// Checks every job — in parallel on the current rayon pool — keeping input order, records
    /// what the waivers did, then (with `pair_years`) compares each report with the same issuer's
    /// report for the year before, when the run has it. With `detach`, each result drops its text
    /// as soon as it is checked (see [`FileResult::detach`]). `done` is called once per file, from
    /// any thread (for a progress bar).
    pub fn check_all(
        &mut self,
        jobs: &[Job],
        detach: bool,
        pair_years: bool,
        done: &(dyn Fn() + Sync),
    ) -> (Vec<FileResult>, Pairing) {
        // Threads only with the command line: the web page's build checks on the page's one.
        #[cfg(feature = "cli")]
        use rayon::prelude::*;
        #[cfg(feature = "cli")]
        let jobs_iter = jobs.par_iter();
        #[cfg(not(feature = "cli"))]
        let jobs_iter = jobs.iter();
        let checked: Vec<Checked> = jobs_iter
            .map(|job| {
                let mut checked = self.check(job);
                if detach {
                    checked.result.detach();
                }
                done();
                checked
            })
            .collect();
        let mut results = Vec::with_capacity(checked.len());
        for item in checked {
            if let Some(usage) = &item.usage {
                self.record(usage);
            }
            results.push(item.result);
        }
        if !pair_years {
            return (results, Pairing::default());
        }
        let mut pairing = years::pair(
            &results
                .iter()
                .map(|result| result.facts.as_ref())
                .collect::<Vec<_>>(),
        );
        pairing.retain(|current, previous| {
            let facts = |index: usize| results.get(index).and_then(|r| r.facts.as_ref());
            match (jobs.get(current), facts(current), facts(previous)) {
                (Some(job), Some(now), Some(before)) => job.settings.registry.compares(now, before),
                _ => false,
            }
        });
        for &(current, previous) in &pairing.pairs {
            let Some(previous) = results.get(previous).and_then(|r| r.facts.clone()) else {
                continue;
            };
            let (Some(job), Some(result)) = (jobs.get(current), results.get_mut(current)) else {
                continue;
            };
            if let Some(usage) = self.cross_year(job, result, &previous) {
                self.record(&usage);
            }
        }
        (results, pairing)
    }

    /// Compares a checked report with the same body's report for the year before (the cross-year
    /// rules of its settings), applying its settings and waivers to what they find and adding it
    /// to the report's results. Returns what the waivers did, to be recorded.
    pub fn cross_year(
        &self,
        job: &Job,
        result: &mut FileResult,
        previous: &YearFacts,
    ) -> Option<(usize, WaiverUse)> {
        let mut findings = cross_year_findings(&job.settings, result, previous, &job.input.path)?;
        // The same waivers as the report's other findings.
        let usage = job.waivers.and_then(|index| {
            let file = self.waiver_files.get(index)?;
            let source = result.source.as_deref().unwrap_or("");
            Some((
                index,
                file.waive(
                    &mut findings.diagnostics,
                    &mut result.waived_findings,
                    source,
                    &job.input.path,
                ),
            ))
        });
        result.waived += usage.as_ref().map_or(0, |(_, usage)| usage.waived());
        add_findings(result, findings);
        usage
    }

    /// Records what the waivers did for one file.
    pub fn record(&mut self, usage: &(usize, WaiverUse)) {
        if let Some(file) = self.waiver_files.get_mut(usage.0) {
            file.record(&usage.1);
        }
    }

    /// The problems of the waiver files (expired, unused, incomplete waivers), one result per
    /// file that has any.
    pub fn waiver_reports(&self) -> Vec<FileResult> {
        self.waiver_files
            .iter()
            .filter_map(WaiverFile::report)
            .collect()
    }

    /// Every waiver file of the run, with its index.
    pub fn waiver_files(&self) -> impl Iterator<Item = (usize, &WaiverFile)> {
        self.waiver_files.iter().enumerate()
    }
}

/// What comparing a checked report with the same body's report for the year before finds (the
/// cross-year rules of `settings`), after the settings, with what they hid counted in `result`.
/// `None` when the report has no figures to compare.
pub fn cross_year_findings(
    settings: &Settings,
    result: &mut FileResult,
    previous: &YearFacts,
    path: &Path,
) -> Option<Findings> {
    let current = result.facts.as_ref()?;
    let mut findings = settings.registry.check_pair(current, previous);
    // The same settings as the report's other findings.
    result.hidden += settings.filter(
        &mut findings.diagnostics,
        &mut findings.not_assessable,
        path,
    );
    Some(findings)
}

/// Adds findings to a report's results, keeping them in text order.
pub fn add_findings(result: &mut FileResult, mut findings: Findings) {
    result.diagnostics.append(&mut findings.diagnostics);
    result
        .diagnostics
        .sort_by_key(crate::diagnostic::Diagnostic::start);
    result.not_assessable.append(&mut findings.not_assessable);
}
