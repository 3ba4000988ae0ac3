//! The command line: argument parsing, running, writing, exit codes. The only place that uses
//! `anyhow` and writes to stdout/stderr.

mod audit;
mod check;
mod info;
mod page;

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context as _, Result};
use clap::{Args, Parser, Subcommand, ValueEnum};

use xxgk_lint::config::{ConfigSource, Overrides};
use xxgk_lint::diagnostic::Severity;
use xxgk_lint::input;

/// Exit code: no error-level finding.
const EXIT_OK: u8 = 0;
/// Exit code: at least one error-level finding.
const EXIT_FINDINGS: u8 = 1;
/// Exit code: the run itself failed.
pub const EXIT_FAILURE: u8 = 2;

#[derive(Parser)]
#[command(
    name = "xxgk-lint",
    version,
    about = "政府信息公开工作年度报告检查工具 — a linter for Chinese government information-disclosure annual reports",
    after_help = "退出码：0 没有错误级问题；1 至少一个错误级问题；2 运行失败（参数错误、规则或配置文件有误等）"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// 检查年度报告（文件或目录）
    Check(check::CheckArgs),
    /// 汇总检查整个目录的报告（并行），输出每份报告、每条规则的统计
    Audit(audit::AuditArgs),
    /// 列出全部规则
    Rules(info::RulesArgs),
    /// 显示一条规则的说明（按代码或名称）
    Explain(info::ExplainArgs),
    /// 显示对某个文件或目录生效的配置
    ShowConfig(info::ShowConfigArgs),
    /// 写出检查网页（在浏览器中检查报告，文件不上传）
    Page(page::PageArgs),
}

/// Where the settings come from: shared by every command that checks or lists rules.
#[derive(Args, Clone, Debug, Default)]
struct ConfigArgs {
    /// 使用此配置文件（不再向上查找 xxgk-lint.toml）
    #[arg(long, value_name = "FILE", help_heading = "配置")]
    config: Option<PathBuf>,
    /// 不读取任何配置文件
    #[arg(long, conflicts_with = "config", help_heading = "配置")]
    isolated: bool,
    /// 只启用这些规则（代码、代码前缀、名称或 ALL，逗号分隔；取代配置文件中的 select）
    #[arg(
        long,
        value_delimiter = ',',
        value_name = "RULES",
        help_heading = "配置"
    )]
    select: Option<Vec<String>>,
    /// 停用这些规则（追加到配置文件中的 ignore）
    #[arg(
        long,
        value_delimiter = ',',
        value_name = "RULES",
        help_heading = "配置"
    )]
    ignore: Vec<String>,
    /// 追加或覆盖规则的目录（其中的 .toml 规则文件；与内置规则代码相同者覆盖之）
    #[arg(long = "rules", value_name = "DIR", help_heading = "配置")]
    rule_dirs: Vec<PathBuf>,
    /// 豁免文件（默认：配置文件中的 waivers，或其旁边的 xxgk-lint.waivers.toml）
    #[arg(long, value_name = "FILE", help_heading = "配置")]
    waivers: Option<PathBuf>,
}

impl ConfigArgs {
    fn source(&self) -> ConfigSource {
        match (&self.config, self.isolated) {
            (Some(path), _) => ConfigSource::Given(path.clone()),
            (None, true) => ConfigSource::Isolated,
            (None, false) => ConfigSource::Discover,
        }
    }

    fn overrides(&self) -> Overrides {
        Overrides {
            select: self.select.clone(),
            ignore: self.ignore.clone(),
            rule_dirs: self.rule_dirs.clone(),
            waivers: self.waivers.clone(),
            ..Overrides::default()
        }
    }
}

#[derive(Clone, Copy, ValueEnum)]
enum Color {
    Auto,
    Always,
    Never,
}

/// A severity on the command line.
#[derive(Clone, Copy, ValueEnum)]
enum Level {
    Info,
    Warning,
    Error,
}

impl From<Level> for Severity {
    fn from(level: Level) -> Self {
        match level {
            Level::Info => Self::Info,
            Level::Warning => Self::Warning,
            Level::Error => Self::Error,
        }
    }
}

/// Parses the arguments and runs; returns the process's exit code.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => {
            // clap prints help and version to stdout (exit 0) and usage errors to stderr (exit 2).
            let _ = error.print();
            return ExitCode::from(u8::try_from(error.exit_code()).unwrap_or(EXIT_FAILURE));
        }
    };
    let result = match cli.command {
        Command::Check(args) => check::run(&args),
        Command::Audit(args) => audit::run(&args),
        Command::Rules(args) => info::rules(&args),
        Command::Explain(args) => info::explain(&args),
        Command::ShowConfig(args) => info::show_config(&args),
        Command::Page(args) => page::run(&args),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(error) if is_broken_pipe(&error) => ExitCode::from(EXIT_OK),
        Err(error) => {
            #[allow(
                clippy::print_stderr,
                reason = "the binary's edge reports the run's failure"
            )]
            {
                eprintln!("xxgk-lint: 错误：{error:#}");
            }
            ExitCode::from(EXIT_FAILURE)
        }
    }
}

fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

fn use_color(choice: Color, to_terminal: bool) -> bool {
    match choice {
        Color::Always => true,
        Color::Never => false,
        Color::Auto => std::env::var_os("NO_COLOR").is_none() && to_terminal,
    }
}

