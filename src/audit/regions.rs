//! Where a report comes from, for the per-region summary: the folders between the audited
//! directory and the file (`全省/某市/某县/报告.html` audited as `全省/` is in `某市/某县`), or a
//! mapping file from issuer to region, which wins when it names the report's issuer.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use thiserror::Error;

/// The separator between the levels of a region (`某市/某县`).
pub const SEPARATOR: char = '/';

/// The region of a file from the folders below the audited directory it was found in; `None`
/// for a file given by itself or lying directly in an audited directory.
pub fn from_folders(file: &Path, roots: &[PathBuf]) -> Option<String> {
    let root = roots
        .iter()
        .filter(|root| root.is_dir() && file.starts_with(root))
        // The deepest root that holds the file: `a/` and `a/b/` both given puts a/b/c/x in `c`.
        .max_by_key(|root| root.components().count())?;
    let below = file.strip_prefix(root).ok()?.parent()?;
    let levels: Vec<String> = below
        .components()
        .filter_map(|component| match component {
            std::path::Component::Normal(name) => Some(name.to_string_lossy().into_owned()),
            _ => None,
        })
        .collect();
    (!levels.is_empty()).then(|| levels.join(&SEPARATOR.to_string()))
}

/// A mapping file could not be used.
#[derive(Debug, Error)]
pub enum MappingError {
    /// It could not be read.
    #[error("无法读取地区对照表「{path}」：{source}")]
    Read {
        /// The file.
        path: String,
        /// Why.
        source: std::io::Error,
    },
    /// A line is not `发布机关,地区`.
    #[error("地区对照表「{path}」第 {line} 行：{problem}")]
    Line {
        /// The file.
        path: String,
        /// The line, from 1.
        line: usize,
        /// What is wrong.
        problem: String,
    },
}

/// Issuer → region, read from a CSV file of two columns (`发布机关,地区`; a header row naming
/// them is skipped). Saved by Excel or WPS on a Chinese Windows such a file is GBK: a file that
/// is not UTF-8 is read as GBK.
#[derive(Clone, Debug, Default)]
pub struct RegionMap {
    by_issuer: HashMap<String, String>,
}

impl RegionMap {
    /// Reads a mapping file.
    pub fn load(path: &Path) -> Result<Self, MappingError> {
        let shown = path.display().to_string();
        let bytes = std::fs::read(path).map_err(|source| MappingError::Read {
            path: shown.clone(),
            source,
        })?;
        Self::parse(&bytes, &shown)
    }

    /// Parses the bytes of a mapping file shown as `shown`.
    pub fn parse(bytes: &[u8], shown: &str) -> Result<Self, MappingError> {
        let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        let text = match std::str::from_utf8(bytes) {
            Ok(text) => std::borrow::Cow::Borrowed(text),
            Err(_) => encoding_rs::GBK.decode(bytes).0,
        };
        let mut by_issuer = HashMap::new();
        for (index, line) in text.lines().enumerate() {
            let number = index + 1;
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let fields: Vec<&str> = line
                .split([',', '，', '\t'])
                .map(|field| field.trim().trim_matches('"').trim())
                .collect();
            let problem = |problem: &str| MappingError::Line {
                path: shown.to_owned(),
                line: number,
                problem: problem.to_owned(),
            };
            let [issuer, region] = fields.as_slice() else {
                return Err(problem("应为两列：发布机关,地区"));
            };
            if number == 1 && (*issuer == "发布机关" || issuer.eq_ignore_ascii_case("issuer")) {
                continue;
            }
            if issuer.is_empty() || region.is_empty() {
                return Err(problem("发布机关和地区都不能为空"));
            }
            let region = region
                .split(['/', '\\', '／'])
                .map(str::trim)
                .filter(|level| !level.is_empty())
                .collect::<Vec<_>>()
                .join(&SEPARATOR.to_string());
            if let Some(before) = by_issuer.insert((*issuer).to_owned(), region.clone())
                && before != region
            {
                return Err(problem(&format!(
                    "「{issuer}」已对应「{before}」，又对应「{region}」"
                )));
            }
        }
        Ok(Self { by_issuer })
    }

    /// The region of an issuer, if the file names it.
    pub fn region(&self, issuer: &str) -> Option<&str> {
        self.by_issuer.get(issuer).map(String::as_str)
    }

    /// How many issuers the file names.
    pub fn len(&self) -> usize {
        self.by_issuer.len()
    }

    /// True when the file names no issuer.
    pub fn is_empty(&self) -> bool {
        self.by_issuer.is_empty()
    }
}

/// The region and every region above it: `某市/某县` → `某市`, `某市/某县`.
pub fn with_parents(region: &str) -> impl Iterator<Item = &str> {
    region
        .char_indices()
        .filter(|&(_, c)| c == SEPARATOR)
        .map(|(at, _)| &region[..at])
        .chain(std::iter::once(region))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folders_below_the_audited_directory_are_the_region() {
        let dir = tempfile::tempdir().unwrap();
        let county = dir.path().join("某市").join("某县");
        std::fs::create_dir_all(&county).unwrap();
        let roots = vec![dir.path().to_path_buf()];
        assert_eq!(
            from_folders(&county.join("r.html"), &roots).as_deref(),
            Some("某市/某县")
        );
        assert_eq!(from_folders(&dir.path().join("r.html"), &roots), None);
        assert_eq!(from_folders(Path::new("elsewhere/r.html"), &roots), None);
    }

    #[test]
    fn a_mapping_file_in_gbk_with_a_header_is_read() {
        let (bytes, _, _) =
            encoding_rs::GBK.encode("发布机关,地区\n青禾县人民政府,某市 / 青禾县\n");
        let map = RegionMap::parse(&bytes, "m.csv").unwrap();
        assert_eq!(map.region("青禾县人民政府"), Some("某市/青禾县"));
        assert_eq!(map.len(), 1);
    }

    #[test]
    fn a_line_of_three_columns_is_an_error_with_its_line() {
        let error = RegionMap::parse("a,b\nc,d,e\n".as_bytes(), "m.csv").unwrap_err();
        assert_eq!(
            error.to_string(),
            "地区对照表「m.csv」第 2 行：应为两列：发布机关,地区"
        );
    }

    #[test]
    fn a_region_and_its_parents() {
        assert_eq!(
            with_parents("甲/乙/丙").collect::<Vec<_>>(),
            ["甲", "甲/乙", "甲/乙/丙"]
        );
    }
}
