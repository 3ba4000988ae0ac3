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

/// Expands the given paths. A file is taken as given (whatever its extension: the reader decides);
/// a directory is walked for `.txt`, `.md`, `.html` and `.htm` files, skipping hidden entries and
/// not following symbolic links. A path that does not exist is kept, so that it is reported.
pub fn collect(paths: &[PathBuf]) -> Inputs {
    let mut inputs = Inputs::default();
    for path in paths {
        if path.is_dir() {
            let mut found = Vec::new();
            walk(path, &mut found);
            found.sort();
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

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        if entry.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        let Ok(file_type) = entry.file_type() else {
            continue;
        };
        let path = entry.path();
        if file_type.is_dir() {
            walk(&path, out);
        } else if file_type.is_file() && is_report_file(&path) {
            out.push(path);
        }
    }
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
    fn empty_directories_are_noted() {
        let dir = tempfile::tempdir().unwrap();
        let inputs = collect(&[dir.path().to_path_buf()]);
        assert!(inputs.files.is_empty());
        assert_eq!(inputs.empty_dirs.len(), 1);
    }
}
