//! Prints of a section's text, to tell whether a section repeats the same body's report for the
//! year before. The prose is normalised, its punctuation dropped and its figures masked (a section
//! copied from last year keeps its sentences and changes its numbers and years), then cut into
//! overlapping runs of [`SHINGLE`] characters. A print keeps the [`SKETCH`] smallest hashes of
//! those runs (all of them for a short section): an audit holding the prints of thousands of
//! reports holds at most a kilobyte per section, not its text. Two prints are compared on the
//! hashes below both their bounds, a uniform sample of both sections.

use super::keywords::Keywords;
use super::{Era, Report, SectionBody};
use crate::text::{Span, TextRange};

/// Characters per shingle: long enough that the stock phrases every report shares
/// (`政府信息公开`, six characters) do not make two different texts look alike.
pub const SHINGLE: usize = 8;

/// The most hashes a print keeps (the smallest ones).
pub const SKETCH: usize = 256;

/// Fewer hashes of this year's section below both bounds than this, and the share is not
/// estimated: a short section against a much longer one (more than eight times its length)
/// leaves too small a sample to say.
pub const MIN_SAMPLE: usize = 30;

/// Which sections to print (set by the rules that compare texts).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PrintConfig {
    /// The sections, by their heading's keywords: the first top-level section matching each.
    pub sections: Vec<PrintedSection>,
    /// Sections with fewer characters than this once masked (tables left out) are not printed:
    /// one-line statements such as 「本年度未收取信息处理费」 repeat every year, rightly.
    pub min_chars: usize,
}

/// A section to print.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PrintedSection {
    /// Its heading's keywords.
    pub keywords: Keywords,
    /// The eras of the reports it is printed in (`None`: all): from 2019 on, sections 二 to 四
    /// are tables, whose fixed labels repeat every year.
    pub eras: Option<Vec<Era>>,
}

/// The print of one section.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SectionPrint {
    /// Which of the configured sections it is.
    pub section: usize,
    /// Its heading as written (ordinal included), for messages.
    pub heading: String,
    /// Where the heading is.
    pub range: TextRange,
    /// The same place as lines and columns.
    pub span: Span,
    /// Characters of the masked prose.
    pub chars: usize,
    /// Distinct shingles of the masked prose.
    pub shingles: usize,
    /// The hashes kept, ascending: the smallest [`SKETCH`] of them.
    pub hashes: Vec<u32>,
    /// Every hash of the section up to this one is kept (`u32::MAX` when all are).
    pub bound: u32,
}

/// The masked form of normalised prose: letters only, every run of figures one `#` (Arabic or
/// Chinese numerals: years, counts, `一是……二是`).
pub fn mask(folded: &str) -> Vec<char> {
    let mut out = Vec::with_capacity(folded.len() / 3);
    let mut in_figure = false;
    for c in folded.chars() {
        let figure = c.is_ascii_digit() || "〇零一二三四五六七八九十百千万亿两".contains(c);
        if figure {
            if !in_figure {
                out.push('#');
            }
            in_figure = true;
            continue;
        }
        // Separators inside a figure (`1,260`, `56.3`) stay part of it.
        if in_figure && matches!(c, '.' | ',') {
            continue;
        }
        in_figure = false;
        if c.is_alphanumeric() {
            out.push(c);
        }
    }
    out
}

/// FNV-1a over the chars, finished with a mixer so the high bits are uniform (the sample is
/// taken on them).
fn hash(chars: &[char]) -> u32 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &c in chars {
        h ^= u64::from(u32::from(c));
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    // The high half of a mixed 64-bit hash.
    u32::try_from(h >> 32).unwrap_or(u32::MAX)
}

/// The masked length, the number of distinct shingles, the hashes kept and their bound, of a
/// normalised text.
pub fn fingerprint(folded: &str) -> (usize, usize, Vec<u32>, u32) {
    let masked = mask(folded);
    let mut hashes: Vec<u32> = masked.windows(SHINGLE).map(hash).collect();
    if hashes.is_empty() && !masked.is_empty() {
        hashes.push(hash(&masked));
    }
    hashes.sort_unstable();
    hashes.dedup();
    let shingles = hashes.len();
    let bound = if shingles > SKETCH {
        hashes.truncate(SKETCH);
        hashes.last().copied().unwrap_or(u32::MAX)
    } else {
        u32::MAX
    };
    (masked.len(), shingles, hashes, bound)
}

