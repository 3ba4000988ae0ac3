//! Reading the project's TOML data files — rules, table layouts, configuration, waivers — with
//! every error pointing at its line and column, in the user's language.

use std::ops::Range;

use serde::de::DeserializeOwned;
use thiserror::Error;

use toml::Spanned;

use crate::model::Era;
use crate::text::LineIndex;

/// A data file that cannot be used, with the place in the file.
#[derive(Debug, Error)]
#[error("{path}:{line}:{column}: {message}")]
pub struct LoadError {
    /// The file.
    pub path: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
    /// What is wrong, in Chinese.
    pub message: String,
}

impl LoadError {
    /// An error about a whole file (it cannot be read, it is a duplicate), placed at its start.
    pub fn whole_file(path: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            path: path.into(),
            line: 1,
            column: 1,
            message: message.into(),
        }
    }
}

/// A TOML file being read: its path (as shown) and text, for spanned errors.
#[derive(Clone, Copy)]
pub(crate) struct DataFile<'a> {
    pub(crate) path: &'a str,
    pub(crate) text: &'a str,
}

impl DataFile<'_> {
    /// An error at a byte span of the file.
    pub(crate) fn error(&self, span: Range<usize>, message: impl Into<String>) -> LoadError {
        let (line, column) = LineIndex::new(self.text).position(self.text, span.start);
        LoadError {
            path: self.path.to_owned(),
            line,
            column,
            message: message.into(),
        }
    }

    /// An era named in the file (`format-2021`), or an error saying which exist.
    pub(crate) fn era(&self, era: &Spanned<String>) -> Result<Era, LoadError> {
        Era::parse(era.get_ref()).ok_or_else(|| {
            self.error(
                era.span(),
                format!(
                    "格式「{}」无效（可用：{}）",
                    era.get_ref(),
                    Era::NAMES.join(", ")
                ),
            )
        })
    }

    /// Deserialises the whole file.
    pub(crate) fn parse<T: DeserializeOwned>(&self) -> Result<T, LoadError> {
        toml::from_str(self.text).map_err(|error| {
            let span = error.span().unwrap_or(0..0);
            let span = self.refine_unknown_field(error.message(), span);
            self.error(span, translate(error.message()))
        })
    }

    /// An unknown key may be reported at the table that holds it (a table read in two steps has
    /// lost the key's own place): point at the key itself, its first line within that table.
    fn refine_unknown_field(&self, message: &str, span: Range<usize>) -> Range<usize> {
        let Some(field) = message
            .trim()
            .strip_prefix("unknown field `")
            .and_then(|rest| rest.split('`').next())
        else {
            return span;
        };
        let Some(region) = self.text.get(span.start..) else {
            return span;
        };
        let mut offset = span.start;
        for line in region.split_inclusive('\n') {
            let trimmed = line.trim_start();
            let indent = line.len() - trimmed.len();
            let key_end = trimmed
                .strip_prefix(field)
                .map(|after| after.trim_start())
                .filter(|after| after.starts_with('=') || after.starts_with('.'));
            if key_end.is_some() && offset + indent > span.start {
                return offset + indent..offset + indent + field.len();
            }
            offset += line.len();
        }
        span
    }
}

/// Puts serde's messages in the user's language while keeping the key names.
fn translate(message: &str) -> String {
    let message = message.trim();
    if let Some(rest) = message.strip_prefix("unknown field ") {
        let (field, expected) = rest.split_once(", expected").unwrap_or((rest, ""));
        let expected = expected
            .trim_start_matches(" one of ")
            .trim_start_matches(" ");
        return if expected.is_empty() {
            format!("未知的键 {field}")
        } else {
            format!("未知的键 {field}（可用：{expected}）")
        };
    }
    if let Some(field) = message.strip_prefix("missing field ") {
        return format!("缺少必填的键 {field}");
    }
    if let Some(rest) = message.strip_prefix("unknown variant ") {
        let (value, expected) = rest.split_once(", expected").unwrap_or((rest, ""));
        let expected = expected
            .trim_start_matches(" one of ")
            .trim_start_matches(" ");
        return format!("取值 {value} 无效（可用：{expected}）");
    }
    if let Some(rest) = message.strip_prefix("invalid type: ") {
        return format!("类型错误：{rest}");
    }
    format!("TOML 格式错误：{message}")
}
