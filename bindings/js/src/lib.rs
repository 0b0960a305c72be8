//! The stagegate engine for JavaScript: thin `wasm-bindgen` functions over the JSON contract
//! (`stagegate::contract::Contract`). JSON text goes in and out; the package's JavaScript turns
//! objects into JSON and back, and the contract's error objects (thrown here as their JSON text)
//! into `Error` subclasses.

use wasm_bindgen::prelude::wasm_bindgen;

/// The version of the JSON contract this build speaks.
#[wasm_bindgen(js_name = contractVersion)]
pub fn contract_version() -> u32 {
    stagegate::contract::VERSION
}

/// Every diagnostic of a playbook's YAML `text` (named `file` in them), as a JSON array.
#[wasm_bindgen]
pub fn check(text: &str, file: &str) -> String {
    stagegate::contract::Contract::check(text, file)
}

/// A playbook loaded once, answering JSON calls in one language.
#[wasm_bindgen]
pub struct Contract {
    inner: stagegate::contract::Contract,
}

#[wasm_bindgen]
impl Contract {
    /// Loads a playbook from its YAML `text`, named `file` in diagnostics, answering in `lang`
    /// (the playbook's default language without one). Throws a `load` or `request` error object
    /// (JSON text).
    pub fn load(text: &str, file: &str, lang: Option<String>) -> Result<Contract, String> {
        stagegate::contract::Contract::load(text, file, lang.as_deref())
            .map(|inner| Contract { inner })
    }

    /// A deal's evaluation at `at`, as `actor` (`{"id", "roles"}` as JSON) sees it when given.
    pub fn evaluate(&self, deal: &str, at: &str, actor: Option<String>) -> Result<String, String> {
        self.inner.evaluate(deal, at, actor.as_deref())
    }

    /// The language the answers are in.
    pub fn language(&self) -> String {
        self.inner.engine().language().to_owned()
    }

    /// A deal's scorecards at `at`.
    pub fn score(&self, deal: &str, at: &str) -> Result<String, String> {
        self.inner.score(deal, at)
    }

    /// A move: `{"deal", "to", "from"?, "force"?, "actor"?, "at"}` as JSON.
    pub fn apply(&self, request: &str) -> Result<String, String> {
        self.inner.apply(request)
    }

    /// An approval: `{"deal", "criterion", "actor", "at"}` as JSON.
    pub fn approve(&self, request: &str) -> Result<String, String> {
        self.inner.approve(request)
    }

    /// A new deal: `{"deal", "actor"?, "at"}` as JSON; the deal opened in a start stage.
    pub fn create(&self, request: &str) -> Result<String, String> {
        self.inner.create(request)
    }

    /// An import: `{"deal", "actor"?, "at"}` as JSON; every history entry marked imported.
    #[wasm_bindgen(js_name = importDeal)]
    pub fn import_deal(&self, request: &str) -> Result<String, String> {
        self.inner.import(request)
    }

    /// An edit: `{"deal", "changes", "actor"?, "at"}` as JSON; `{"deal", "voided"}`.
    pub fn edit(&self, request: &str) -> Result<String, String> {
        self.inner.edit(request)
    }

    /// An archiving: `{"deal", "reason", "actor"?, "at"}` as JSON; the archived deal.
    pub fn archive(&self, request: &str) -> Result<String, String> {
        self.inner.archive(request)
    }

    /// An unarchiving: `{"deal", "actor"?, "at"}` as JSON; the deal back on the board.
    pub fn unarchive(&self, request: &str) -> Result<String, String> {
        self.inner.unarchive(request)
    }

    /// A request for an approval: `{"deal", "criterion", "note"?, "actor"?, "at"}` as JSON;
    /// `{"deal", "effects"}`, the deal with the request and the notify to the approving role.
    #[wasm_bindgen(js_name = requestApproval)]
    pub fn request_approval(&self, request: &str) -> Result<String, String> {
        self.inner.request_approval(request)
    }

    /// Every deal (each its JSON text) evaluated at `at`: one JSON array, or with `lines` one
    /// JSON text per line (as `eval --format jsonl` prints them), each the deal's evaluation or
    /// its error object (a deal without an id named by its position in the whole batch, `first`
    /// being the 0-based index of the first of these). One thread: WebAssembly has no others
    /// here; the package spreads a batch over workers.
    #[wasm_bindgen(js_name = evaluateMany)]
    pub fn evaluate_many(
        &self,
        deals: Vec<String>,
        first: usize,
        at: &str,
        actor: Option<String>,
        lines: bool,
    ) -> Result<String, String> {
        self.inner
            .evaluate_part(&deals, first, at, actor.as_deref(), Some(1))
            .map(|answers| answered(&answers, lines))
    }

    /// [`Contract::evaluate_many`] with the deals in one UTF-8 text: a JSON array of them when
    /// `array`, else their texts each ended by U+001E (no JSON text holds that character raw).
    /// One copy of bytes crosses into WebAssembly instead of one string per deal, which took a
    /// tenth of a batch's time.
    #[wasm_bindgen(js_name = evaluateManyText)]
    pub fn evaluate_many_text(
        &self,
        deals: &[u8],
        array: bool,
        first: usize,
        at: &str,
        actor: Option<String>,
        lines: bool,
    ) -> Result<String, String> {
        self.inner
            .evaluate_part(
                &records(deals, array)?,
                first,
                at,
                actor.as_deref(),
                Some(1),
            )
            .map(|answers| answered(&answers, lines))
    }

