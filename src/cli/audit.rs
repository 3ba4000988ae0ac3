//! `xxgk-lint audit`: check whole folders of reports in parallel and print a summary.

use std::io::IsTerminal;
use std::path::PathBuf;

use anyhow::{Context as _, Result, bail};
use clap::{Args, ValueEnum};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use xxgk_lint::audit::regions::RegionMap;
use xxgk_lint::audit::{Audit, Grouping, render, xlsx};
use xxgk_lint::diagnostic::Severity;
use xxgk_lint::input::WalkOptions;
use xxgk_lint::session::Session;
use xxgk_lint::waivers;

use super::{
    ConfigArgs, EXIT_FINDINGS, EXIT_OK, check_output, collect_inputs, current_dir, emit,
    run_inputs, stdout_is_terminal,
};

/// Formats of the audit summary.
#[derive(Clone, Copy, ValueEnum)]
pub(super) enum AuditFormat {
    /// 终端表格（默认）
    Table,
    /// CSV：每份报告一行，每条规则一列，最后一行为合计
    Csv,
    /// JSON（版本 1）
    Json,
    /// Markdown
    Markdown,
    /// 一个独立的 HTML 页面（图表、可排序的表格、各地区汇总、每份报告的问题）
    Html,
    /// Excel 工作簿：汇总、问题清单、规则、数据、跨年度、地区、年度（须用 -o 指定文件）
    Xlsx,
}

/// The severity from which `--fail-on` makes the audit fail.
#[derive(Clone, Copy, ValueEnum)]
pub(super) enum FailOn {
    /// 有错误级问题时退出码为 1
    Error,
    /// 有警告或错误级问题时退出码为 1
    Warning,
}

#[derive(Args)]
pub(super) struct AuditArgs {
    /// 要汇总的目录或文件
    #[arg(required = true, value_name = "PATH")]
    paths: Vec<PathBuf>,
    /// 汇总格式
    #[arg(long, value_enum, default_value = "table")]
    format: AuditFormat,
    /// 写入此文件而不是标准输出（写完整后才替换，不会留下半个文件）
    #[arg(long, short, value_name = "FILE")]
    output: Option<PathBuf>,
    /// 并行检查的线程数（默认为处理器核数）
    #[arg(long, short, value_name = "N")]
    jobs: Option<usize>,
    /// 不显示进度条（不在终端上时本来就不显示）
    #[arg(long)]
    no_progress: bool,
    /// 也检查 .gitignore、.ignore 排除的文件
    #[arg(long)]
    no_ignore: bool,
    /// CSV 不加字节顺序标记（默认加上，Excel 和 WPS 才能正确识别 UTF-8）
    #[arg(long)]
    no_bom: bool,
    /// 地区对照表（CSV 两列：发布机关,地区），优先于目录结构
    #[arg(long, value_name = "FILE")]
    regions: Option<PathBuf>,
    /// 有此级别及以上的问题时退出码为 1（默认汇总总是以 0 退出）
    #[arg(long, value_enum, value_name = "LEVEL")]
    fail_on: Option<FailOn>,
    #[command(flatten)]
    config: ConfigArgs,
}

pub(super) fn run(args: &AuditArgs) -> Result<u8> {
    if matches!(args.format, AuditFormat::Xlsx) && args.output.is_none() && stdout_is_terminal() {
        bail!("Excel 工作簿不能输出到终端：请用 -o 指定文件，例如 -o 汇总.xlsx");
    }
    // Read before the run, so a bad mapping file stops it at once.
    let map = match &args.regions {
        Some(path) => Some(RegionMap::load(path)?),
        None => None,
    };
    let mut session = Session::new(
        args.config.source(),
        args.config.overrides(),
        current_dir()?,
        waivers::today(),
    );
    // A path that does not exist is a mistake on the command line (as for `check`, where it is an
    // error): the summary of a folder that is not there would say nothing true.
    for path in &args.paths {
        if std::fs::symlink_metadata(path)
            .is_err_and(|error| error.kind() == std::io::ErrorKind::NotFound)
        {
            bail!("「{}」不存在", path.display());
        }
    }
    let files = collect_inputs(
        &args.paths,
        WalkOptions {
            no_ignore: args.no_ignore,
        },
    )?;
    let jobs = session.plan(files, false)?;
    if let Some(output) = &args.output {
        // The mapping file is an input too.
        let extra = [&args.config.config, &args.config.waivers, &args.regions];
        let inputs = run_inputs(
            &session,
            &jobs,
            extra.into_iter().filter_map(|path| path.as_deref()),
        );
        check_output(output, &inputs)?;
    }
    let threads = match args.jobs {
        Some(0) => bail!("--jobs 必须大于 0"),
        Some(n) => n,
        None => std::thread::available_parallelism().map_or(1, std::num::NonZero::get),
    };
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .context("无法创建线程池")?;
    let bar = ProgressBar::with_draw_target(
        Some(u64::try_from(jobs.len()).unwrap_or(u64::MAX)),
        if args.no_progress || !std::io::stderr().is_terminal() {
            ProgressDrawTarget::hidden()
        } else {
            ProgressDrawTarget::stderr()
        },
    );
    if let Ok(style) = ProgressStyle::with_template("{bar:40} {pos}/{len} 份 {elapsed}") {
        bar.set_style(style);
    }
    let (mut results, pairing) =
        pool.install(|| session.check_all(&jobs, true, true, &|| bar.inc(1)));
    bar.finish_and_clear();
    results.extend(session.waiver_reports());
    let Some(first) = jobs.first() else {
        bail!("没有可检查的报告文件");
    };
    let grouping = Grouping {
        roots: args.paths.clone(),
        map,
    };
    let audit = Audit::build(&results, &pairing, &first.settings.registry, &grouping);
    let rendered = match args.format {
        AuditFormat::Table => render::table(&audit).into_bytes(),
        AuditFormat::Csv => {
            let mut bytes = if args.no_bom {
                Vec::new()
            } else {
                render::BOM.as_bytes().to_vec()
            };
            bytes.extend(render::csv(&audit).context("无法生成 CSV")?.into_bytes());
            bytes
        }
        AuditFormat::Json => render::json(&audit).into_bytes(),
        AuditFormat::Markdown => render::markdown(&audit).into_bytes(),
        AuditFormat::Html => render::html(&audit, &results).into_bytes(),
        AuditFormat::Xlsx => xlsx::workbook(&audit, &results).context("无法生成 Excel 工作簿")?,
    };
    emit(args.output.as_deref(), &rendered)?;
    let threshold = match args.fail_on {
        None => return Ok(EXIT_OK),
        Some(FailOn::Error) => Severity::Error,
        Some(FailOn::Warning) => Severity::Warning,
    };
    let failing = results
        .iter()
        .flat_map(|result| &result.diagnostics)
        .any(|diagnostic| diagnostic.severity >= threshold);
    Ok(if failing { EXIT_FINDINGS } else { EXIT_OK })
}
