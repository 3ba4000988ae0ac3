//! Bounds on what pdf-extract is handed. pdf-extract decompresses every stream it draws without a
//! limit, keeps a copy of the graphics state for every `q`, follows `/Parent` and draws form
//! XObjects by recursion without a depth limit (a form that draws itself overflows the stack,
//! which aborts the process: it cannot be caught). So before it runs, the document is checked
//! and trimmed here, in bounded time and memory:
//!
//! - every stream that the loader itself decompresses (object and cross-reference streams) is
//!   inflated with a limit before loading ([`check_raw`]);
//! - after loading, images are emptied (pdf-extract draws no image, but it would decompress one
//!   given to `Do`), every other stream is decompressed once with a limit and stored
//!   decompressed, so pdf-extract never decompresses anything itself ([`prepare`]);
//! - the drawing graph (pages → content streams → the forms whose names they mention) is walked
//!   with a depth limit: a cycle or nesting deeper than [`MAX_FORM_DEPTH`] is refused, and so is a
//!   document whose content, with every form expanded where it is drawn, exceeds
//!   [`MAX_DRAWN_BYTES`], or a stream that nests `q` deeper than [`MAX_STATE_DEPTH`];
//! - the page tree and every page's `/Parent` chain are walked iteratively: a loop is "damaged",
//!   not "no text layer".
//!
//! The scan of a content stream for the names it draws is lexical and over-approximates: every
//! name anywhere in the stream (strings included) counts as drawn, so no `Do` can be hidden from
//! it. The `q` depth counts every `q` and only the `Q`s outside strings, so it never
//! under-estimates either.

use std::collections::{HashMap, HashSet};
use std::io::Read as _;

use pdf_extract::{Dictionary, Document, Object, ObjectId, Stream};

/// No stream may decompress to more than this.
pub(super) const MAX_STREAM_BYTES: u64 = 64 * 1024 * 1024;
/// Nor all streams together (images excluded).
pub(super) const MAX_DECOMPRESSED_BYTES: u64 = 256 * 1024 * 1024;
/// Content drawn, each form counted every time it is drawn: a real report draws a few megabytes.
pub(super) const MAX_DRAWN_BYTES: u64 = 64 * 1024 * 1024;
/// Forms drawn inside forms: real documents nest two or three.
pub(super) const MAX_FORM_DEPTH: usize = 32;
/// `q` (save graphics state) nested within one content stream: real ones nest a few levels.
pub(super) const MAX_STATE_DEPTH: usize = 1_000;
/// Operators in one content stream as pdf-extract parses it (a page's streams together, or a
/// form): lopdf keeps every parsed operator with its operands in memory, a few hundred bytes
/// each; a dense page has a few thousand.
pub(super) const MAX_STREAM_OPERATORS: u64 = 300_000;
/// Operators drawn in the whole document, forms expanded where they are drawn.
pub(super) const MAX_DRAWN_OPERATORS: u64 = 3_000_000;
/// `/Parent` links from a page up to the root of the page tree.
const MAX_TREE_DEPTH: usize = 256;

/// What is wrong, for the user (E010).
pub(super) type Refusal = String;

fn megabytes(bytes: u64) -> u64 {
    bytes / (1024 * 1024)
}

/// A byte sink that fails past a limit.
struct Capped {
    bytes: Vec<u8>,
    limit: u64,
    over: bool,
}