    /// Every deal scored at `at`, as `evaluateMany`.
    #[wasm_bindgen(js_name = scoreMany)]
    pub fn score_many(
        &self,
        deals: Vec<String>,
        first: usize,
        at: &str,
        lines: bool,
    ) -> Result<String, String> {
        self.inner
            .score_part(&deals, first, at, Some(1))
            .map(|answers| answered(&answers, lines))
    }

    /// Every deal scored at `at`, as `evaluateManyText`.
    #[wasm_bindgen(js_name = scoreManyText)]
    pub fn score_many_text(
        &self,
        deals: &[u8],
        array: bool,
        first: usize,
        at: &str,
        lines: bool,
    ) -> Result<String, String> {
        self.inner
            .score_part(&records(deals, array)?, first, at, Some(1))
            .map(|answers| answered(&answers, lines))
    }

    /// The playbook's own test cases, run at `at` for cases without a time, as
    /// `test --format json` reports them.
    #[wasm_bindgen(js_name = runTests)]
    pub fn run_tests(&self, at: &str) -> Result<String, String> {
        self.inner.run_tests(at)
    }

    /// The playbook's diagram as Mermaid or DOT text (`format`), with a deal's stages marked
    /// when a deal and a time are given.
    pub fn diagram(
        &self,
        format: &str,
        deal: Option<String>,
        at: Option<String>,
    ) -> Result<String, String> {
        self.inner.diagram(format, deal.as_deref(), at.as_deref())
    }

    /// A deal pinned to `older` (an earlier version of this playbook) carried over to this one.
    pub fn migrate(
        &self,
        older: &Contract,
        deal: &str,
        at: &str,
        actor: Option<String>,
    ) -> Result<String, String> {
        self.inner.migrate(&older.inner, deal, at, actor.as_deref())
    }

    /// What changes for a deal between `older` (another version) and this playbook at `at`, as a
    /// line of `impact --format jsonl`.
    pub fn impact(&self, older: &Contract, deal: &str, at: &str) -> Result<String, String> {
        self.inner.impact(&older.inner, deal, at)
    }

    /// The metrics partial of some deals of a book (JSON Lines), the first at `first_index`
    /// (0-based) in the whole book.
    #[wasm_bindgen(js_name = metricsPartial)]
    pub fn metrics_partial(
        &self,
        deals: &str,
        at: &str,
        by: Option<String>,
        first_index: u64,
    ) -> Result<String, String> {
        self.inner
            .metrics_partial(deals, at, by.as_deref(), first_index)
    }

    /// Metrics partials (a JSON array) merged into one.
    #[wasm_bindgen(js_name = metricsMerge)]
    pub fn metrics_merge(&self, partials: &str) -> Result<String, String> {
        self.inner.metrics_merge(partials)
    }

    /// A partial holding the whole book finished into its metrics, as `metrics --format json`.
    #[wasm_bindgen(js_name = metricsFinish)]
    pub fn metrics_finish(&self, partial: &str) -> Result<String, String> {
        self.inner.metrics_finish(partial)
    }

    /// The playbook as a page shows it (stages, fields, activities, roles, approvals), in `lang`
    /// when given (a language the playbook has), else in this contract's language.
    pub fn outline(&self, lang: Option<String>) -> Result<String, String> {
        match lang {
            Some(lang) => self.inner.with_language(&lang).map(|other| other.outline()),
            None => Ok(self.inner.outline()),
        }
    }

    /// The playbook's `id@version`.
    pub fn pin(&self) -> String {
        self.inner.pin()
    }
}

/// The deals' texts in UTF-8: the elements of a JSON array when `array`, else records each
/// ended by U+001E.
fn records(bytes: &[u8], array: bool) -> Result<Vec<&str>, String> {
    let text = std::str::from_utf8(bytes).map_err(|e| {
        stagegate::contract::request_error(&format!("the deals are not UTF-8 text: {e}"))
    })?;
    if array {
        let elements: Vec<&serde_json::value::RawValue> =
            serde_json::from_str(text).map_err(|e| {
                stagegate::contract::request_error(&format!("deals: a JSON array of deals: {e}"))
            })?;
        return Ok(elements.into_iter().map(|element| element.get()).collect());
    }
    let mut found: Vec<&str> = text.split('\u{1e}').collect();
    // The last record's end leaves an empty piece after it.
    if found.last() == Some(&"") {
        found.pop();
    }
    Ok(found)
}

/// A batch's answers as one JSON array, or one per line.
fn answered(answers: &stagegate::contract::Answers, lines: bool) -> String {
    if !lines {
        return stagegate::contract::join(answers);
    }
    let texts: Vec<&str> = answers
        .iter()
        .map(|answer| match answer {
            Ok(text) | Err(text) => text.as_str(),
        })
        .collect();
    texts.join("\n")
}
