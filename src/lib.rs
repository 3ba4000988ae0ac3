//! xxgk-lint: a linter for 政府信息公开工作年度报告 (government information-disclosure annual reports).
//!
//! Data flows one way: [`source`] reads and decodes a file into a [`source::Document`] (canonical
//! text, paragraphs, tables with spans).

pub mod diagnostic;
pub mod input;
pub mod lint;
pub mod model;
pub mod render;
pub mod rules;
pub mod source;
pub mod text;
