//! The layouts of tables 二, 三 and 四 as data: one TOML file per table and edition
//! (`layouts/*.toml`, embedded in the binary; a `--rules` folder may add editions or replace
//! built-in ones). A layout lists the table's columns, its rows — each with the short key rules
//! use (`一`, `（三）1`, `规章`), the label shown in messages and the words that identify it in a
//! report — and the group headings between rows (`（三）不予公开`). A label variant seen in a real
//! report, or a new edition of the format, is a data edit.
//!
//! Layouts live for the whole run: they are few and small, and rules resolve their row and column
//! keys against them when they load. Each distinct file is parsed once and kept (interned), so
//! loading the same folder again costs nothing more.

use std::collections::HashMap;
use std::sync::{LazyLock, Mutex};

use aho_corasick::AhoCorasick;
use serde::{Deserialize, Serialize};
use toml::Spanned;

use super::era::Era;
use super::ordinal::{Ordinal, split_ordinal};
use crate::datafile::{DataFile, LoadError};
use crate::text::fold;

/// Which statistical table.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum TableId {
    /// 表二 主动公开政府信息情况.
    #[serde(rename = "表二")]
    T2,
    /// 表三 收到和处理政府信息公开申请情况.
    #[serde(rename = "表三")]
    T3,
    /// 表四 政府信息公开行政复议、行政诉讼情况.
    #[serde(rename = "表四")]
    T4,
}

impl TableId {
    /// Every table, in order.
    pub const ALL: [Self; 3] = [Self::T2, Self::T3, Self::T4];

    /// The name used in messages and data files (`表三`).
    pub fn name(self) -> &'static str {
        match self {
            Self::T2 => "表二",
            Self::T3 => "表三",
            Self::T4 => "表四",
        }
    }

    /// Parses a data file's table name (`表三`, or `t3`).
    pub fn parse(name: &str) -> Option<Self> {
        match name.trim() {
            "表二" | "t2" | "T2" => Some(Self::T2),
            "表三" | "t3" | "T3" => Some(Self::T3),
            "表四" | "t4" | "T4" => Some(Self::T4),
            _ => None,
        }
    }
}

/// What values a column admits.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Domain {
    /// A whole number, zero or more (counts of applications, documents, cases).
    #[default]
    Count,
    /// A whole number that may be negative (本年增/减).
    Signed,
    /// A decimal amount, zero or more (本年收费金额, 采购总金额).
    Amount,
}

/// A column of a layout.
#[derive(Debug)]
pub struct ColumnSpec {
    /// Its name, also the key rules use (`总计`).
    pub key: String,
    /// Header texts that name it (normalised; the key included).
    pub words: Vec<String>,
    /// What its cells admit.
    pub domain: Domain,
    /// Present only when a header cell names it (a local `小计` column).
    pub optional: bool,
    /// The sum of the columns before it, back to the previous total: what lets figures that ran
    /// together be split into cells.
    pub total: bool,
    /// Only this edition has the column: its header in a table selects the edition.
    pub marker: bool,
}

/// A label row that opens a group of rows and holds no figures (`（三）不予公开`).
#[derive(Debug)]
pub struct GroupSpec {
    /// The group's key; rows whose keys start with it belong to it (`（三）1`).
    pub key: String,
    /// Any of these in a label names the group (normalised).
    pub words: Vec<String>,
    /// The label's ordinal must be this one, when it has one.
    pub ordinal: Option<Ordinal>,
}

/// A row of a layout.
#[derive(Debug)]
pub struct RowSpec {
    /// The key rules use (`（三）1`).
    pub key: String,
    /// The label shown in messages (`（三）1.属于国家秘密`).
    pub label: String,
    /// The row's label in the words of the format document, where `label` shortens it
    /// (`1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请`); else `label`.
    pub official: String,
    /// Any of these in a label identifies the row (normalised).
    pub words: Vec<String>,
    /// The label's ordinal must be this one, when it has one.
    pub ordinal: Option<Ordinal>,
    /// The row is only recognised under this group (`3.其他` under `（六）`).
    pub group: Option<String>,
    /// The columns of this row (indices into the layout's columns), when not all of them: the
    /// sub-tables of 表二.
    pub columns: Option<Vec<usize>>,
    /// Only this edition has the row: finding it selects the edition.
    pub marker: bool,
    /// The official label starts with an ordinal (`（三）1.…`). In text where rows ran together,
    /// a numbered row's label starts at its number; an unnumbered one (`规章`) is the words just
    /// before its figures.
    pub numbered: bool,
}

