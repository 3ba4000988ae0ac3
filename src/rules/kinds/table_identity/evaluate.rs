//! Evaluating an identity on one report or on two years of reports: looking its terms up,
//! comparing the two sides, explaining a mismatch (reported, computed, the cells used) and
//! grouping the reasons an instance could not be assessed.

use super::figures::{Figure, Figures, Place};
use super::{ForEach, Identity, Term, Year};
use crate::diagnostic::{CellRef, Diagnostic, Label, NotAssessable};
use crate::model::{CellProblem, Era, Provenance, TableId};
use crate::rules::Rule;
use crate::rules::template::render;

/// The reports an identity reads: this year's, and the year before's when two are compared.
pub(super) struct Reports<'a> {
    pub(super) this: &'a dyn Figures,
    pub(super) last: Option<&'a dyn Figures>,
    pub(super) this_year: Option<i32>,
    pub(super) last_year: Option<i32>,
    pub(super) last_path: &'a str,
    pub(super) era: Era,
}

impl<'a> Reports<'a> {
    fn of(&self, year: Year) -> Option<&'a dyn Figures> {
        match year {
            Year::This => Some(self.this),
            Year::Last => self.last,
        }
    }

    fn comparing(&self) -> bool {
        self.last.is_some()
    }
}

/// What evaluating a rule's identities gave.
#[derive(Default)]
pub(super) struct Outcome {
    pub(super) diagnostics: Vec<Diagnostic>,
    not_assessable: Vec<NotAssessable>,
    /// Tables absent, with the reports lacking them and the identities that needed them.
    absent: Vec<(TableId, Vec<Year>, usize)>,
}

impl Outcome {
    /// The not-assessable items, one per absent table first.
    pub(super) fn finish(self, rule: &Rule) -> Vec<NotAssessable> {
        let mut items = Vec::new();
        for (table, years, count) in self.absent {
            let report = match years.as_slice() {
                [Year::This] => rule.render("report-this", &[]),
                [Year::Last] => rule.render("report-last", &[]),
                _ => rule.render("report-both", &[]),
            };
            let vars = [
                ("table", table.name().to_owned()),
                ("count", count.to_string()),
                ("report", report),
            ];
            items.push(rule.not_assessable(
                rule.summary.clone(),
                rule.render("table-absent", &vars),
                Vec::new(),
                None,
            ));
        }
        items.extend(self.not_assessable);
        items
    }
}

/// One term looked up and usable.
struct Operand {
    term: Term,
    value: i64,
    place: Option<Place>,
    provenance: Provenance,
    /// The row's label in messages.
    display: &'static str,
}

/// Why operands were unusable, grouped so a reason reads once for many cells: by report, then by
/// kind of problem.
#[derive(Default)]
struct Problems {
    /// (report, reason key, items), in the order first met.
    groups: Vec<(Year, &'static str, Vec<String>)>,
    first_place: Option<Place>,
}

impl Problems {
    fn add(&mut self, year: Year, row: &str, column: &str, problem: &CellProblem) {
        let (key, item) = match problem {
            CellProblem::RowMissing => ("reason-row-missing", format!("「{row}」")),
            CellProblem::RowMisaligned { .. } => ("reason-misaligned", format!("「{row}」")),
            CellProblem::Unreadable => ("reason-unreadable", format!("「{row}」")),
            CellProblem::Blank => ("reason-blank", format!("「{row}·{column}」")),
            CellProblem::Placeholder(_) => ("reason-placeholder", format!("「{row}·{column}」")),
            CellProblem::Invalid(_) => ("reason-invalid", format!("「{row}·{column}」")),
        };
        match self
            .groups
            .iter_mut()
            .find(|(y, k, _)| *y == year && *k == key)
        {
            Some((_, _, items)) => {
                if !items.contains(&item) {
                    items.push(item);
                }
            }
            None => self.groups.push((year, key, vec![item])),
        }
    }

