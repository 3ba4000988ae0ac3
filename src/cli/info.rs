//! `rules`, `explain` and `show-config`: what the linter knows and what is in force.

use std::io::Write;
use std::path::PathBuf;

use anyhow::{Result, bail};
use clap::Args;

use xxgk_lint::config::{Resolver, Settings};
use xxgk_lint::lint::ENGINE_CODES;
use xxgk_lint::rules::Rule;

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

fn eras(rule: &Rule) -> String {
    rule.eras.as_ref().map_or_else(
        || "全部".to_owned(),
        |eras| {
            eras.iter()
                .map(|era| era.name())
                .collect::<Vec<_>>()
                .join(",")
        },
    )
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
    let wanted = args.rule.trim();
    let mut out = String::new();
    if let Some(rule) = settings.registry.rules().iter().find(|rule| {
        rule.code.eq_ignore_ascii_case(wanted) || rule.name.eq_ignore_ascii_case(wanted)
    }) {
        out.push_str(&format!(
            "{} {} — {}\n\n",
            rule.code, rule.name, rule.summary
        ));
        out.push_str(&format!("严重程度：{}", rule.severity.name()));
        for entry in rule.severities.describe() {
            out.push_str(&format!("（{entry}）"));
        }
        out.push('\n');
        out.push_str(&format!("适用格式：{}\n", eras(rule)));
        out.push_str(&format!("依据：{}\n\n", rule.clause));
        out.push_str(&format!("检查什么\n  {}\n\n", rule.docs.what));
        out.push_str(&format!("为什么\n  {}\n\n", rule.docs.why));
        out.push_str(&format!("示例\n  {}\n\n", rule.docs.example));
        out.push_str(&format!("规则文件：{}\n", rule.source));
    } else if let Some(engine) = ENGINE_CODES.iter().find(|engine| {
        engine.code.eq_ignore_ascii_case(wanted) || engine.name.eq_ignore_ascii_case(wanted)
    }) {
        out.push_str(&format!(
            "{} {} — {}\n\n严重程度：{}\n这是引擎本身报告的问题（文件无法读取、豁免文件等），不是规则文件定义的检查。\n",
            engine.code,
            engine.name,
            engine.summary,
            engine.severity.name()
        ));
    } else {
        let candidates = settings
            .registry
            .rules()
            .iter()
            .flat_map(|rule| [rule.code.as_str(), rule.name.as_str()])
            .chain(ENGINE_CODES.iter().flat_map(|e| [e.code, e.name]));
        let suggestion = xxgk_lint::text::closest(wanted, candidates)
            .map(|candidate| format!("，是否想写「{candidate}」？"))
            .unwrap_or_default();
        bail!("没有代码或名称为「{wanted}」的规则{suggestion}（xxgk-lint rules 列出全部规则）");
    }
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
