//! Embeds the built-in data files into the binary: every `rules/**/*.toml` rule, the default
//! wording of each check kind (`rules/kinds/*.toml`), and the table layouts (`layouts/*.toml`).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::{env, fs};

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, out);
        } else if path.extension().is_some_and(|ext| ext == "toml") {
            out.push(path);
        }
    }
}

fn emit(code: &mut String, root: &Path, name: &str, doc: &str, files: &[PathBuf]) {
    writeln!(code, "/// {doc}: (path relative to the package, contents).").expect("String");
    writeln!(code, "pub(crate) static {name}: &[(&str, &str)] = &[").expect("String");
    for file in files {
        let relative = file.strip_prefix(root).unwrap_or(file);
        let relative = relative.to_string_lossy().replace('\\', "/");
        writeln!(
            code,
            "    ({relative:?}, include_str!({:?})),",
            file.display().to_string()
        )
        .expect("writing to a String cannot fail");
    }
    code.push_str("];\n");
}

fn main() {
    let root =
        PathBuf::from(env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    println!("cargo:rerun-if-changed=rules");
    println!("cargo:rerun-if-changed=layouts");
    let kinds_dir = root.join("rules").join("kinds");
    let mut rules = Vec::new();
    collect(&root.join("rules"), &mut rules);
    let (mut kinds, mut rules): (Vec<PathBuf>, Vec<PathBuf>) = rules
        .into_iter()
        .partition(|path| path.starts_with(&kinds_dir));
    let mut layouts = Vec::new();
    collect(&root.join("layouts"), &mut layouts);
    for list in [&mut rules, &mut kinds, &mut layouts] {
        list.sort();
    }
    let mut code = String::new();
    emit(
        &mut code,
        &root,
        "RULE_FILES",
        "Built-in rule files",
        &rules,
    );
    emit(
        &mut code,
        &root,
        "KIND_FILES",
        "Default wording of each check kind",
        &kinds,
    );
    emit(
        &mut code,
        &root,
        "LAYOUT_FILES",
        "Built-in table layouts",
        &layouts,
    );
    let out_dir = PathBuf::from(env::var("OUT_DIR").expect("cargo sets OUT_DIR"));
    fs::write(out_dir.join("builtin_files.rs"), code).expect("OUT_DIR is writable");
    embed_page(&root, &out_dir);
}

/// The web page's files, for `xxgk-lint page DIR`: those of `web/dist` (built by `web/build.sh`)
/// with the `embed-page` feature, none without. A feature rather than "whatever is there": the same
/// command must build the same binary, and a stale `web/dist` must not slip in unnoticed.
fn embed_page(root: &Path, out_dir: &Path) {
    let dist = root.join("web").join("dist");
    let mut code = String::from(
        "/// The built page's files: (name, contents).\npub(crate) static PAGE_FILES: &[(&str, &[u8])] = &[\n",
    );
    if env::var_os("CARGO_FEATURE_EMBED_PAGE").is_some() {
        println!("cargo:rerun-if-changed=web/dist");
        for name in ["index.html", "style.css", "app.js", "engine.js"] {
            let file = dist.join(name);
            assert!(
                file.is_file(),
                "the embed-page feature needs the built page: {} is missing (run web/build.sh)",
                file.display()
            );
            writeln!(
                code,
                "    ({name:?}, include_bytes!({:?})),",
                file.display().to_string()
            )
            .expect("writing to a String cannot fail");
        }
    }
    code.push_str("];\n");
    fs::write(out_dir.join("page_files.rs"), code).expect("OUT_DIR is writable");
}