/// The layout of one edition of one table.
#[derive(Debug)]
pub struct Layout {
    /// Which table.
    pub table: TableId,
    /// The edition's name (`2021`).
    pub edition: String,
    /// The format era whose reports use it.
    pub era: Option<Era>,
    /// The report years it is meant for: from, and (when set) to. When a table does not show
    /// its edition, the one meant for the report year is used.
    pub years: (i32, Option<i32>),
    /// A table whose labels hold a word of every group is this table (normalised words).
    pub identify: Vec<Vec<String>>,
    /// The number of the section the table belongs to (三 → 3).
    pub section: Option<u32>,
    /// Evidence of the era, when a marker row of this edition is found.
    pub era_evidence: Option<String>,
    /// The rows are written one after another in a single line, without labels (表四).
    pub one_line: bool,
    /// Columns, in order.
    pub columns: Vec<ColumnSpec>,
    /// Group headings.
    pub groups: Vec<GroupSpec>,
    /// Rows, in order.
    pub rows: Vec<RowSpec>,
    /// The file it came from.
    pub source: String,
    /// The rows' words, for finding those a label holds.
    pub row_words: RowWords,
}

/// Every word of every row of a layout, found in one pass over a label (a label is matched
/// against every row of every edition tried; searching word by word was a fifth of building the
/// model).
#[derive(Debug)]
pub struct RowWords {
    /// `None` when the automaton could not be built (never for layouts of a sane size): then
    /// each word is searched for in turn.
    automaton: Option<AhoCorasick>,
    /// The row and word index of each pattern, in row then word order.
    owners: Vec<(usize, usize)>,
    words: Vec<String>,
}

impl RowWords {
    fn new(rows: &[RowSpec]) -> Self {
        let mut owners = Vec::new();
        let mut words = Vec::new();
        for (row, spec) in rows.iter().enumerate() {
            for (index, word) in spec.words.iter().enumerate() {
                owners.push((row, index));
                words.push(word.clone());
            }
        }
        Self {
            automaton: AhoCorasick::new(&words).ok(),
            owners,
            words,
        }
    }

    /// The row and word index of each row word `text` holds, once each, in row then word order.
    pub fn in_text(&self, text: &str) -> Vec<(usize, usize)> {
        let mut found: Vec<usize> = match &self.automaton {
            Some(automaton) => automaton
                .find_overlapping_iter(text)
                .map(|found| found.pattern().as_usize())
                .collect(),
            None => (0..self.words.len())
                .filter(|&at| text.contains(self.words[at].as_str()))
                .collect(),
        };
        found.sort_unstable();
        found.dedup();
        found.into_iter().map(|at| self.owners[at]).collect()
    }
}

impl Layout {
    /// Whether a table whose labels read `folded` (normalised, concatenated) is this table.
    pub fn identifies(&self, folded: &str) -> bool {
        !self.identify.is_empty()
            && self
                .identify
                .iter()
                .all(|group| group.iter().any(|word| folded.contains(word.as_str())))
    }

    /// Whether the layout is meant for reports of this year.
    pub fn covers(&self, year: i32) -> bool {
        year >= self.years.0 && self.years.1.is_none_or(|to| year <= to)
    }

    /// The row with this key.
    pub fn row(&self, key: &str) -> Option<&RowSpec> {
        self.rows.iter().find(|row| row.key == key)
    }

    /// The group a row belongs to: its own `group`, or the group whose key starts its key.
    pub fn group_of<'a>(&'a self, row: &'a RowSpec) -> Option<&'a str> {
        row.group.as_deref().or_else(|| {
            self.groups
                .iter()
                .map(|group| group.key.as_str())
                .find(|group| row.key.starts_with(group) && row.key.len() > group.len())
        })
    }

    /// The columns of a row, given which optional columns the table has.
    pub fn row_columns(
        &'static self,
        row: &RowSpec,
        present: &[bool],
    ) -> Vec<(&'static str, Domain)> {
        let indices: Vec<usize> = match &row.columns {
            Some(indices) => indices.clone(),
            None => (0..self.columns.len()).collect(),
        };
        indices
            .into_iter()
            .filter(|&i| !self.columns[i].optional || present.get(i).copied().unwrap_or(false))
            .map(|i| (self.columns[i].key.as_str(), self.columns[i].domain))
            .collect()
    }

    /// The column a header text names (normalised, annotation removed), if any.
    pub fn column_named(&self, folded: &str) -> Option<usize> {
        let name = strip_annotation(folded);
        self.columns.iter().position(|column| {
            column
                .words
                .iter()
                .any(|word| word == folded || word == name)
        })
    }
}

