//! `rules`, `explain` and `show-config`: what the linter knows and what is in force.

use std::io::Write;
use std::path::PathBuf;

use anyhow::{Result, bail};
use clap::Args;

use xxgk_lint::config::{Resolver, Settings};
use xxgk_lint::explain::eras;
use xxgk_lint::lint::ENGINE_CODES;

use super::{ConfigArgs, EXIT_OK, current_dir};

#[derive(Args)]
pub(super) struct RulesArgs {
    #[command(flatten)]
    config: ConfigArgs,
}

#[derive(Args)]
pub(super) struct ExplainArgs {
    /// 规则代码（如 T001）或名称（如 identity-mismatch）
    #[arg(value_name = "CODE|NAME")]
    rule: String,
    #[command(flatten)]
    config: ConfigArgs,
}

#[derive(Args)]
pub(super) struct ShowConfigArgs {
    /// 对哪个文件或目录（默认当前目录）
    #[arg(value_name = "PATH", default_value = ".")]
    path: PathBuf,
    #[command(flatten)]
    config: ConfigArgs,
}

/// The settings for a path, from the configuration file found for it and the flags.
fn settings_for(config: &ConfigArgs, path: &std::path::Path) -> Result<std::sync::Arc<Settings>> {
    let mut resolver = Resolver::new(config.source(), config.overrides(), current_dir()?);
    Ok(resolver.settings_for(path)?)
}

pub(super) fn rules(args: &RulesArgs) -> Result<u8> {
    let settings = settings_for(&args.config, std::path::Path::new("."))?;
    let mut stdout = std::io::stdout().lock();
    writeln!(stdout, "代码\t名称\t严重程度\t适用格式\t说明\t依据")?;
    for rule in settings.registry.rules() {
        writeln!(
            stdout,
            "{}\t{}\t{}\t{}\t{}\t{}",
            rule.code,
            rule.name,
            rule.severity.name(),
            eras(rule),
            rule.summary,
            rule.clause
        )?;
    }
    for engine in ENGINE_CODES {
        writeln!(
            stdout,
            "{}\t{}\t{}\t全部\t{}\t—",
            engine.code,
            engine.name,
            engine.severity.name(),
            engine.summary
        )?;
    }
    stdout.flush()?;
    Ok(EXIT_OK)
}

pub(super) fn explain(args: &ExplainArgs) -> Result<u8> {
    let settings = settings_for(&args.config, std::path::Path::new("."))?;
    let Some(out) = xxgk_lint::explain::explain(&settings.registry, &args.rule) else {
        let wanted = args.rule.trim();
        let suggestion = xxgk_lint::explain::closest(&settings.registry, wanted)
            .map(|candidate| format!("，是否想写「{candidate}」？"))
            .unwrap_or_default();
        bail!("没有代码或名称为「{wanted}」的规则{suggestion}（xxgk-lint rules 列出全部规则）");
    };
    let mut stdout = std::io::stdout().lock();
    stdout.write_all(out.as_bytes())?;
    stdout.flush()?;
    Ok(EXIT_OK)
}

pub(super) fn show_config(args: &ShowConfigArgs) -> Result<u8> {
    let settings = settings_for(&args.config, &args.path)?;
    let mut stdout = std::io::stdout().lock();
    stdout.write_all(settings.describe(&args.path).as_bytes())?;
    stdout.flush()?;
    Ok(EXIT_OK)
}
