//! xxgk-lint: a linter for 政府信息公开工作年度报告 (government information-disclosure annual
//! reports).
//!
//! Data flows one way, each stage in its own module:
//!
//! 1. [`input`] — the files to check (directories walked with the `ignore` crate, sorted);
//! 2. [`source`] — bytes decoded (UTF-8, GB18030/GBK, Big5) and read into a [`source::Document`]: the
//!    canonical text a reader sees, its paragraphs, and its tables with cell spans (text, HTML,
//!    Word, PDF);
//! 3. [`model`] — the [`model::Report`]: title, year, era, kind, headings, statistical period, and
//!    tables 二/三/四 read by one table reader into their layouts (data: `layouts/*.toml`), each
//!    cell saying how it was read; [`model::facts`] keeps the figures checks across years need;
//! 4. [`rules`] — rules loaded from TOML (built in, or `--rules DIR`) run on the report, and the
//!    identities across years on pairs of reports that [`years`] matched;
//! 5. [`diagnostic`] — findings, and checks that could not be assessed;
//! 6. [`config`] and [`waivers`] — what the user switched off, re-graded or waived;
//! 7. [`render`] — human (codespan-reporting, in Chinese), concise, JSON, JSON Lines, SARIF,
//!    GitHub annotations and JUnit; [`audit`] — the summary of a whole run.
//!
//! [`lint`] ties the stages together for one file and catches a panic in any of them;
//! [`session`] runs many files (in parallel, output in input order) with their settings.
#![warn(missing_docs)]

#[cfg(feature = "cli")] // comfy-table and csv: only the command line summarises folders
pub mod audit;
mod builtin;
pub mod config;
pub mod datafile;
pub mod diagnostic;
pub mod explain;
pub mod input;
pub mod lint;
pub mod model;
pub mod page;
pub mod render;
pub mod rules;
pub mod session;
pub mod source;
pub mod text;
pub mod waivers;
pub mod years;