    fn describe(&self, rule: &Rule, table: TableId, comparing: bool) -> String {
        const SHOWN: usize = 8;
        let mut order: Vec<&(Year, &'static str, Vec<String>)> = self.groups.iter().collect();
        // This year's reasons first, each in a fixed order of kinds.
        let rank = |key: &str| {
            [
                "reason-row-missing",
                "reason-misaligned",
                "reason-unreadable",
                "reason-blank",
                "reason-placeholder",
                "reason-invalid",
            ]
            .iter()
            .position(|k| *k == key)
            .unwrap_or(usize::MAX)
        };
        order.sort_by_key(|(year, key, _)| (*year == Year::Last, rank(key)));
        order
            .iter()
            .map(|(year, key, items)| {
                let mut shown = items.iter().take(SHOWN).cloned().collect::<String>();
                if items.len() > SHOWN {
                    shown.push_str(&rule.render("reason-more", &[("count", items.len().to_string())]));
                }
                let report = match (comparing, year) {
                    (false, _) => String::new(),
                    (true, Year::This) => rule.render("year-this", &[]),
                    (true, Year::Last) => rule.render("year-last", &[]),
                };
                let vars = [
                    ("report", report),
                    ("table", table.name().to_owned()),
                    ("rows", shown.clone()),
                    ("cells", shown),
                ];
                rule.render(key, &vars)
            })
            .collect::<Vec<_>>()
            .join("；")
    }
}

/// Evaluates an identity on the reports, adding its findings to `out`.
pub(super) fn evaluate(identity: &Identity, reports: &Reports<'_>, rule: &Rule, out: &mut Outcome) {
    let used: Vec<Year> = if identity.compares_years() {
        vec![Year::This, Year::Last]
    } else {
        vec![Year::This]
    };
    let mut editions = Vec::new();
    let mut lacking = Vec::new();
    for &year in &used {
        match reports
            .of(year)
            .and_then(|figures| figures.edition(identity.table))
        {
            Some(edition) => editions.push(edition),
            None => lacking.push(year),
        }
    }
    if !lacking.is_empty() {
        match out
            .absent
            .iter_mut()
            .find(|(table, years, _)| *table == identity.table && *years == lacking)
        {
            Some((_, _, count)) => *count += 1,
            None => out.absent.push((identity.table, lacking, 1)),
        }
        return;
    }
    if let Some(wanted) = identity.edition
        && editions.iter().any(|edition| *edition != wanted)
    {
        return;
    }
    let instances: Vec<&'static str> = match (&identity.over, identity.for_each) {
        (Some(over), _) => over.clone(),
        (None, ForEach::Column) => {
            let mut columns = reports.this.columns(identity.table);
            if let Some(last) = reports.last.filter(|_| identity.compares_years()) {
                let earlier = last.columns(identity.table);
                columns.retain(|column| earlier.contains(column));
            }
            columns
        }
        (None, ForEach::Row) => reports.this.rows(identity.table),
    };
    let mut problems = Problems::default();
    let mut unassessable: Vec<String> = Vec::new();
    for instance in instances {
        // Every term's figure first: a term the layout does not have skips the instance.
        let mut looked_up = Vec::new();
        for (side, terms) in [(0, &identity.total), (1, &identity.parts)] {
            for term in terms {
                let (row, column) = identity.address(instance, term.key);
                let figure = reports
                    .of(term.year)
                    .map_or(Figure::NoTable, |figures| {
                        figures.figure(identity.table, row, column)
                    });
                looked_up.push((side, term, row, column, figure));
            }
        }
        if looked_up
            .iter()
            .any(|(.., figure)| matches!(figure, Figure::NoTable | Figure::NotInLayout))
        {
            continue;
        }
        let mut totals = Vec::new();
        let mut parts = Vec::new();
        let mut missing = false;
        for (side, term, row, column, figure) in looked_up {
            match figure {
                Figure::NoTable | Figure::NotInLayout => {}
                Figure::Unavailable { problem, place } => {
                    problems.add(term.year, row, column, &problem);
                    if term.year == Year::This {
                        problems.first_place = problems.first_place.or(place);
                    }
                    missing = true;
                }
                Figure::Value {
                    value,
                    place,
                    provenance,
                } => {
                    let display = reports
                        .of(term.year)
                        .and_then(|figures| figures.row_display(identity.table, row))
                        .unwrap_or(row);
                    let operand = Operand {
                        term: term.clone(),
                        value,
                        place,
                        provenance,
                        display,
                    };
                    if side == 0 {
                        totals.push(operand);
                    } else {
                        parts.push(operand);
                    }
                }
            }
        }
        if missing {
            unassessable.push(instance.to_owned());
            continue;
        }
        if let Some(diagnostic) = compare(identity, reports, rule, instance, &totals, &parts) {
            out.diagnostics.push(diagnostic);
        }
    }
    if !unassessable.is_empty() {
        let mut item = rule.not_assessable(
            format!("{} {}", identity.id, identity.description),
            problems.describe(rule, identity.table, reports.comparing()),
            unassessable,
            problems.first_place.map(|place| place.range),
        );
        item.span = problems.first_place.and_then(|place| place.span);
        out.not_assessable.push(item);
    }
}

/// The finding for an instance whose sides differ, if they do.
fn compare(
    identity: &Identity,
    reports: &Reports<'_>,
    rule: &Rule,
    instance: &'static str,
    totals: &[Operand],
    parts: &[Operand],
) -> Option<Diagnostic> {
    let signed = |operand: &Operand| {
        let value = i128::from(operand.value);
        if operand.term.negative { -value } else { value }
    };
    // Summed in i128: exact for any figures a cell can hold (each fits in i64).
    let reported: i128 = totals.iter().map(signed).sum();
    let computed: i128 = parts.iter().map(signed).sum();
    if reported == computed {
        return None;
    }
    // In messages a row is its label; along a row, a column name alone is ambiguous (表四 repeats
    // its five columns per group), so it is named with its row.
    let name = |operand: &Operand| match identity.for_each {
        ForEach::Column => operand.display.to_owned(),
        ForEach::Row => format!("{instance}·{}", operand.term.key),
    };
    let (row_var, column_var) = match identity.for_each {
        ForEach::Column => (
            totals
                .iter()
                .map(|operand| operand.display)
                .collect::<Vec<_>>()
                .join("」「"),
            instance.to_owned(),
        ),
        ForEach::Row => (
            reports
                .this
                .row_display(identity.table, instance)
                .unwrap_or(instance)
                .to_owned(),
            totals
                .iter()
                .map(|operand| operand.term.key)
                .collect::<Vec<_>>()
                .join("」「"),
        ),
    };
    let year = reports
        .this_year
        .map_or_else(|| "本".to_owned(), |year| year.to_string());
    let previous_year = reports
        .last_year
        .or_else(|| reports.this_year.map(|year| year - 1))
        .map_or_else(|| "上一".to_owned(), |year| year.to_string());
    let vars = [
        ("table", identity.table.name().to_owned()),
        ("row", row_var),
        ("column", column_var),
        ("reported", reported.to_string()),
        ("computed", computed.to_string()),
        ("difference", (reported - computed).abs().to_string()),
        ("id", identity.id.clone()),
        ("description", identity.description.clone()),
        ("year", year),
        ("previous-year", previous_year.clone()),
    ];
    let mut diagnostic = rule.diagnostic("mismatch", &vars, reports.this_year, reports.era);
    if let Some(template) = &identity.message {
        diagnostic.message = render(template, &vars);
    }
    let label_at = |place: Place, message: String| {
        let mut label = Label::new(place.range, message);
        label.span = place.span;
        label
    };
    for operand in totals {
        let Some(place) = operand.place else {
            continue;
        };
        let message = if totals.len() == 1 {
            rule.render(
                "label-total",
                &[
                    ("reported", reported.to_string()),
                    ("computed", computed.to_string()),
                ],
            )
        } else {
            rule.render(
                "label-term",
                &[("name", name(operand)), ("value", operand.value.to_string())],
            )
        };
        diagnostic = diagnostic.with_primary(label_at(place, message));
    }
    for operand in parts {
        let Some(place) = operand.place else {
            continue;
        };
        match operand.term.year {
            // A zero adds nothing to read; the note lists every term.
            Year::This if operand.value != 0 => {
                let message = rule.render(
                    "label-term",
                    &[("name", name(operand)), ("value", operand.value.to_string())],
                );
                diagnostic = diagnostic.with_secondary(label_at(place, message));
            }
            Year::This => {}
            // The figure of the other report is the evidence, zero or not.
            Year::Last => {
                if let Some(span) = place.span {
                    let message = rule.render(
                        "label-last-year",
                        &[
                            ("year", previous_year.clone()),
                            ("name", name(operand)),
                            ("value", operand.value.to_string()),
                        ],
                    );
                    diagnostic = diagnostic.with_secondary(Label::elsewhere(
                        reports.last_path,
                        place.range,
                        span,
                        message,
                    ));
                }
            }
        }
    }
    let terms = |operands: &[Operand]| -> String {
        operands
            .iter()
            .enumerate()
            .map(|(i, operand)| {
                let sign = match (i, operand.term.negative) {
                    (0, false) => "",
                    (0, true) => "−",
                    (_, false) => " + ",
                    (_, true) => " − ",
                };
                let value = match operand.term.year {
                    Year::This => operand.value.to_string(),
                    Year::Last => {
                        rule.render("term-last-year", &[("value", operand.value.to_string())])
                    }
                };
                format!("{sign}{value}")
            })
            .collect()
    };
    if totals.len() > 1 {
        diagnostic = diagnostic.with_note(rule.render(
            "note-reported",
            &[("terms", terms(totals)), ("reported", reported.to_string())],
        ));
    }
    diagnostic = diagnostic
        .with_note(rule.render(
            "note-computed",
            &[("terms", terms(parts)), ("computed", computed.to_string())],
        ))
        .with_note(rule.render(
            "note-check",
            &[
                ("id", identity.id.clone()),
                ("description", identity.description.clone()),
            ],
        ));
    let first_total = totals.first().map(|operand| operand.term.key);
    let (row, column) = match identity.for_each {
        ForEach::Column => (first_total, Some(instance)),
        ForEach::Row => (Some(instance), first_total),
    };
    diagnostic.cell = Some(CellRef {
        table: identity.table,
        row: row.map(str::to_owned),
        column: column.map(str::to_owned),
    });
    if totals
        .iter()
        .chain(parts)
        .any(|operand| operand.provenance == Provenance::Recovered)
    {
        diagnostic = diagnostic
            .with_note(rule.render("note-recovered", &[]))
            .from_extraction();
    }
    diagnostic.expected = Some(computed);
    diagnostic.found = Some(reported);
    Some(diagnostic)
}
