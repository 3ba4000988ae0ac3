//! JUnit XML, which most CI systems show as a test report: one test suite per report, one test
//! case per finding. Errors and warnings are failures; info findings pass with their text as
//! output; checks that could not be carried out are skipped; a report without findings is one
//! passing test case.

use std::io;

use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesText, Event};

use super::located::{Located, LocatedGap, locate};
use crate::diagnostic::Severity;
use crate::lint::FileResult;
use crate::text::Span;

/// A file's located findings and gaps.
type FileFindings<'a> = (Vec<Located<'a>>, Vec<LocatedGap<'a>>);

/// Text as XML 1.0 allows it: the control characters it forbids even as character references
/// (all of C0 but tab, newline and carriage return), and the others a terminal would interpret,
/// shown escaped. quick-xml escapes the markup characters.
fn xml(text: &str) -> String {
    text.chars()
        .map(|c| {
            if matches!(c, '\t' | '\n' | '\r') || !super::is_unsafe_char(c) {
                c.to_string()
            } else {
                super::escaped_char(c)
            }
        })
        .collect()
}

fn at(span: Option<Span>) -> String {
    span.map_or_else(String::new, |span| {
        format!(" {}:{}", span.line, span.column)
    })
}

fn is_failure(located: &Located<'_>) -> bool {
    located.diagnostic.severity >= Severity::Warning
}

fn suite(
    writer: &mut Writer<Vec<u8>>,
    result: &FileResult,
    findings: &[Located<'_>],
    gaps: &[LocatedGap<'_>],
) -> io::Result<()> {
    let failures = findings.iter().filter(|l| is_failure(l)).count();
    let path = xml(&result.path);
    let tests = (findings.len() + gaps.len()).max(1);
    writer
        .create_element("testsuite")
        .with_attribute(("name", path.as_str()))
        .with_attribute(("tests", tests.to_string().as_str()))
        .with_attribute(("failures", failures.to_string().as_str()))
        .with_attribute(("errors", "0"))
        .with_attribute(("skipped", gaps.len().to_string().as_str()))
        .write_inner_content(|writer| {
            if findings.is_empty() && gaps.is_empty() {
                writer
                    .create_element("testcase")
                    .with_attribute(("classname", path.as_str()))
                    .with_attribute(("name", "xxgk-lint"))
                    .write_empty()?;
            }
            for located in findings {
                let d = located.diagnostic;
                let name = format!("{} {}{}", d.code, d.name, at(located.span));
                let message = xml(&d.message);
                let mut body = message.clone();
                for note in &d.notes {
                    body.push('\n');
                    body.push_str(&xml(note));
                }
                let case = writer
                    .create_element("testcase")
                    .with_attribute(("classname", path.as_str()))
                    .with_attribute(("name", name.as_str()));
                if is_failure(located) {
                    case.write_inner_content(|writer| {
                        writer
                            .create_element("failure")
                            .with_attribute(("type", d.severity.name()))
                            .with_attribute(("message", message.as_str()))
                            .write_text_content(BytesText::new(&body))?;
                        Ok(())
                    })?;
                } else {
                    case.write_inner_content(|writer| {
                        writer
                            .create_element("system-out")
                            .write_text_content(BytesText::new(&body))?;
                        Ok(())
                    })?;
                }
            }
            for gap in gaps {
                let name = format!(
                    "{} {} 无法校验「{}」{}",
                    gap.item.code,
                    gap.item.name,
                    xml(&gap.item.check),
                    at(gap.span)
                );
                let reason = xml(&gap.item.reason);
                writer
                    .create_element("testcase")
                    .with_attribute(("classname", path.as_str()))
                    .with_attribute(("name", name.as_str()))
                    .write_inner_content(|writer| {
                        writer
                            .create_element("skipped")
                            .with_attribute(("message", reason.as_str()))
                            .write_empty()?;
                        Ok(())
                    })?;
            }
            Ok(())
        })?;
    Ok(())
}

fn write(results: &[FileResult]) -> io::Result<Vec<u8>> {
    let mut writer = Writer::new_with_indent(Vec::new(), b' ', 2);
    writer.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    let located: Vec<FileFindings<'_>> = results.iter().map(locate).collect();
    let count =
        |f: &dyn Fn(&FileFindings<'_>) -> usize| located.iter().map(f).sum::<usize>().to_string();
    let tests = count(&|(f, g)| (f.len() + g.len()).max(1));
    let failures = count(&|(f, _)| f.iter().filter(|l| is_failure(l)).count());
    let skipped = count(&|(_, g)| g.len());
    writer
        .create_element("testsuites")
        .with_attribute(("name", "xxgk-lint"))
        .with_attribute(("tests", tests.as_str()))
        .with_attribute(("failures", failures.as_str()))
        .with_attribute(("errors", "0"))
        .with_attribute(("skipped", skipped.as_str()))
        .write_inner_content(|writer| {
            for (result, (findings, gaps)) in results.iter().zip(&located) {
                suite(writer, result, findings, gaps)?;
            }
            Ok(())
        })?;
    let mut bytes = writer.into_inner();
    bytes.push(b'\n');
    Ok(bytes)
}

/// The run as a JUnit XML document.
pub fn render(results: &[FileResult]) -> String {
    // Writing into memory cannot fail; say so in the output if it ever does.
    write(results).map_or_else(
        |error| format!("<!-- {error} -->\n"),
        |bytes| String::from_utf8_lossy(&bytes).into_owned(),
    )
}