impl std::io::Write for Capped {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if (self.bytes.len() + buf.len()) as u64 > self.limit {
            self.over = true;
            return Err(std::io::Error::other("limit"));
        }
        self.bytes.extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Inflates as lopdf does (zlib; on failure before any output, raw deflate past the header),
/// failing with `None` past `limit` bytes.
fn inflate(input: &[u8], limit: u64) -> Option<Vec<u8>> {
    let mut output = Vec::new();
    let mut decoder = flate2::read::ZlibDecoder::new(input).take(limit + 1);
    let failed = decoder.read_to_end(&mut output).is_err();
    if failed && output.is_empty() && input.len() > 2 {
        let mut raw = flate2::read::DeflateDecoder::new(&input[2..]).take(limit + 1);
        let _ = raw.read_to_end(&mut output);
    }
    (output.len() as u64 <= limit).then_some(output)
}

/// LZW as lopdf decodes it, failing with `None` past `limit` bytes.
fn unlzw(input: &[u8], early_change: bool, limit: u64) -> Option<Vec<u8>> {
    use weezl::{BitOrder, decode::Decoder};
    let mut decoder = if early_change {
        Decoder::with_tiff_size_switch(BitOrder::Msb, 8)
    } else {
        Decoder::new(BitOrder::Msb, 8)
    };
    let mut sink = Capped {
        bytes: Vec::new(),
        limit,
        over: false,
    };
    // A decoding error keeps what was decoded, as lopdf does; only the limit fails.
    let _ = decoder.into_stream(&mut sink).decode_all(input).status;
    (!sink.over).then_some(sink.bytes)
}

/// The filters of a stream, in decoding order; `None` when the `/Filter` entry is malformed.
fn filters(stream: &Stream) -> Option<Vec<Vec<u8>>> {
    match stream.dict.get(b"Filter") {
        Err(_) => Some(Vec::new()),
        Ok(Object::Name(name)) => Some(vec![name.clone()]),
        Ok(Object::Array(items)) => items
            .iter()
            .map(|item| item.as_name().ok().map(<[u8]>::to_vec))
            .collect(),
        Ok(_) => None,
    }
}

/// What decoding a stream with a limit gave.
enum Decoded {
    /// The decoded bytes, exactly as lopdf would produce them.
    Bytes(Vec<u8>),
    /// Not decoded here (a predictor, a filter lopdf does not know, a malformed entry): lopdf's
    /// own decoding of it is bounded by the input, or fails and the raw bytes are used.
    Untouched,
    /// More than the limit.
    TooLarge,
}

/// Decodes a stream's filters with a limit.
fn decode(stream: &Stream, limit: u64) -> Decoded {
    let Some(filters) = filters(stream) else {
        return Decoded::Untouched;
    };
    if filters.is_empty() {
        return Decoded::Untouched;
    }
    let params = stream
        .dict
        .get(b"DecodeParms")
        .and_then(Object::as_dict)
        .ok();
    let predicted = params.is_some_and(|params| {
        params
            .get(b"Predictor")
            .and_then(Object::as_i64)
            .is_ok_and(|p| p > 1)
    });
    let mut data = stream.content.clone();
    for filter in &filters {
        let next = match filter.as_slice() {
            b"FlateDecode" => inflate(&data, limit),
            b"LZWDecode" => {
                let early = params
                    .and_then(|p| p.get(b"EarlyChange").and_then(Object::as_i64).ok())
                    .is_none_or(|v| v != 0);
                unlzw(&data, early, limit)
            }
            // ASCII85 shrinks its input (a `z` stands for four zero bytes: at most four times).
            b"ASCII85Decode" => {
                let mut single = Stream::new(Dictionary::new(), data);
                single.dict.set("Filter", "ASCII85Decode");
                match single.decompressed_content() {
                    Ok(bytes) => Some(bytes),
                    Err(_) => return Decoded::Untouched,
                }
            }
            _ => return Decoded::Untouched,
        };
        match next {
            Some(bytes) => data = bytes,
            None => return Decoded::TooLarge,
        }
    }
    if predicted {
        // The predictor only removes a byte per row; lopdf applies it to what was checked here.
        return Decoded::Untouched;
    }
    Decoded::Bytes(data)
}

/// Before loading: the object and cross-reference streams, which lopdf decompresses while it
/// loads, must inflate within the limit. Found in the raw bytes: `stream` keywords whose object
/// header mentions `/ObjStm` or `/XRef`.
pub(super) fn check_raw(bytes: &[u8]) -> Result<(), Refusal> {
    const KEYWORD: &[u8] = b"stream";
    let mut total = 0u64;
    let mut at = 0;
    while let Some(found) = find(&bytes[at..], KEYWORD) {
        let start = at + found;
        at = start + KEYWORD.len();
        // `endstream` also ends in `stream`.
        if start >= 3 && &bytes[start - 3..start] == b"end" {
            continue;
        }
        let mut data = at;
        if bytes.get(data) == Some(&b'\r') {
            data += 1;
        }
        if bytes.get(data) != Some(&b'\n') {
            continue;
        }
        data += 1;
        let header = &bytes[start.saturating_sub(1024)..start];
        let header = rfind(header, b"obj").map_or(header, |i| &header[i..]);
        let loaded = find(header, b"/ObjStm").is_some() || find(header, b"/XRef").is_some();
        if !loaded {
            continue;
        }
        let limit = MAX_STREAM_BYTES.min(MAX_DECOMPRESSED_BYTES - total);
        let size = if find(header, b"/LZWDecode").is_some() {
            unlzw(&bytes[data..], true, limit).map(|out| out.len())
        } else {
            inflate(&bytes[data..], limit).map(|out| out.len())
        };
        match size {
            Some(size) => total += size as u64,
            None => {
                return Err(format!(
                    "对象流解压后超过 {} MB，可能是压缩炸弹，已拒绝",
                    megabytes(limit)
                ));
            }
        }
    }
    Ok(())
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn rfind(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).rposition(|w| w == needle)
}

/// After loading: empties images, stores every other stream decompressed (within the limits),
/// and checks the page tree and the drawing graph. Returns the number of pages.
pub(super) fn prepare(document: &mut Document) -> Result<usize, Refusal> {
    let mut total = 0u64;
    for object in document.objects.values_mut() {
        let Ok(stream) = object.as_stream_mut() else {
            continue;
        };
        let image = stream
            .dict
            .get(b"Subtype")
            .and_then(Object::as_name)
            .is_ok_and(|name| name == b"Image");
        if image {
            stream.set_plain_content(Vec::new());
            continue;
        }
        let limit = MAX_STREAM_BYTES.min(MAX_DECOMPRESSED_BYTES - total);
        match decode(stream, limit) {
            Decoded::Bytes(bytes) => {
                total += bytes.len() as u64;
                stream.set_plain_content(bytes);
            }
            Decoded::Untouched => total += stream.content.len() as u64,
            Decoded::TooLarge => {
                return Err(format!(
                    "内容解压后超过 {} MB，可能是压缩炸弹，已拒绝",
                    megabytes(limit)
                ));
            }
        }
        if total > MAX_DECOMPRESSED_BYTES {
            return Err(format!(
                "全部内容解压后超过 {} MB，不像是一份年度报告",
                megabytes(MAX_DECOMPRESSED_BYTES)
            ));
        }
    }
    check_page_tree(document)?;
    let pages = document.get_pages();
    if pages.is_empty() {
        return Err("PDF 没有任何页面（页面树为空或损坏）".to_owned());
    }
    let mut walk = Walk {
        document,
        cost: HashMap::new(),
        drawing: HashSet::new(),
    };
    let mut drawn = Cost::default();
    for &page in pages.values() {
        let cost = walk.page(page)?;
        drawn.add(cost, 1)?;
    }
    Ok(pages.len())
}

fn drawn_too_much() -> Refusal {
    format!(
        "展开表单后要绘制的内容超过 {} MB，不像是一份年度报告",
        megabytes(MAX_DRAWN_BYTES)
    )
}

/// The page tree, from the catalog's `/Pages` down through `/Kids`, and each page's `/Parent`
/// chain (which pdf-extract climbs by recursion for inherited entries): no loops, bounded depth.
fn check_page_tree(document: &Document) -> Result<(), Refusal> {
    let loop_found = || "页面树中有循环引用（页面树损坏），无法读取页面".to_owned();
    let root = document
        .catalog()
        .ok()
        .and_then(|catalog| catalog.get(b"Pages").and_then(Object::as_reference).ok());
    let mut seen = HashSet::new();
    let mut stack: Vec<ObjectId> = root.into_iter().collect();
    while let Some(id) = stack.pop() {
        if !seen.insert(id) {
            return Err(loop_found());
        }
        if let Ok(kids) = document
            .get_dictionary(id)
            .and_then(|node| node.get(b"Kids"))
            .and_then(Object::as_array)
        {
            stack.extend(kids.iter().filter_map(|kid| kid.as_reference().ok()));
        }
    }
    for &page in document.get_pages().values() {
        let mut chain = HashSet::new();
        let mut at = Some(page);
        while let Some(id) = at {
            if !chain.insert(id) || chain.len() > MAX_TREE_DEPTH {
                return Err(loop_found());
            }
            at = document
                .get_dictionary(id)
                .ok()
                .and_then(|node| node.get(b"Parent").and_then(Object::as_reference).ok());
        }
    }
    Ok(())
}

/// The walk of the drawing graph.
struct Walk<'d> {
    document: &'d Document,
    /// Bytes and operators drawn by a stream with its resources (forms expanded), once computed.
    cost: HashMap<(ObjectId, usize), Cost>,
    /// The forms being drawn, outermost first: drawing one of them again is a cycle.
    drawing: HashSet<ObjectId>,
}

