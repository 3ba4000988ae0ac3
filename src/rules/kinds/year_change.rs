//! `year-change`: a table figure far from the same body's figure of the year before. For each
//! cell named in `[[check.cells]]` that both reports hold as a usable whole number, a finding
//! when this year's is more than `ratio` times last year's, or less than its `1/ratio` — the
//! larger of the two at least `floor` (between small numbers a ratio means nothing: 1 and 6 are
//! six times apart), a zero on one side counting as any ratio. A cell whose row or column the
//! other year's edition lacks (表二 changed its columns in 2021) is not compared.

use serde::Deserialize;
use toml::Spanned;

use super::table_terms::resolve_written;
use super::{CheckKind, Compile, MessageSpec};
use crate::datafile::LoadError;
use crate::diagnostic::Label;
use crate::model::TableId;
use crate::model::facts::{FactCell, FactLookup, FactValue, YearFacts};
use crate::rules::PairContext;

/// The `[check]` table.
#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Spec {
    ratio: Spanned<f64>,
    floor: i64,
    cells: Vec<CellsSpec>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CellsSpec {
    table: Spanned<String>,
    rows: Vec<Spanned<String>>,
    columns: Vec<Spanned<String>>,
}

/// The compiled check.
#[derive(Debug)]
pub struct YearChange {
    ratio: f64,
    floor: i64,
    cells: Vec<Cells>,
}

#[derive(Debug)]
struct Cells {
    table: TableId,
    rows: Vec<&'static str>,
    columns: Vec<&'static str>,
}

/// A cell's figure, when the report holds it as a usable whole number.
fn figure<'a>(
    facts: &'a YearFacts,
    table: TableId,
    row: &str,
    column: &str,
) -> Option<(&'a str, &'a FactCell, i64)> {
    match facts.lookup(table, row, column) {
        FactLookup::Cell(fact_row, cell) => match cell.value {
            FactValue::Value(value) => Some((fact_row.display, cell, value)),
            FactValue::Unavailable(_) => None,
        },
        FactLookup::NoTable | FactLookup::NotInLayout => None,
    }
}

impl YearChange {
    /// How this year's figure compares with last year's, when it is a jump.
    #[allow(
        clippy::cast_precision_loss,
        reason = "table figures, far below 2^52"
    )]
    fn jump(&self, last: i64, this: i64) -> Option<f64> {
        if last.max(this) < self.floor || last < 0 || this < 0 {
            return None;
        }
        if last == 0 || this == 0 {
            return Some(if last == 0 { f64::INFINITY } else { 0.0 });
        }
        let factor = this as f64 / last as f64;
        (factor > self.ratio || factor < 1.0 / self.ratio).then_some(factor)
    }
}

/// A factor in words for the message: `7.5`, `0.12`.
fn factor_text(factor: f64) -> String {
    if factor >= 10.0 {
        format!("{factor:.0}")
    } else if factor >= 1.0 {
        format!("{factor:.1}")
    } else {
        format!("{factor:.2}")
    }
}

