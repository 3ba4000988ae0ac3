//! `format-markers`: a report of `from-year` or later still has the marks of an `outdated` format
//! — the words only that format's tables have, a table row only its edition has. The markers are
//! the model's own, the ones that decide a report's era (`src/model/era.rs`, and the layouts'
//! `era-evidence`): this kind only reads which of them were found, and where. A citation of the
//! old format document alone (`国办公开办函〔2019〕60号`) is not enough; with a layout marker it is
//! listed too.

use serde::Deserialize;
use toml::Spanned;

use super::{CheckKind, Compile, MessageSpec};
use crate::datafile::LoadError;
use crate::diagnostic::Label;
use crate::model::{Era, EraMarker};
use crate::rules::Context;

/// The `[check]` table.
#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Spec {
    outdated: Spanned<String>,
    from_year: i32,
}

/// The compiled check.
#[derive(Debug)]
pub struct FormatMarkers {
    outdated: Era,
    from_year: i32,
}

impl CheckKind for FormatMarkers {
    const NAME: &'static str = "format-markers";
    const MESSAGES: &'static [MessageSpec] = &[
        MessageSpec::required("outdated", &["year", "era", "markers", "count"]),
        MessageSpec::required("label-marker", &["marker"]),
    ];
    type Spec = Spec;

    fn compile(spec: Spec, compile: &Compile<'_>) -> Result<Self, LoadError> {
        Ok(Self {
            outdated: compile.file.era(&spec.outdated)?,
            from_year: spec.from_year,
        })
    }

    fn run(&self, context: &mut Context<'_>) {
        let Some(year) = context.report.year.filter(|year| *year >= self.from_year) else {
            return;
        };
        let found: Vec<&EraMarker> = context
            .report
            .era_markers
            .iter()
            .filter(|marker| marker.era == self.outdated)
            .collect();
        if found.iter().all(|marker| marker.citation) {
            return;
        }
        // A word as the report writes it (`第二十条第（九）项`), a table's mark as the model says it.
        let shown = |marker: &EraMarker| match marker.range {
            Some(range) if marker.name.starts_with('「') => {
                format!("「{}」", context.doc.slice(range))
            }
            _ => marker.name.clone(),
        };
        let names: Vec<String> = found.iter().map(|marker| shown(marker)).collect();
        let vars = [
            ("year", year.to_string()),
            ("era", self.outdated.name().to_owned()),
            ("markers", names.join("、")),
            ("count", found.len().to_string()),
        ];
        let mut diagnostic = context.diagnostic("outdated", &vars);
        let mut placed = false;
        // The primary label on a mark of the layout, not on a citation.
        let (layout_marks, citations): (Vec<&EraMarker>, Vec<&EraMarker>) =
            found.iter().partition(|marker| !marker.citation);
        for marker in layout_marks.into_iter().chain(citations) {
            let Some(range) = marker.range else {
                continue;
            };
            let label = Label::new(
                range,
                context.message("label-marker", &[("marker", shown(marker))]),
            );
            diagnostic = if placed {
                diagnostic.with_secondary(label)
            } else {
                diagnostic.with_primary(label)
            };
            placed = true;
        }
        if !placed {
            diagnostic = diagnostic.with_primary(context.document_anchor());
        }
        context.emit(diagnostic);
    }
}