/// Strips a trailing parenthesised annotation: `规章(设区的市…应提供相关数据)` → `规章` (also one
/// whose closing bracket was lost). Brackets inside a label are kept: `收费金额(单位:万元)行政…`.
pub fn strip_annotation(folded: &str) -> &str {
    let cut = if folded.ends_with(')') {
        // The bracket that opens the last group.
        let mut depth = 0usize;
        folded.char_indices().rev().find_map(|(at, c)| {
            match c {
                ')' => depth += 1,
                '(' => {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        return Some(at);
                    }
                }
                _ => {}
            }
            None
        })
    } else {
        folded.rfind('(').filter(|&at| !folded[at..].contains(')'))
    };
    match cut {
        Some(at) if at > 0 => &folded[..at],
        _ => folded,
    }
}

/// The layouts in force: the built-in ones, with those of `--rules` folders added or replacing
/// them (same table and edition).
#[derive(Clone, Debug, Default)]
pub struct LayoutSet {
    layouts: Vec<&'static Layout>,
}

impl LayoutSet {
    /// The built-in layouts.
    pub fn builtin() -> Result<Self, LoadError> {
        let mut set = Self::default();
        for (path, text) in crate::builtin::LAYOUT_FILES {
            set.add_file(path, text)?;
        }
        Ok(set)
    }

    /// Adds a layout file; one of the same table and edition is replaced.
    pub fn add_file(&mut self, path: &str, text: &str) -> Result<(), LoadError> {
        let layout = intern(path, text)?;
        match self
            .layouts
            .iter_mut()
            .find(|existing| existing.table == layout.table && existing.edition == layout.edition)
        {
            Some(existing) => *existing = layout,
            None => self.layouts.push(layout),
        }
        Ok(())
    }

    /// Every layout.
    pub fn all(&self) -> impl Iterator<Item = &'static Layout> + '_ {
        self.layouts.iter().copied()
    }

    /// The layouts of a table, in the order they were added.
    pub fn for_table(&self, table: TableId) -> impl Iterator<Item = &'static Layout> + '_ {
        self.all().filter(move |layout| layout.table == table)
    }

    /// The row keys a table's layouts know, in order, each once.
    pub fn row_keys(&self, table: TableId) -> Vec<&'static str> {
        let mut keys: Vec<&'static str> = Vec::new();
        for layout in self.for_table(table) {
            for row in &layout.rows {
                if !keys.contains(&row.key.as_str()) {
                    keys.push(&row.key);
                }
            }
        }
        keys
    }

    /// The column names a table's layouts know, in order, each once.
    pub fn column_keys(&self, table: TableId) -> Vec<&'static str> {
        let mut keys: Vec<&'static str> = Vec::new();
        for layout in self.for_table(table) {
            for column in &layout.columns {
                if !keys.contains(&column.key.as_str()) {
                    keys.push(&column.key);
                }
            }
        }
        keys
    }

    /// The editions of a table.
    pub fn editions(&self, table: TableId) -> Vec<&'static str> {
        self.for_table(table)
            .map(|layout| layout.edition.as_str())
            .collect()
    }

    /// The number of the section a table belongs to.
    pub fn section(&self, table: TableId) -> Option<u32> {
        self.for_table(table).find_map(|layout| layout.section)
    }
}

/// Each distinct layout file, parsed once.
static INTERNED: LazyLock<Mutex<HashMap<(String, String), &'static Layout>>> =
    LazyLock::new(|| Mutex::new(HashMap::new()));

fn intern(path: &str, text: &str) -> Result<&'static Layout, LoadError> {
    let key = (path.to_owned(), text.to_owned());
    if let Ok(interned) = INTERNED.lock()
        && let Some(layout) = interned.get(&key)
    {
        return Ok(layout);
    }
    let layout: &'static Layout = Box::leak(Box::new(parse(path, text)?));
    if let Ok(mut interned) = INTERNED.lock() {
        interned.insert(key, layout);
    }
    Ok(layout)
}

