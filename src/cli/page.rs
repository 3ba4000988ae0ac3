//! `xxgk-lint page DIR`: writes out the web page (the same engine in the browser), for someone
//! who has only the binary. The page's files are embedded at build time with the `embed-page`
//! feature (see `build.rs`).

use std::path::PathBuf;

use anyhow::{Context as _, Result, bail};
use clap::Args;

use super::{EXIT_OK, say, write_atomically};

include!(concat!(env!("OUT_DIR"), "/page_files.rs"));

#[derive(Args)]
pub(super) struct PageArgs {
    /// 写入网页的目录（不存在时创建）
    #[arg(value_name = "DIR")]
    dir: PathBuf,
}

pub(super) fn run(args: &PageArgs) -> Result<u8> {
    if PAGE_FILES.is_empty() {
        bail!(
            "此程序构建时没有包含网页。请在源代码目录中运行 web/build.sh（网页在 web/dist/），\
             或运行 web/build.sh 后用 cargo install --path . --features embed-page 重新安装"
        );
    }
    std::fs::create_dir_all(&args.dir)
        .with_context(|| format!("无法创建目录「{}」", args.dir.display()))?;
    for (name, contents) in PAGE_FILES {
        write_atomically(&args.dir.join(name), contents)?;
    }
    say(&format!(
        "已写出网页：{}（用浏览器打开即可；检查在本机进行，文件不上传）",
        args.dir.join("index.html").display()
    ))?;
    Ok(EXIT_OK)
}