/// The prints of a report's configured sections that are long enough.
pub fn print_sections(
    report: &Report,
    source: &str,
    config: &PrintConfig,
    locate: &mut dyn FnMut(TextRange) -> Span,
) -> Vec<SectionPrint> {
    let mut out = Vec::new();
    for (section, wanted) in config.sections.iter().enumerate() {
        if wanted
            .eras
            .as_ref()
            .is_some_and(|eras| !eras.contains(&report.era))
        {
            continue;
        }
        let Some(body) = report.section(&wanted.keywords) else {
            continue;
        };
        // The same heading may answer two descriptions; print it once.
        if out
            .iter()
            .any(|print: &SectionPrint| Some(print.range) == heading_range(report, body))
        {
            continue;
        }
        let Some(range) = heading_range(report, body) else {
            continue;
        };
        let (chars, shingles, hashes, bound) = fingerprint(&report.prose(body));
        if chars < config.min_chars {
            continue;
        }
        out.push(SectionPrint {
            section,
            heading: range.slice(source).chars().take(20).collect(),
            range,
            span: locate(range),
            chars,
            shingles,
            hashes,
            bound,
        });
    }
    out
}

fn heading_range(report: &Report, body: &SectionBody) -> Option<TextRange> {
    report
        .headings
        .get(body.heading)
        .map(|heading| heading.range)
}

/// The share of this year's section (its shingles) found in last year's, estimated on the hashes
/// below both prints' bounds — a uniform sample of both sections, all of them when both are
/// short. `None` when fewer than [`MIN_SAMPLE`] of this year's hashes are below the bounds
/// (a section of fewer shingles is compared whole when both are short).
pub fn repeated_share(current: &SectionPrint, previous: &SectionPrint) -> Option<f64> {
    let bound = current.bound.min(previous.bound);
    let mut total = 0usize;
    let mut shared = 0usize;
    for h in current.hashes.iter().take_while(|h| **h <= bound) {
        total += 1;
        if previous.hashes.binary_search(h).is_ok() {
            shared += 1;
        }
    }
    #[allow(
        clippy::cast_precision_loss,
        reason = "counts of shingles, far below 2^52"
    )]
    let whole = bound == u32::MAX;
    (total > 0 && (whole || total >= MIN_SAMPLE)).then(|| shared as f64 / total as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn print(text: &str) -> SectionPrint {
        let (chars, shingles, hashes, bound) = fingerprint(&crate::text::fold(text));
        SectionPrint {
            section: 0,
            heading: String::new(),
            range: TextRange::default(),
            span: Span::default(),
            chars,
            shingles,
            hashes,
            bound,
        }
    }

    #[test]
    fn figures_and_years_are_masked() {
        assert_eq!(
            mask("2021年，收到申请1,260件；一是加强培训。"),
            "#年收到申请#件#是加强培训".chars().collect::<Vec<_>>()
        );
    }

    #[test]
    fn a_section_with_new_figures_is_still_a_copy() {
        let last = "2021年，本机关共收到政府信息公开申请62件，办结60件，结转2件。全年组织业务培训3次，\
                    修订完善政府信息公开工作制度，持续推进基层政务公开标准化规范化建设。";
        let this = last
            .replace("2021", "2022")
            .replace("62", "75")
            .replace("60件", "70件");
        let share = repeated_share(&print(&this), &print(last)).unwrap();
        assert!((share - 1.0).abs() < f64::EPSILON, "{share}");
        let other = "本年度围绕优化营商环境，重点公开了惠企政策和审批服务事项，新建政策问答库，\
                     开设专题专栏，开展线上访谈两次，回应社会关切，群众满意度有所提高。";
        let share = repeated_share(&print(other), &print(last)).unwrap();
        assert!(share < 0.2, "{share}");
    }

    #[test]
    fn long_sections_keep_a_sample() {
        let long: String = (0..2000)
            .map(|i| char::from_u32(0x4E00 + (i * 7919) % 20000).unwrap())
            .collect();
        let kept = print(&long);
        assert!(kept.shingles > SKETCH);
        assert_eq!(kept.hashes.len(), SKETCH);
        let share = repeated_share(&kept, &kept).unwrap();
        assert!((share - 1.0).abs() < f64::EPSILON);
        // Half of it copied into a new section of the same length.
        let half: String = long.chars().take(1000).collect::<String>()
            + &(0..1000)
                .map(|i| char::from_u32(0x8000 + (i * 104_729) % 10000).unwrap())
                .collect::<String>();
        let share = repeated_share(&print(&half), &kept).unwrap();
        assert!((0.35..0.65).contains(&share), "{share}");
    }
}
