//! Shows how the linter reads a file: its canonical text (`text`), its paragraphs and tables
//! (`blocks`), its numbered headings (`headings`), or its statistical tables as typed rows (`tables`). A development aid: `cargo run --example inspect -- tables FILE`.
#![allow(
    clippy::print_stdout,
    clippy::print_stderr,
    reason = "a development aid that prints what it finds"
)]

use xxgk_lint::model::{Report, RowCells};
use xxgk_lint::rules::Registry;

fn main() {
    let mut args = std::env::args().skip(1);
    let (Some(what), Some(path)) = (args.next(), args.next()) else {
        eprintln!("usage: inspect text|blocks|headings|tables FILE");
        return;
    };
    let doc = match xxgk_lint::source::read_file(std::path::Path::new(&path)) {
        Ok(doc) => doc,
        Err(error) => {
            eprintln!("{error}");
            return;
        }
    };
    if what == "text" {
        print!("{}", doc.text);
        return;
    }
    if what == "blocks" {
        for block in &doc.blocks {
            match block {
                xxgk_lint::source::Block::Paragraph(range) => {
                    println!("P  {}", range.slice(&doc.text).replace('\n', "⏎"));
                }
                xxgk_lint::source::Block::Image(range) => println!("I  {}", range.slice(&doc.text)),
                xxgk_lint::source::Block::Table(table) => {
                    println!("T  {:?}, {} rows", table.kind, table.rows.len());
                }
            }
        }
        return;
    }
    let Ok(registry) = Registry::builtin() else {
        eprintln!("built-in rules do not load");
        return;
    };
    let report = Report::build(&doc, registry.model());
    if what == "headings" {
        for heading in &report.headings {
            let indent = "  ".repeat(usize::from(heading.level.saturating_sub(1)));
            println!(
                "{indent}{} {}  {}",
                heading.level,
                heading.number,
                doc.slice(heading.range)
            );
        }
        return;
    }
    for table in &report.tables {
        println!("== {} edition {}", table.id.name(), table.edition());
        for row in &table.rows {
            let cells = match &row.cells {
                RowCells::Missing => "missing".to_owned(),
                RowCells::Unreadable(_) => "unreadable".to_owned(),
                RowCells::Aligned(cells) | RowCells::Misaligned(cells) => {
                    let shown: Vec<&str> = cells.iter().map(|c| doc.slice(c.range)).collect();
                    let kind = if matches!(row.cells, RowCells::Aligned(_)) {
                        ""
                    } else {
                        "misaligned "
                    };
                    format!("{kind}{}", shown.join(" | "))
                }
            };
            println!("  {:<8} {:?} {cells}", row.key, row.provenance);
        }
        for range in &table.unrecognised {
            println!("  unrecognised: {}", doc.slice(*range));
        }
    }
}