/// Bytes and operators drawn.
#[derive(Clone, Copy, Default)]
struct Cost {
    bytes: u64,
    operators: u64,
}

impl Cost {
    fn add(&mut self, other: Self, times: u64) -> Result<(), Refusal> {
        self.bytes = self.bytes.saturating_add(other.bytes.saturating_mul(times));
        self.operators = self
            .operators
            .saturating_add(other.operators.saturating_mul(times));
        if self.bytes > MAX_DRAWN_BYTES {
            return Err(drawn_too_much());
        }
        if self.operators > MAX_DRAWN_OPERATORS {
            return Err(format!(
                "展开表单后要绘制的操作超过 {MAX_DRAWN_OPERATORS} 个，不像是一份年度报告"
            ));
        }
        Ok(())
    }
}

fn too_many_operators() -> Refusal {
    format!("一页或一个表单的内容流中有超过 {MAX_STREAM_OPERATORS} 个操作，不像是一份年度报告")
}

/// The resources a stream draws with, and an identity for them (forms without their own
/// resources draw with their parent's, as pdf-extract does).
type Resources<'d> = Option<&'d Dictionary>;

fn identity(resources: Resources<'_>) -> usize {
    resources.map_or(0, |dict| std::ptr::from_ref(dict) as usize)
}

