//! `xxgk-lint check`: check reports, print the findings in one of the formats.

use std::collections::BTreeMap;
use std::path::PathBuf;

use anyhow::{Result, bail};
use clap::{Args, ValueEnum};
use codespan_reporting::term::termcolor::Buffer;

use xxgk_lint::diagnostic::Severity;
use xxgk_lint::input;
use xxgk_lint::lint::FileResult;
use xxgk_lint::model::facts::YearFacts;
use xxgk_lint::render::{self, Summary};
use xxgk_lint::session::Session;
use xxgk_lint::waivers;
use xxgk_lint::years::{GivenPrevious, given_previous};

use super::{
    Color, ConfigArgs, EXIT_FINDINGS, EXIT_OK, Level, check_output, collect_inputs, current_dir,
    emit, run_inputs, say, stdout_is_terminal, use_color, warn, write_atomically,
};

/// Output formats of `check`.
#[derive(Clone, Copy, ValueEnum)]
pub(super) enum Format {
    /// 带标注的诊断信息（默认）
    Human,
    /// 每条问题一行：路径:行:列: 代码 名称 消息
    Concise,
    /// JSON（版本 1）
    Json,
    /// JSON Lines：每行一个对象
    Jsonl,
    /// SARIF 2.1.0（代码审查工具）
    Sarif,
    /// GitHub Actions 注释
    Github,
    /// JUnit XML（CI 测试报告）
    Junit,
}

#[derive(Args)]
pub(super) struct CheckArgs {
    /// 要检查的文件或目录（目录中查找 .txt .md .html .htm .docx .pdf 等文件）
    #[arg(required = true, value_name = "PATH")]
    paths: Vec<PathBuf>,
    /// 输出格式
    #[arg(long, value_enum, default_value = "human")]
    format: Format,
    /// 写入此文件而不是标准输出（写完整后才替换，不会留下半个文件）
    #[arg(long, short, value_name = "FILE")]
    output: Option<PathBuf>,
    /// 是否使用颜色（human 格式）
    #[arg(long, value_enum, default_value = "auto")]
    color: Color,
    /// 先列出每个文件的识别结果（年度、格式、类型、标题）
    #[arg(short, long)]
    verbose: bool,
    /// 不显示低于此级别的问题
    #[arg(long, value_enum, value_name = "LEVEL")]
    min_severity: Option<Level>,
    /// 即使有错误级问题，退出码也为 0
    #[arg(long)]
    exit_zero: bool,
    /// 为当前全部问题写入豁免（基线），之后须逐条填写理由和批准人
    #[arg(long)]
    add_waivers: bool,
    /// 同一机关上一年度的报告：与之核对上年结转、现行有效件数等跨年度关系
    #[arg(long, value_name = "FILE")]
    previous: Option<PathBuf>,
    #[command(flatten)]
    config: ConfigArgs,
}

pub(super) fn run(args: &CheckArgs) -> Result<u8> {
    let mut overrides = args.config.overrides();
    overrides.min_severity = args.min_severity.map(Severity::from);
    overrides.exit_zero = args.exit_zero;
    let mut session = Session::new(
        args.config.source(),
        overrides,
        current_dir()?,
        waivers::today(),
    );
    let files = collect_inputs(&args.paths, input::WalkOptions::default())?;
    let jobs = session.plan(files, args.add_waivers)?;
    let extra = [&args.previous, &args.config.config, &args.config.waivers];
    let inputs = run_inputs(
        &session,
        &jobs,
        extra.into_iter().filter_map(|path| path.as_deref()),
    );
    if let Some(output) = &args.output {
        check_output(output, &inputs)?;
    }
    if args.add_waivers {
        // The waiver files are rewritten: none may be a report or another input.
        let reports: Vec<&std::path::Path> =
            jobs.iter().map(|job| job.input.path.as_path()).collect();
        for (_, file) in session.waiver_files() {
            check_output(&file.path, &reports)?;
        }
    }
    drop(inputs);
    let previous = match &args.previous {
        Some(path) => Some(previous_facts(&mut session, path)?),
        None => None,
    };
    // Without --previous, consecutive years of one issuer among the inputs are compared.
    let (mut results, _) = session.check_all(&jobs, false, previous.is_none(), &|| {});
    if let Some(previous) = &previous {
        for (job, result) in jobs.iter().zip(results.iter_mut()) {
            if comparable(result, previous)?
                && let Some(usage) = session.cross_year(job, result, previous)
            {
                session.record(&usage);
            }
        }
    }
    let fails = jobs
        .iter()
        .zip(&results)
        .any(|(job, result)| !job.settings.exit_zero && result.count(Severity::Error) > 0);

    if args.add_waivers {
        return add_waivers(&session, &jobs, &results);
    }

    for report in session.waiver_reports() {
        results.push(report);
    }
    let registry = &jobs
        .first()
        .map(|job| &job.settings.registry)
        .ok_or_else(|| anyhow::anyhow!("没有可检查的报告文件"))?;
    let rendered = match args.format {
        Format::Human => {
            let to_terminal = args.output.is_none() && stdout_is_terminal();
            let color = use_color(args.color, to_terminal);
            let mut buffer = if color {
                Buffer::ansi()
            } else {
                Buffer::no_color()
            };
            for result in &results {
                render::human::render_file(&mut buffer, result, args.verbose)?;
            }
            let mut bytes = buffer.into_inner();
            bytes.extend_from_slice(render::human::summary_line(&Summary::of(&results)).as_bytes());
            bytes.push(b'\n');
            bytes
        }
        Format::Concise => render::concise::render(&results).into_bytes(),
        Format::Json => {
            let mut json = render::json::render(&results);
            json.push('\n');
            json.into_bytes()
        }
        Format::Jsonl => render::json::render_lines(&results).into_bytes(),
        Format::Sarif => render::sarif::render(&results, registry).into_bytes(),
        Format::Github => render::github::render(&results).into_bytes(),
        Format::Junit => render::junit::render(&results).into_bytes(),
    };
    emit(args.output.as_deref(), &rendered)?;
    Ok(if fails { EXIT_FINDINGS } else { EXIT_OK })
}

