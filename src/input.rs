//! Turning the paths given on the command line into the files to check.

use std::path::{Path, PathBuf};

use crate::source::SourceKind;

/// A file to check.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Input {
    /// Where it is.
    pub path: PathBuf,
    /// How it is shown: as given, or the directory given joined with the path below it.
    pub display: String,
}

/// The files to check, and the directories that held none.
#[derive(Debug, Default)]
pub struct Inputs {
    /// Files, in the order given; the files of a directory in sorted order.
    pub files: Vec<Input>,
    /// Directories given that contain no report file.
    pub empty_dirs: Vec<String>,
}

/// How directories are walked.
#[derive(Clone, Copy, Debug, Default)]
pub struct WalkOptions {
    /// Also walk what `.gitignore`, `.ignore` and the global git excludes leave out (a raw corpus
    /// kept in a repository); hidden entries stay skipped.
    pub no_ignore: bool,
}

#[cfg(feature = "cli")] // the walker (`ignore`) is left out of the web page's build
/// Expands the given paths. A file is taken as given (whatever its extension: the reader decides);
/// a directory is walked (the `ignore` crate's walker, as ripgrep's) for the files the linter
/// reads, skipping hidden entries and what `.gitignore`/`.ignore` files exclude, not following
/// symbolic links, in sorted order. A path that does not exist is kept, so that it is reported.
pub fn collect(paths: &[PathBuf]) -> Inputs {
    collect_with(paths, WalkOptions::default())
}

#[cfg(feature = "cli")] // the walker (`ignore`) is left out of the web page's build
/// [`collect`] with options.
pub fn collect_with(paths: &[PathBuf], options: WalkOptions) -> Inputs {
    let mut inputs = Inputs::default();
    for path in paths {
        if path.is_dir() {
            let found = walk(path, options);
            if found.is_empty() {
                inputs.empty_dirs.push(path.display().to_string());
            }
            inputs.files.extend(found.into_iter().map(|file| Input {
                display: file.display().to_string(),
                path: file,
            }));
        } else {
            inputs.files.push(Input {
                path: path.clone(),
                display: path.display().to_string(),
            });
        }
    }
    inputs
}

#[cfg(feature = "cli")] // the walker (`ignore`) is left out of the web page's build
fn walk(dir: &Path, options: WalkOptions) -> Vec<PathBuf> {
    let mut builder = ignore::WalkBuilder::new(dir);
    builder
        .hidden(true)
        .follow_links(false)
        .sort_by_file_name(|a, b| a.cmp(b));
    if options.no_ignore {
        builder
            .ignore(false)
            .git_ignore(false)
            .git_global(false)
            .git_exclude(false)
            .parents(false);
    }
    builder
        .build()
        .filter_map(Result::ok)
        .filter(|entry| entry.file_type().is_some_and(|kind| kind.is_file()))
        .map(ignore::DirEntry::into_path)
        .filter(|path| is_report_file(path))
        .collect()
}

/// True for the extensions a directory walk picks up.
pub fn is_report_file(path: &Path) -> bool {
    path.extension()
        .and_then(|ext| ext.to_str())
        .and_then(SourceKind::from_extension)
        .is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn directories_are_walked_in_sorted_order() {
        let dir = tempfile::tempdir().unwrap();
        for name in ["b.txt", "a.html", "c.csv", ".hidden.txt"] {
            std::fs::write(dir.path().join(name), "x").unwrap();
        }
        std::fs::create_dir(dir.path().join("sub")).unwrap();
        std::fs::write(dir.path().join("sub/a.md"), "x").unwrap();
        let inputs = collect(&[dir.path().to_path_buf()]);
        let names: Vec<String> = inputs
            .files
            .iter()
            .map(|input| {
                input
                    .path
                    .strip_prefix(dir.path())
                    .unwrap()
                    .display()
                    .to_string()
            })
            .collect();
        assert_eq!(names, ["a.html", "b.txt", "sub/a.md"]);
        assert!(inputs.empty_dirs.is_empty());
    }

    #[test]
    fn ignore_files_are_honoured_unless_told_not_to() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("drafts")).unwrap();
        std::fs::write(dir.path().join("drafts/a.txt"), "x").unwrap();
        std::fs::write(dir.path().join("b.txt"), "x").unwrap();
        std::fs::write(dir.path().join(".ignore"), "drafts/\n").unwrap();
        let paths = [dir.path().to_path_buf()];
        assert_eq!(collect(&paths).files.len(), 1);
        let all = collect_with(&paths, WalkOptions { no_ignore: true });
        assert_eq!(all.files.len(), 2);
    }

    #[test]
    fn empty_directories_are_noted() {
        let dir = tempfile::tempdir().unwrap();
        let inputs = collect(&[dir.path().to_path_buf()]);
        assert!(inputs.files.is_empty());
        assert_eq!(inputs.empty_dirs.len(), 1);
    }
}