/// Whether a TOML file is a layout (it has a `[layout]` table) rather than a rule.
pub fn is_layout_file(text: &str) -> bool {
    #[derive(Deserialize)]
    struct Probe {
        layout: Option<toml::Table>,
    }
    toml::from_str::<Probe>(text).is_ok_and(|probe| probe.layout.is_some())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LayoutFile {
    layout: HeaderFile,
    column: Vec<ColumnFile>,
    #[serde(default)]
    group: Vec<GroupFile>,
    row: Vec<RowFile>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct HeaderFile {
    table: Spanned<String>,
    edition: Spanned<String>,
    #[serde(default)]
    era: Option<Spanned<String>>,
    years: Spanned<Vec<i32>>,
    identify: Spanned<Vec<Vec<String>>>,
    #[serde(default)]
    section: Option<u32>,
    #[serde(default)]
    era_evidence: Option<String>,
    #[serde(default)]
    one_line: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct ColumnFile {
    key: Spanned<String>,
    #[serde(default)]
    words: Vec<String>,
    #[serde(default)]
    domain: Domain,
    #[serde(default)]
    optional: bool,
    #[serde(default)]
    total: bool,
    #[serde(default)]
    marker: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct GroupFile {
    key: Spanned<String>,
    words: Vec<String>,
    #[serde(default)]
    ordinal: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RowFile {
    key: Spanned<String>,
    #[serde(default)]
    label: Option<String>,
    #[serde(default)]
    official: Option<String>,
    #[serde(default)]
    words: Vec<String>,
    #[serde(default)]
    ordinal: Option<Spanned<String>>,
    #[serde(default)]
    group: Option<Spanned<String>>,
    #[serde(default)]
    columns: Option<Vec<Spanned<String>>>,
    #[serde(default)]
    marker: bool,
}

/// Normalised, non-empty words.
fn folded_words(words: &[String]) -> Vec<String> {
    words
        .iter()
        .map(|word| fold(word))
        .filter(|word| !word.is_empty())
        .collect()
}

fn parse_ordinal(file: &DataFile<'_>, written: &Spanned<String>) -> Result<Ordinal, LoadError> {
    match split_ordinal(&fold(written.get_ref())) {
        (Some(ordinal), "") => Ok(ordinal),
        _ => Err(file.error(
            written.span(),
            format!(
                "序号「{}」无效（应写作「一、」「（三）」或「3.」）",
                written.get_ref()
            ),
        )),
    }
}

fn parse(path: &str, text: &str) -> Result<Layout, LoadError> {
    let file = DataFile { path, text };
    let raw: LayoutFile = file.parse()?;
    let header = raw.layout;
    let table = TableId::parse(header.table.get_ref()).ok_or_else(|| {
        file.error(
            header.table.span(),
            format!(
                "未知的表「{}」（可用：表二、表三、表四）",
                header.table.get_ref()
            ),
        )
    })?;
    let edition = header.edition.get_ref().trim().to_owned();
    if edition.is_empty() {
        return Err(file.error(header.edition.span(), "edition 不能为空"));
    }
    let era = header.era.as_ref().map(|era| file.era(era)).transpose()?;
    let years = match header.years.get_ref().as_slice() {
        [from] => (*from, None),
        [from, to] if from <= to => (*from, Some(*to)),
        _ => {
            return Err(file.error(
                header.years.span(),
                "years 应写作 [起始年度] 或 [起始年度, 终止年度]",
            ));
        }
    };
    let identify: Vec<Vec<String>> = header
        .identify
        .get_ref()
        .iter()
        .map(|group| folded_words(group))
        .collect();
    if identify.is_empty() || identify.iter().any(Vec::is_empty) {
        return Err(file.error(
            header.identify.span(),
            "identify 应为非空的词组列表，如 [[\"本年新收\", \"勾稽\"]]",
        ));
    }
    if header.era_evidence.is_some() && era.is_none() {
        return Err(file.error(0..0, "写了 era-evidence 就要写 era"));
    }

    let mut columns: Vec<ColumnSpec> = Vec::with_capacity(raw.column.len());
    for column in raw.column {
        let key = column.key.get_ref().trim().to_owned();
        if key.is_empty() || columns.iter().any(|c| c.key == key) {
            return Err(file.error(column.key.span(), format!("列名「{key}」为空或重复")));
        }
        let mut words = folded_words(std::slice::from_ref(&key));
        words.extend(folded_words(&column.words));
        columns.push(ColumnSpec {
            key,
            words,
            domain: column.domain,
            optional: column.optional,
            total: column.total,
            marker: column.marker,
        });
    }
    if columns.is_empty() {
        return Err(file.error(0..0, "版式至少要有一列（[[column]]）"));
    }

    let mut groups: Vec<GroupSpec> = Vec::with_capacity(raw.group.len());
    for group in raw.group {
        let key = group.key.get_ref().trim().to_owned();
        if key.is_empty() || groups.iter().any(|g| g.key == key) {
            return Err(file.error(group.key.span(), format!("分组「{key}」为空或重复")));
        }
        let words = folded_words(&group.words);
        if words.is_empty() {
            return Err(file.error(group.key.span(), format!("分组「{key}」没有识别词 words")));
        }
        let ordinal = group
            .ordinal
            .as_ref()
            .map(|ordinal| parse_ordinal(&file, ordinal))
            .transpose()?;
        groups.push(GroupSpec {
            key,
            words,
            ordinal,
        });
    }

    let mut rows: Vec<RowSpec> = Vec::with_capacity(raw.row.len());
    for row in raw.row {
        let key = row.key.get_ref().trim().to_owned();
        if key.is_empty() || rows.iter().any(|r| r.key == key) {
            return Err(file.error(row.key.span(), format!("行「{key}」为空或重复")));
        }
        let words = if row.words.is_empty() {
            folded_words(std::slice::from_ref(&key))
        } else {
            folded_words(&row.words)
        };
        if words.is_empty() {
            return Err(file.error(row.key.span(), format!("行「{key}」没有识别词 words")));
        }
        let ordinal = row
            .ordinal
            .as_ref()
            .map(|ordinal| parse_ordinal(&file, ordinal))
            .transpose()?;
        let group = match &row.group {
            Some(group) if groups.iter().any(|g| g.key == *group.get_ref()) => {
                Some(group.get_ref().clone())
            }
            Some(group) => {
                return Err(file.error(
                    group.span(),
                    format!("分组「{}」没有在 [[group]] 中定义", group.get_ref()),
                ));
            }
            None => None,
        };
        let row_columns = row
            .columns
            .as_ref()
            .map(|names| {
                names
                    .iter()
                    .map(|name| {
                        columns
                            .iter()
                            .position(|column| column.key == *name.get_ref())
                            .ok_or_else(|| {
                                file.error(
                                    name.span(),
                                    format!("列「{}」没有在 [[column]] 中定义", name.get_ref()),
                                )
                            })
                    })
                    .collect::<Result<Vec<_>, _>>()
            })
            .transpose()?;
        let label = row.label.unwrap_or_else(|| key.clone());
        rows.push(RowSpec {
            numbered: split_ordinal(&fold(&label)).0.is_some(),
            official: row.official.unwrap_or_else(|| label.clone()),
            label,
            key,
            words,
            ordinal,
            group,
            columns: row_columns,
            marker: row.marker,
        });
    }
    if rows.is_empty() {
        return Err(file.error(0..0, "版式至少要有一行（[[row]]）"));
    }
    Ok(Layout {
        row_words: RowWords::new(&rows),
        table,
        edition,
        era,
        years,
        identify,
        section: header.section,
        era_evidence: header.era_evidence,
        one_line: header.one_line,
        columns,
        groups,
        rows,
        source: path.to_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn built_in_editions_have_their_row_counts() {
        let set = LayoutSet::builtin().expect("built-in layouts load");
        let rows = |table, edition: &str| {
            set.for_table(table)
                .find(|layout| layout.edition == edition)
                .map(|layout| layout.rows.len())
        };
        assert_eq!(rows(TableId::T3, "2019"), Some(23));
        assert_eq!(rows(TableId::T3, "2021"), Some(25));
        assert_eq!(rows(TableId::T2, "2019"), Some(8));
        assert_eq!(rows(TableId::T2, "2021"), Some(6));
        assert_eq!(rows(TableId::T4, "2019"), Some(3));
    }

    #[test]
    fn only_a_trailing_annotation_is_stripped() {
        assert_eq!(strip_annotation("规章(设区的市应提供相关数据)"), "规章");
        assert_eq!(strip_annotation("规章(设区的市应提供"), "规章");
        assert_eq!(
            strip_annotation("收费金额(单位:万元)行政事业性收费"),
            "收费金额(单位:万元)行政事业性收费"
        );
        assert_eq!(strip_annotation("(二)部分公开"), "(二)部分公开");
        assert_eq!(strip_annotation("部分公开(区分(a)处理)"), "部分公开");
    }

    #[test]
    fn mistakes_in_a_layout_file_are_placed() {
        let bad = "[layout]\ntable = \"表五\"\nedition = \"x\"\nyears = [2021]\nidentify = [[\"a\"]]\n[[column]]\nkey = \"a\"\n[[row]]\nkey = \"b\"\n";
        let error = parse("bad.toml", bad).expect_err("表五 is no table");
        assert_eq!((error.line, error.column), (2, 9), "{error}");
        let bad = bad
            .replace("表五", "表三")
            .replace("key = \"b\"", "key = \"b\"\ncolumns = [\"c\"]");
        let error = parse("bad.toml", &bad).expect_err("column c is not defined");
        assert!(error.message.contains("「c」"), "{error}");
    }
}
