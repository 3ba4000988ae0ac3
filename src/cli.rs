//! The command line: argument parsing, running, writing, exit codes. The only place that uses
//! `anyhow` and writes to stdout/stderr.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context as _, Result};
use clap::{Parser, Subcommand, ValueEnum};
use codespan_reporting::term::termcolor::Buffer;

use xxgk_lint::input;
use xxgk_lint::lint::{self, ENGINE_CODES, FileResult};
use xxgk_lint::render::{self, Summary};
use xxgk_lint::rules::Registry;

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
    after_help = "退出码：0 没有错误级问题；1 至少一个错误级问题；2 运行失败（参数错误、规则文件有误等）"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// 检查年度报告（文件或目录）
    Check(CheckArgs),
    /// 列出全部规则
    Rules(RulesArgs),
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    /// 带标注的诊断信息（默认）
    Human,
    /// JSON（版本 1）
    Json,
}

#[derive(Clone, Copy, ValueEnum)]
enum Color {
    Auto,
    Always,
    Never,
}

#[derive(clap::Args)]
struct CheckArgs {
    /// 要检查的文件或目录（目录中查找 .txt .md .html .htm .docx .pdf 等文件）
    #[arg(required = true, value_name = "PATH")]
    paths: Vec<PathBuf>,
    /// 输出格式
    #[arg(long, value_enum, default_value = "human")]
    format: Format,
    /// 是否使用颜色
    #[arg(long, value_enum, default_value = "auto")]
    color: Color,
    /// 追加或覆盖规则的目录（其中的 .toml 规则文件；与内置规则代码相同者覆盖之）
    #[arg(long = "rules", value_name = "DIR")]
    rule_dirs: Vec<PathBuf>,
    /// 先列出每个文件的识别结果（年度、格式、类型、标题）
    #[arg(short, long)]
    verbose: bool,
}

#[derive(clap::Args)]
struct RulesArgs {
    /// 追加或覆盖规则的目录
    #[arg(long = "rules", value_name = "DIR")]
    rule_dirs: Vec<PathBuf>,
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
        Command::Check(args) => check(&args),
        Command::Rules(args) => list_rules(&args),
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

fn registry(rule_dirs: &[PathBuf]) -> Result<Registry> {
    let mut registry = Registry::builtin().context("内置规则有误")?;
    for dir in rule_dirs {
        // The error names the file, line and column already.
        registry.extend_from_dir(dir)?;
    }
    Ok(registry)
}

fn use_color(choice: Color) -> bool {
    match choice {
        Color::Always => true,
        Color::Never => false,
        Color::Auto => std::env::var_os("NO_COLOR").is_none() && std::io::stdout().is_terminal(),
    }
}

fn check(args: &CheckArgs) -> Result<u8> {
    let registry = registry(&args.rule_dirs)?;
    let inputs = input::collect(&args.paths);
    let mut stderr = std::io::stderr().lock();
    for dir in &inputs.empty_dirs {
        writeln!(
            stderr,
            "xxgk-lint: 警告：目录「{dir}」中没有可检查的报告（.txt .md .html .htm .docx .pdf）"
        )?;
    }
    if inputs.files.is_empty() {
        anyhow::bail!("没有可检查的报告文件");
    }
    let results: Vec<FileResult> = inputs
        .files
        .iter()
        .map(|file| lint::check_file(&file.path, &file.display, &registry))
        .collect();
    let summary = Summary::of(&results);
    let mut stdout = std::io::stdout().lock();
    match args.format {
        Format::Json => writeln!(stdout, "{}", render::json::render(&results))?,
        Format::Human => {
            let color = use_color(args.color);
            for result in &results {
                let mut buffer = if color {
                    Buffer::ansi()
                } else {
                    Buffer::no_color()
                };
                render::human::render_file(&mut buffer, result, args.verbose)?;
                stdout.write_all(buffer.as_slice())?;
            }
            writeln!(stdout, "{}", render::human::summary_line(&summary))?;
        }
    }
    stdout.flush()?;
    Ok(if summary.errors > 0 {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    })
}

fn list_rules(args: &RulesArgs) -> Result<u8> {
    let registry = registry(&args.rule_dirs)?;
    let mut stdout = std::io::stdout().lock();
    writeln!(stdout, "代码\t名称\t严重程度\t适用格式\t说明")?;
    for rule in registry.rules() {
        let eras = rule.eras.as_ref().map_or_else(
            || "全部".to_owned(),
            |eras| {
                eras.iter()
                    .map(|era| era.name())
                    .collect::<Vec<_>>()
                    .join(",")
            },
        );
        writeln!(
            stdout,
            "{}\t{}\t{}\t{}\t{}",
            rule.code,
            rule.name,
            rule.severity.name(),
            eras,
            rule.summary
        )?;
    }
    for engine in ENGINE_CODES {
        writeln!(
            stdout,
            "{}\t{}\t{}\t全部\t{}",
            engine.code,
            engine.name,
            engine.severity.name(),
            engine.summary
        )?;
    }
    stdout.flush()?;
    Ok(EXIT_OK)
}
