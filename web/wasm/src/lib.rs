//! The xxgk-lint engine as the web page calls it (through `wasm-bindgen`): check a report, list
//! the rules, explain one. Everything is decided by [`xxgk_lint::page`]; this crate only passes
//! bytes in and JSON text out.

use std::cell::OnceCell;

use wasm_bindgen::prelude::*;
use xxgk_lint::page::{Page, PageFile};

thread_local! {
    /// The engine, built on first use (parsing the built-in rules takes a few milliseconds).
    static PAGE: OnceCell<Result<Page, String>> = const { OnceCell::new() };
}

#[wasm_bindgen]
extern "C" {
    /// Set by the page's worker: receives the panic message before the instance traps, so that
    /// the page can say what went wrong (a panic cannot be caught on this target: it aborts).
    #[wasm_bindgen(js_name = xxgkPanic)]
    fn report_panic(message: &str);
}

/// Runs `work` with the engine, or returns the error that stopped the rules from loading.
fn with_page<T>(work: impl FnOnce(&Page) -> T) -> Result<T, JsError> {
    PAGE.with(|cell| match cell.get_or_init(Page::new) {
        Ok(page) => Ok(work(page)),
        Err(error) => Err(JsError::new(&format!("内置规则无法加载：{error}"))),
    })
}

/// Sends panic messages to the page (see [`report_panic`]). Called once by the worker.
#[wasm_bindgen]
pub fn start() {
    std::panic::set_hook(Box::new(|info| report_panic(&info.to_string())));
}

/// The library's version.
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_owned()
}

/// Checks a report (and compares it with last year's, when given): the JSON of a
/// [`xxgk_lint::page::PageView`].
#[wasm_bindgen]
pub fn check(
    name: &str,
    bytes: &[u8],
    previous_name: Option<String>,
    previous_bytes: Option<Vec<u8>>,
) -> Result<String, JsError> {
    with_page(|page| {
        let previous = match (&previous_name, &previous_bytes) {
            (Some(name), Some(bytes)) => Some(PageFile { name, bytes }),
            _ => None,
        };
        let view = page.check(PageFile { name, bytes }, previous);
        serde_json::to_string(&view).map_err(|error| JsError::new(&error.to_string()))
    })?
}

/// Every rule and engine code (JSON list of code, name, severity, summary).
#[wasm_bindgen]
pub fn rules() -> Result<String, JsError> {
    with_page(|page| {
        serde_json::to_string(&page.rules()).map_err(|error| JsError::new(&error.to_string()))
    })?
}

/// A rule's documentation, as `xxgk-lint explain` prints it; `None` for an unknown code.
#[wasm_bindgen]
pub fn explain(code: &str) -> Result<Option<String>, JsError> {
    with_page(|page| page.explain(code))
}
