//! The body of each top-level section: the text from the end of its heading to the next top-level
//! heading (or the end of the document), without the tables and images in it. Checks of what a
//! section says (section 五 not empty, section 六 on fees, a section copied from last year's
//! report) read it.

use super::keywords::Keywords;
use super::sections::Heading;
use crate::source::Document;
use crate::text::TextRange;

/// One top-level section's body.
#[derive(Clone, Debug)]
pub struct SectionBody {
    /// Its heading's index in the report's headings.
    pub heading: usize,
    /// From the end of the heading to the start of the next top-level heading.
    pub range: TextRange,
    /// Its prose: the paragraphs in it, or the parts of one (a crawler runs a whole body onto one
    /// line), without tables and images.
    pub prose: Vec<TextRange>,
}

/// The bodies of the top-level (`一、`) sections, in order.
pub fn find_bodies(doc: &Document, headings: &[Heading]) -> Vec<SectionBody> {
    let top: Vec<usize> = headings
        .iter()
        .enumerate()
        .filter(|(_, heading)| heading.level == 1)
        .map(|(index, _)| index)
        .collect();
    // Paragraphs in document order, so that each body finds its own by binary search: a
    // document of many headings and paragraphs stays linear.
    let mut paragraphs: Vec<TextRange> = doc.paragraphs().collect();
    paragraphs.sort_by_key(|paragraph| paragraph.start);
    top.iter()
        .enumerate()
        .map(|(i, &index)| {
            let start = headings[index].range.end;
            let end = top
                .get(i + 1)
                .map_or(doc.text.len(), |&next| headings[next].range.start)
                .max(start);
            let range = TextRange::new(start, end);
            let first = paragraphs.partition_point(|paragraph| paragraph.end <= range.start);
            let prose = paragraphs[first..]
                .iter()
                .take_while(|paragraph| paragraph.start < range.end)
                .filter_map(|paragraph| {
                    let (from, to) = (
                        paragraph.start.max(range.start),
                        paragraph.end.min(range.end),
                    );
                    (from < to).then(|| TextRange::new(from, to))
                })
                .collect();
            SectionBody {
                heading: index,
                range,
                prose,
            }
        })
        .collect()
}

/// The first section whose heading has the keywords.
pub fn find_section<'a>(
    bodies: &'a [SectionBody],
    headings: &[Heading],
    keywords: &Keywords,
) -> Option<&'a SectionBody> {
    bodies.iter().find(|body| {
        headings
            .get(body.heading)
            .is_some_and(|heading| keywords.matches(&heading.words))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::sections::find_headings;
    use crate::source::{SourceKind, read_bytes};

    #[test]
    fn a_body_runs_to_the_next_top_level_heading() {
        let text = "标题\n一、总体情况\n（一）概述\n正文一。\n二、主动公开政府信息情况\n正文二。\n";
        let doc = read_bytes(text.as_bytes(), Some(SourceKind::Text)).unwrap();
        let headings = find_headings(&doc);
        let bodies = find_bodies(&doc, &headings);
        assert_eq!(bodies.len(), 2);
        let prose = |body: &SectionBody| -> Vec<&str> {
            body.prose.iter().map(|range| doc.slice(*range)).collect()
        };
        assert_eq!(prose(&bodies[0]), ["（一）概述", "正文一。"]);
        assert_eq!(prose(&bodies[1]), ["正文二。"]);
    }

    #[test]
    fn a_run_on_body_is_cut_at_its_headings() {
        let filler = "推进政府信息公开工作。".repeat(300);
        let text = format!("前言。 一、 概述 {filler}二、主动公开政府信息情况 正文二。");
        let doc = read_bytes(text.as_bytes(), Some(SourceKind::Text)).unwrap();
        let headings = find_headings(&doc);
        let bodies = find_bodies(&doc, &headings);
        assert_eq!(bodies.len(), 2);
        assert!(doc.slice(bodies[0].prose[0]).trim().starts_with("推进"));
        assert_eq!(doc.slice(bodies[1].prose[0]).trim(), "正文二。");
    }
}
