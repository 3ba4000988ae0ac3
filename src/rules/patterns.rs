//! Words and regular expressions written in rule files, compiled with their place in the file for
//! errors. Both are matched against normalised text (see [`crate::text::fold`]): no whitespace,
//! full-width punctuation as ASCII (`，` is `,`), simplified characters. Words are normalised when
//! loaded; patterns are not (folding would turn a literal `（` into a group), so a pattern is
//! written in the normalised form.

use regex::Regex;
use toml::Spanned;

use super::LoadError;
use super::kinds::Compile;
use crate::text::fold;

impl Compile<'_> {
    /// Compiles regular expressions; an invalid one is reported at its place.
    pub fn patterns(&self, written: &[Spanned<String>]) -> Result<Vec<Regex>, LoadError> {
        written
            .iter()
            .map(|pattern| {
                Regex::new(pattern.get_ref())
                    .map_err(|error| self.error(pattern.span(), format!("正则表达式无效：{error}")))
            })
            .collect()
    }

    /// Compiles regular expressions that must capture a named group (`(?P<year>…)`).
    pub fn patterns_with(
        &self,
        written: &[Spanned<String>],
        group: &str,
    ) -> Result<Vec<Regex>, LoadError> {
        let compiled = self.patterns(written)?;
        for (regex, pattern) in compiled.iter().zip(written) {
            if !regex.capture_names().flatten().any(|name| name == group) {
                return Err(self.error(
                    pattern.span(),
                    format!("正则表达式须有名为 {group} 的捕获组：(?P<{group}>…)"),
                ));
            }
        }
        Ok(compiled)
    }
}

/// Words, normalised; empty ones dropped.
pub(crate) fn words(written: &[String]) -> Vec<String> {
    written
        .iter()
        .map(|word| fold(word))
        .filter(|word| !word.is_empty())
        .collect()
}