/// `--add-waivers`: appends a waiver for every finding to each file's waiver file.
fn add_waivers(
    session: &Session,
    jobs: &[xxgk_lint::session::Job],
    results: &[FileResult],
) -> Result<u8> {
    let mut by_file: BTreeMap<usize, Vec<(&FileResult, &std::path::Path)>> = BTreeMap::new();
    for (job, result) in jobs.iter().zip(results) {
        if let Some(index) = job.waivers {
            by_file
                .entry(index)
                .or_default()
                .push((result, job.input.path.as_path()));
        }
    }
    let mut stderr_lines = Vec::new();
    for (index, file) in session.waiver_files() {
        let Some(entries) = by_file.get(&index) else {
            continue;
        };
        let (addition, count) = file.baseline(entries.iter().copied());
        if count == 0 {
            continue;
        }
        let mut text = file.text().to_owned();
        if text.is_empty() {
            text.push_str(
                "# xxgk-lint 豁免清单：已发布报告中经审核同意不再报告的问题。\n\
                 # 每条须填写 reason（理由）和 approved-by（批准人），到期（expires）后重新报告。\n",
            );
        } else if !text.ends_with('\n') {
            text.push('\n');
        }
        text.push_str(&addition);
        write_atomically(&file.path, text.as_bytes())?;
        stderr_lines.push(format!(
            "已为 {count} 条问题写入豁免：{}（请逐条填写 reason 和 approved-by）",
            file.path.display()
        ));
    }
    if stderr_lines.is_empty() {
        stderr_lines.push("没有需要豁免的问题".to_owned());
    }
    for line in stderr_lines {
        say(&line)?;
    }
    Ok(EXIT_OK)
}

/// Checks the previous year's report given with `--previous`, for its figures only.
fn previous_facts(session: &mut Session, path: &std::path::Path) -> Result<YearFacts> {
    let input = input::Input {
        path: path.to_path_buf(),
        display: path.display().to_string(),
    };
    let jobs = session.plan(vec![input], false)?;
    let Some(job) = jobs.first() else {
        bail!("无法读取上一年度报告「{}」", path.display());
    };
    let checked = session.check(job);
    match checked.result.facts {
        Some(facts) => Ok(facts),
        None => {
            let reason = checked
                .result
                .diagnostics
                .first()
                .map_or_else(String::new, |d| format!("：{}", d.message));
            bail!("无法读取上一年度报告「{}」{reason}", path.display())
        }
    }
}

/// Whether a report and the one given as the year before can be compared; says why not.
fn comparable(result: &FileResult, previous: &YearFacts) -> Result<bool> {
    let Some(current) = &result.facts else {
        return Ok(false);
    };
    match given_previous(
        current,
        &result.path,
        previous,
        &previous.path,
        "--previous 给出的",
    ) {
        GivenPrevious::Refused(why) => {
            warn(&why)?;
            return Ok(false);
        }
        GivenPrevious::Compared(Some(notice)) => warn(&notice)?,
        GivenPrevious::Compared(None) => {}
    }
    Ok(true)
}
