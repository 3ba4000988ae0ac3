//! Turning the paths given on the command line into the files to check.

use std::io::Read as _;
use std::path::{Path, PathBuf};

use thiserror::Error;

use crate::source::SourceKind;

/// Why [`read_limited`] read nothing.
#[derive(Debug, Error)]
pub enum LimitedReadError {
    /// The path does not exist.
    #[error("文件不存在")]
    NotFound,
    /// A device, a FIFO or a socket: it may have no end, or no writer, so it is not read.
    #[error("不是普通文件（{what}），未读取")]
    NotRegular {
        /// What it is.
        what: &'static str,
    },
    /// More bytes than the limit.
    #[error("超过 {limit} 字节")]
    TooLarge {
        /// The limit in bytes.
        limit: u64,
    },
    /// Reading failed.
    #[error("{0}")]
    Io(#[from] std::io::Error),
}

/// Reads a small text file (configuration, waivers, rules) with [`read_limited`]'s bounds; a
/// data file larger than a report is refused too.
pub fn read_text_limited(path: &Path) -> Result<String, LimitedReadError> {
    let bytes = read_limited(path, crate::source::MAX_FILE_BYTES)?;
    String::from_utf8(bytes).map_err(|_| {
        LimitedReadError::Io(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            "不是有效的 UTF-8 文本",
        ))
    })
}

/// Reads a whole file, at most `limit` bytes. The limit is enforced on the read itself, not taken
/// from the file's metadata, so a file that grows, `/dev/stdin` or a pipe cannot make the read
/// unbounded. Only regular files are read, and standard input when the path names it (a pipe
/// given as `/dev/stdin`): a FIFO or a device given as a file is refused, never waited on. The
/// file is opened non-blocking so that even a FIFO swapped in after a check cannot block the
/// open.
pub fn read_limited(path: &Path, limit: u64) -> Result<Vec<u8>, LimitedReadError> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        options.custom_flags(libc::O_NONBLOCK);
    }
    let file = options.open(path).map_err(|error| match error.kind() {
        std::io::ErrorKind::NotFound => LimitedReadError::NotFound,
        _ => LimitedReadError::Io(error),
    })?;
    let metadata = file.metadata()?;
    let kind = metadata.file_type();
    if kind.is_dir() {
        return Err(LimitedReadError::NotRegular { what: "目录" });
    }
    if !kind.is_file() {
        if is_stdin(&metadata) {
            return take_all(std::io::stdin().lock(), limit, 0);
        }
        return Err(LimitedReadError::NotRegular {
            what: describe_special(&kind),
        });
    }
    take_all(file, limit, metadata.len())
}

/// Reads to the end, failing past `limit` bytes; `hint` is the expected size.
fn take_all(
    reader: impl std::io::Read,
    limit: u64,
    hint: u64,
) -> Result<Vec<u8>, LimitedReadError> {
    let capacity = usize::try_from(hint.min(limit).saturating_add(1)).unwrap_or(0);
    let mut bytes = Vec::with_capacity(capacity);
    reader
        .take(limit.saturating_add(1))
        .read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(LimitedReadError::TooLarge { limit });
    }
    Ok(bytes)
}

/// Whether an opened special file is this process's standard input (`/dev/stdin`,
/// `/proc/self/fd/0` when stdin is a pipe): same device and inode.
#[cfg(unix)]
fn is_stdin(metadata: &std::fs::Metadata) -> bool {
    use std::os::fd::AsFd as _;
    use std::os::unix::fs::MetadataExt as _;
    let Ok(fd) = std::io::stdin().as_fd().try_clone_to_owned() else {
        return false;
    };
    std::fs::File::from(fd)
        .metadata()
        .is_ok_and(|stdin| stdin.dev() == metadata.dev() && stdin.ino() == metadata.ino())
}

#[cfg(not(unix))]
fn is_stdin(_metadata: &std::fs::Metadata) -> bool {
    false
}

#[cfg(unix)]
fn describe_special(kind: &std::fs::FileType) -> &'static str {
    use std::os::unix::fs::FileTypeExt as _;
    if kind.is_fifo() {
        "命名管道 FIFO"
    } else if kind.is_socket() {
        "套接字"
    } else if kind.is_char_device() || kind.is_block_device() {
        "设备"
    } else {
        "特殊文件"
    }
}

#[cfg(not(unix))]
fn describe_special(_kind: &std::fs::FileType) -> &'static str {
    "特殊文件"
}

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
                inputs.empty_dirs.push(display_path(path));
            }
            inputs.files.extend(found.into_iter().map(|file| Input {
                display: display_path(&file),
                path: file,
            }));
        } else {
            inputs.files.push(Input {
                path: path.clone(),
                display: display_path(path),
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
    let mut files = Vec::new();
    for entry in builder.build() {
        match entry {
            Ok(entry) => {
                if entry.file_type().is_some_and(|kind| kind.is_file())
                    && is_report_file(entry.path())
                {
                    files.push(entry.into_path());
                }
            }
            // A folder that cannot be read (no permission) is kept as an input, so that reading it
            // fails with a finding on it instead of the folder being skipped without a word.
            Err(error) if error.is_io() => {
                if let Some(path) = error_path(&error) {
                    files.push(path.to_path_buf());
                }
            }
            Err(_) => {}
        }
    }
    files
}

#[cfg(feature = "cli")] // the walker (`ignore`) is left out of the web page's build
/// The path an error of the walker is about.
fn error_path(error: &ignore::Error) -> Option<&Path> {
    match error {
        ignore::Error::WithPath { path, .. } => Some(path),
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
            error_path(err)
        }
        ignore::Error::Partial(errors) => errors.iter().find_map(error_path),
        _ => None,
    }
}

/// A path as shown in the output: as written, with the bytes of a name that are not UTF-8 shown as
/// `\xNN` (not replaced by U+FFFD, which would make two names look alike). Control characters are
/// escaped later, by the renderers that print to a terminal.
pub fn display_path(path: &Path) -> String {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt as _;
        let mut out = String::new();
        for chunk in path.as_os_str().as_bytes().utf8_chunks() {
            out.push_str(chunk.valid());
            for byte in chunk.invalid() {
                out.push_str(&format!("\\x{byte:02x}"));
            }
        }
        out
    }
    #[cfg(not(unix))]
    {
        path.display().to_string()
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
