//! Findings with their labels turned into lines and columns, for the formats that print positions
//! rather than excerpts (JSON, JSON Lines, SARIF, concise, GitHub, JUnit).

use crate::diagnostic::{Diagnostic, NotAssessable};
use crate::lint::FileResult;
use crate::text::{Locator, Span};

/// A label with its place.
pub(super) struct LocatedLabel<'a> {
    /// The file it points into: the finding's own, or another (cross-year checks).
    pub path: &'a str,
    /// True when that is another file.
    pub elsewhere: bool,
    /// Where; `None` when the file's text is not available.
    pub span: Option<Span>,
    /// Primary or secondary.
    pub primary: bool,
    /// What the label says.
    pub message: &'a str,
}

/// A finding with its place.
pub(super) struct Located<'a> {
    /// The finding.
    pub diagnostic: &'a Diagnostic,
    /// Where it is in its own file (its first label there), if anywhere.
    pub span: Option<Span>,
    /// All its labels, primary first.
    pub labels: Vec<LocatedLabel<'a>>,
}

/// A check that could not be carried out, with its place.
pub(super) struct LocatedGap<'a> {
    /// The check.
    pub item: &'a NotAssessable,
    /// Where the missing figure is, if it has a place.
    pub span: Option<Span>,
}

/// Locates every finding and not-assessable check of a file.
pub(super) fn locate(result: &FileResult) -> (Vec<Located<'_>>, Vec<LocatedGap<'_>>) {
    let locator = result.source.as_deref().map(Locator::new);
    // With the text, locate; without (a detached result), use the place kept.
    let here = |range, kept: Option<Span>| match &locator {
        Some(locator) => Some(locator.span(range)),
        None => kept,
    };
    let findings = result
        .diagnostics
        .iter()
        .map(|diagnostic| {
            let labels: Vec<LocatedLabel<'_>> = diagnostic
                .primary
                .iter()
                .map(|label| (label, true))
                .chain(diagnostic.secondary.iter().map(|label| (label, false)))
                .map(|(label, primary)| match &label.elsewhere {
                    Some(other) => LocatedLabel {
                        path: &other.path,
                        elsewhere: true,
                        span: Some(other.span),
                        primary,
                        message: &label.message,
                    },
                    None => LocatedLabel {
                        path: &result.path,
                        elsewhere: false,
                        span: here(label.range, label.span),
                        primary,
                        message: &label.message,
                    },
                })
                .collect();
            let span = labels
                .iter()
                .find(|label| !label.elsewhere)
                .and_then(|label| label.span);
            Located {
                diagnostic,
                span,
                labels,
            }
        })
        .collect();
    let gaps = result
        .not_assessable
        .iter()
        .map(|item| LocatedGap {
            item,
            span: item.range.and_then(|range| here(range, item.span)),
        })
        .collect();
    (findings, gaps)
}