impl CheckKind for YearChange {
    const NAME: &'static str = "year-change";
    const MESSAGES: &'static [MessageSpec] = &[
        MessageSpec::required(
            "jump",
            &[
                "table",
                "row",
                "column",
                "value",
                "previous",
                "year",
                "previous-year",
                "change",
            ],
        ),
        MessageSpec::required("change-up", &["factor"]),
        MessageSpec::required("change-down", &["factor"]),
        MessageSpec::required("change-from-zero", &[]),
        MessageSpec::required("change-to-zero", &[]),
        MessageSpec::required("label-this-year", &["value", "change"]),
        MessageSpec::required("label-last-year", &["year", "value"]),
    ];
    type Spec = Spec;

    fn compile(spec: Spec, compile: &Compile<'_>) -> Result<Self, LoadError> {
        let ratio = *spec.ratio.get_ref();
        if ratio <= 1.0 || !ratio.is_finite() {
            return Err(compile.error(spec.ratio.span(), "ratio 应大于 1，如 5"));
        }
        let cells = spec
            .cells
            .iter()
            .map(|cells| {
                let table = compile.table(&cells.table)?;
                let row_keys = compile.layouts.row_keys(table);
                let column_keys = compile.layouts.column_keys(table);
                Ok(Cells {
                    table,
                    rows: cells
                        .rows
                        .iter()
                        .map(|row| resolve_written(compile, row, &row_keys, "行"))
                        .collect::<Result<_, LoadError>>()?,
                    columns: cells
                        .columns
                        .iter()
                        .map(|column| resolve_written(compile, column, &column_keys, "列"))
                        .collect::<Result<_, LoadError>>()?,
                })
            })
            .collect::<Result<Vec<_>, LoadError>>()?;
        Ok(Self {
            ratio,
            floor: spec.floor,
            cells,
        })
    }

    fn year_cells(&self) -> Vec<(TableId, &'static str, &'static str)> {
        let mut out = Vec::new();
        for cells in &self.cells {
            for row in &cells.rows {
                for column in &cells.columns {
                    out.push((cells.table, *row, *column));
                }
            }
        }
        out
    }

    fn run(&self, _context: &mut crate::rules::Context<'_>) {}

    fn run_pair(&self, context: &mut PairContext<'_>) {
        let (current, previous) = (context.current, context.previous);
        let year = current
            .year
            .map_or_else(|| "本".to_owned(), |y| y.to_string());
        let previous_year = previous
            .year
            .or_else(|| current.year.map(|y| y - 1))
            .map_or_else(|| "上一".to_owned(), |y| y.to_string());
        let rule = context.rule;
        for cells in &self.cells {
            for row in &cells.rows {
                for column in &cells.columns {
                    let (Some((display, this_cell, this)), Some((_, last_cell, last))) = (
                        figure(current, cells.table, row, column),
                        figure(previous, cells.table, row, column),
                    ) else {
                        continue;
                    };
                    let Some(factor) = self.jump(last, this) else {
                        continue;
                    };
                    let change = if last == 0 {
                        rule.render("change-from-zero", &[])
                    } else if this == 0 {
                        rule.render("change-to-zero", &[])
                    } else if factor > 1.0 {
                        rule.render("change-up", &[("factor", factor_text(factor))])
                    } else {
                        rule.render("change-down", &[("factor", factor_text(factor))])
                    };
                    let vars = [
                        ("table", cells.table.name().to_owned()),
                        ("row", display.to_owned()),
                        ("column", (*column).to_owned()),
                        ("value", this.to_string()),
                        ("previous", last.to_string()),
                        ("year", year.clone()),
                        ("previous-year", previous_year.clone()),
                        ("change", change.clone()),
                    ];
                    let mut diagnostic =
                        rule.diagnostic("jump", &vars, current.year, current.era);
                    if let Some(range) = this_cell.range {
                        let mut label = Label::new(
                            range,
                            rule.render(
                                "label-this-year",
                                &[("value", this.to_string()), ("change", change)],
                            ),
                        );
                        label.span = this_cell.span;
                        diagnostic = diagnostic.with_primary(label);
                    }
                    if let (Some(range), Some(span)) = (last_cell.range, last_cell.span) {
                        diagnostic = diagnostic.with_secondary(Label::elsewhere(
                            &previous.path,
                            range,
                            span,
                            rule.render(
                                "label-last-year",
                                &[("year", previous_year.clone()), ("value", last.to_string())],
                            ),
                        ));
                    }
                    context.emit(diagnostic);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(ratio: f64, floor: i64) -> YearChange {
        YearChange {
            ratio,
            floor,
            cells: Vec::new(),
        }
    }

    #[test]
    fn small_numbers_and_moderate_changes_are_not_jumps() {
        let rule = check(5.0, 30);
        assert!(rule.jump(4, 25).is_none(), "below the floor");
        assert!(rule.jump(100, 450).is_none(), "×4.5");
        assert!(rule.jump(100, 501).is_some());
        assert!(rule.jump(200, 39).is_some());
        assert!(rule.jump(0, 30).is_some_and(f64::is_infinite));
        assert_eq!(rule.jump(45, 0), Some(0.0));
        assert!(rule.jump(0, 29).is_none());
    }
}