impl<'d> Walk<'d> {
    fn resolve(&self, object: &'d Object) -> Option<&'d Object> {
        match object {
            Object::Reference(id) => self.document.get_object(*id).ok(),
            other => Some(other),
        }
    }

    fn dict(&self, object: &'d Object) -> Option<&'d Dictionary> {
        self.resolve(object)?.as_dict().ok()
    }

    /// A page's content drawn, forms expanded.
    fn page(&mut self, page: ObjectId) -> Result<Cost, Refusal> {
        let document = self.document;
        let Ok(dict) = document.get_dictionary(page) else {
            return Ok(Cost::default());
        };
        let resources = inherited(document, dict, b"Resources").and_then(|r| self.dict(r));
        let mut drawn = Cost::default();
        let mut own = 0u64;
        for id in document.get_page_contents(page) {
            let Ok(stream) = document.get_object(id).and_then(Object::as_stream) else {
                continue;
            };
            let cost = self.stream(id, stream, resources, 0)?;
            // pdf-extract parses a page's streams as one.
            own = own.saturating_add(scan(&stream.content).operators);
            if own > MAX_STREAM_OPERATORS {
                return Err(too_many_operators());
            }
            drawn.add(cost, 1)?;
        }
        Ok(drawn)
    }

    /// What a stream draws, the forms it names expanded (memoised per stream and resources).
    fn stream(
        &mut self,
        id: ObjectId,
        stream: &'d Stream,
        resources: Resources<'d>,
        depth: usize,
    ) -> Result<Cost, Refusal> {
        if depth > MAX_FORM_DEPTH {
            return Err(format!(
                "表单（Form XObject）嵌套超过 {MAX_FORM_DEPTH} 层，不像是正常的 PDF"
            ));
        }
        let key = (id, identity(resources));
        if let Some(&cost) = self.cost.get(&key) {
            return Ok(cost);
        }
        let scan = scan(&stream.content);
        if scan.state_depth > MAX_STATE_DEPTH {
            return Err(format!(
                "图形状态（q）嵌套超过 {MAX_STATE_DEPTH} 层，不像是正常的 PDF"
            ));
        }
        if scan.operators > MAX_STREAM_OPERATORS {
            return Err(too_many_operators());
        }
        let mut cost = Cost {
            bytes: stream.content.len() as u64,
            operators: scan.operators,
        };
        let xobjects = resources
            .and_then(|r| r.get(b"XObject").ok())
            .and_then(|x| self.dict(x));
        if let Some(xobjects) = xobjects {
            for (name, uses) in &scan.names {
                let Some(Object::Reference(form_id)) = xobjects.get(name).ok() else {
                    continue;
                };
                let Ok(form) = self
                    .document
                    .get_object(*form_id)
                    .and_then(Object::as_stream)
                else {
                    continue;
                };
                if !self.drawing.insert(*form_id) {
                    return Err(
                        "表单（Form XObject）直接或间接绘制自身（循环引用），无法读取".to_owned(),
                    );
                }
                let own = form.dict.get(b"Resources").ok().and_then(|r| self.dict(r));
                let drawn = self.stream(*form_id, form, own.or(resources), depth + 1);
                self.drawing.remove(form_id);
                cost.add(drawn?, *uses)?;
            }
        }
        self.cost.insert(key, cost);
        Ok(cost)
    }
}

/// An entry of a page or one of its ancestors (the chain was checked for loops).
fn inherited<'d>(document: &'d Document, dict: &'d Dictionary, key: &[u8]) -> Option<&'d Object> {
    let mut at = dict;
    for _ in 0..=MAX_TREE_DEPTH {
        if let Ok(value) = at.get(key) {
            return Some(value);
        }
        let parent = at.get(b"Parent").and_then(Object::as_reference).ok()?;
        at = document.get_dictionary(parent).ok()?;
    }
    None
}

/// What a lexical scan of a content stream found.
struct Scan {
    /// Every name token and how often it occurs (strings and comments included).
    names: HashMap<Vec<u8>, u64>,
    /// The deepest `q` nesting: every `q` counts, only `Q`s outside strings undo one.
    state_depth: usize,
    /// Tokens that may be operators (words, strings included).
    operators: u64,
}

fn is_delimiter(b: u8) -> bool {
    matches!(
        b,
        b'(' | b')' | b'<' | b'>' | b'[' | b']' | b'{' | b'}' | b'/' | b'%'
    )
}

fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | b'\n' | b'\x0c' | b'\0')
}