fn current_dir() -> Result<PathBuf> {
    std::env::current_dir().context("无法确定当前目录")
}

/// Writes output to a file (through a temporary file in the same folder, renamed when complete,
/// so that a failed run never leaves half a file) or to stdout.
fn emit(output: Option<&Path>, bytes: &[u8]) -> Result<()> {
    match output {
        Some(path) => write_atomically(path, bytes),
        None => {
            let mut stdout = std::io::stdout().lock();
            stdout.write_all(bytes)?;
            stdout.flush()?;
            Ok(())
        }
    }
}

/// Refuses an output path that would destroy something: one of the run's inputs (the same file
/// by device and inode, or by canonical path: hard links and other spellings included), or an
/// existing path that is not a regular file (a device, a FIFO, a directory, a socket) or is a
/// symbolic link (renaming onto a link would replace the link, writing through it would write
/// somewhere the command line does not name: both are refused).
fn check_output(path: &Path, inputs: &[&Path]) -> Result<()> {
    let shown = path.display();
    let metadata = match std::fs::symlink_metadata(path) {
        Ok(metadata) => metadata,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(error) => return Err(error).with_context(|| format!("无法写入「{shown}」")),
    };
    if metadata.file_type().is_symlink() {
        anyhow::bail!(
            "「{shown}」是符号链接，未写入（不替换链接，也不经链接写入别处）：请直接给出文件路径"
        );
    }
    if !metadata.is_file() {
        anyhow::bail!("「{shown}」不是普通文件（目录、设备或管道），未写入");
    }
    let canonical = std::fs::canonicalize(path).ok();
    for input in inputs {
        let same_path = canonical.is_some() && std::fs::canonicalize(input).ok() == canonical;
        let same_file =
            std::fs::metadata(input).is_ok_and(|other| same_identity(&metadata, &other));
        if same_path || same_file {
            anyhow::bail!(
                "输出文件「{shown}」就是输入文件「{}」，未写入（会覆盖输入）",
                input.display()
            );
        }
    }
    Ok(())
}

#[cfg(unix)]
fn same_identity(a: &std::fs::Metadata, b: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::MetadataExt as _;
    a.dev() == b.dev() && a.ino() == b.ino()
}

#[cfg(not(unix))]
fn same_identity(_a: &std::fs::Metadata, _b: &std::fs::Metadata) -> bool {
    false
}

/// Writes a file whole or not at all. What is there must be a regular file (see
/// [`check_output`]; checked again here, just before the rename).
fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    check_output(path, &[])?;
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let mut builder = tempfile::Builder::new();
    builder.prefix(".xxgk-lint-").suffix(".tmp");
    // A temporary file is private (0600); the output gets the permissions of the file it replaces,
    // or those of an ordinary file.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = std::fs::metadata(path).map_or(0o644, |meta| meta.permissions().mode() & 0o777);
        builder.permissions(std::fs::Permissions::from_mode(mode));
    }
    let mut file = builder
        .tempfile_in(&dir)
        .with_context(|| format!("无法在「{}」中创建临时文件", dir.display()))?;
    file.write_all(bytes)
        .and_then(|()| file.as_file().sync_all())
        .with_context(|| format!("无法写入「{}」", path.display()))?;
    file.persist(path)
        .with_context(|| format!("无法写入「{}」", path.display()))?;
    Ok(())
}

/// Every file a run reads: the reports, their configuration and waiver files, and the extra
/// files named on the command line. An output must not be one of them.
fn run_inputs<'a>(
    session: &'a xxgk_lint::session::Session,
    jobs: &'a [xxgk_lint::session::Job],
    extra: impl IntoIterator<Item = &'a Path>,
) -> Vec<&'a Path> {
    let mut paths: Vec<&Path> = jobs.iter().map(|job| job.input.path.as_path()).collect();
    paths.extend(jobs.iter().filter_map(|job| job.settings.config.as_deref()));
    paths.extend(session.waiver_files().map(|(_, file)| file.path.as_path()));
    paths.extend(extra);
    paths.sort();
    paths.dedup();
    paths
}

/// The files under the given paths; says which folders held none, and fails when none at all.
fn collect_inputs(paths: &[PathBuf], options: input::WalkOptions) -> Result<Vec<input::Input>> {
    let inputs = input::collect_with(paths, options);
    for dir in &inputs.empty_dirs {
        warn(&format!(
            "目录「{dir}」中没有可检查的报告（.txt .md .html .htm .docx .pdf）"
        ))?;
    }
    if inputs.files.is_empty() {
        anyhow::bail!("没有可检查的报告文件");
    }
    Ok(inputs.files)
}

/// Writes warnings about the run to stderr.
fn warn(message: &str) -> Result<()> {
    let mut stderr = std::io::stderr().lock();
    writeln!(stderr, "xxgk-lint: 警告：{message}")?;
    Ok(())
}

/// Writes a message about the run (not a finding) to stderr.
fn say(message: &str) -> Result<()> {
    let mut stderr = std::io::stderr().lock();
    writeln!(stderr, "xxgk-lint: {message}")?;
    Ok(())
}

/// True when stdout is a terminal.
fn stdout_is_terminal() -> bool {
    std::io::stdout().is_terminal()
}