fn hex(b: u8) -> Option<u8> {
    (b as char).to_digit(16).and_then(|d| u8::try_from(d).ok())
}

/// One pass over a content stream, in time linear in its length.
fn scan(content: &[u8]) -> Scan {
    let mut names: HashMap<Vec<u8>, u64> = HashMap::new();
    let (mut depth, mut deepest, mut operators) = (0usize, 0usize, 0u64);
    let mut string_depth = 0usize;
    let mut i = 0;
    while i < content.len() {
        let b = content[i];
        match b {
            b'\\' if string_depth > 0 => i += 2,
            b'(' => {
                string_depth += 1;
                i += 1;
            }
            b')' => {
                string_depth = string_depth.saturating_sub(1);
                i += 1;
            }
            b'/' => {
                // A name: its bytes up to a delimiter or space, `#xx` decoded as lopdf does.
                let mut name = Vec::new();
                i += 1;
                while i < content.len() && !is_delimiter(content[i]) && !is_space(content[i]) {
                    if content[i] == b'#'
                        && let (Some(h), Some(l)) = (
                            content.get(i + 1).copied().and_then(hex),
                            content.get(i + 2).copied().and_then(hex),
                        )
                    {
                        name.push(h << 4 | l);
                        i += 3;
                        continue;
                    }
                    name.push(content[i]);
                    i += 1;
                }
                *names.entry(name).or_default() += 1;
            }
            _ if is_space(b) || is_delimiter(b) => i += 1,
            _ => {
                let start = i;
                while i < content.len() && !is_delimiter(content[i]) && !is_space(content[i]) {
                    i += 1;
                }
                let word = &content[start..i];
                if word
                    .first()
                    .is_some_and(|b| b.is_ascii_alphabetic() || *b == b'\'' || *b == b'"')
                {
                    operators += 1;
                }
                match word {
                    b"q" => {
                        depth += 1;
                        deepest = deepest.max(depth);
                    }
                    b"Q" if string_depth == 0 => depth = depth.saturating_sub(1),
                    _ => {}
                }
            }
        }
    }
    Scan {
        names,
        state_depth: deepest,
        operators,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_state_depth_are_over_approximated() {
        let scan = scan(b"q q Q /X Do (/Y Do Q Q) /#5A Do % /W\nq");
        assert_eq!(scan.state_depth, 2);
        for name in [&b"X"[..], b"Y", b"Z", b"W"] {
            assert!(scan.names.contains_key(name), "{name:?}");
        }
    }

    #[test]
    fn bombs_stop_at_the_limit() {
        use std::io::Write as _;
        let mut encoder = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
        encoder.write_all(&vec![b' '; 1 << 20]).unwrap();
        let compressed = encoder.finish().unwrap();
        assert!(inflate(&compressed, 1000).is_none());
        assert_eq!(
            inflate(&compressed, 1 << 20).map(|out| out.len()),
            Some(1 << 20)
        );
    }
}
