//! The native half of the `stagegate` Python package: `stagegate::contract::Contract` as a Python
//! class, JSON text in and out, every engine call run without the GIL. Batches also take deals
//! as dicts and answer dicts, both converted here (`deal_text`, `objects`): at a hundred thousand
//! deals, `json.dumps` and `json.loads` in Python cost several times the scoring itself. The
//! Python half (`python/stagegate/__init__.py`) turns dates and error objects into Python.

mod deal_text;
mod objects;

use pyo3::create_exception;
use pyo3::exceptions::PyException;
use pyo3::prelude::*;
use pyo3::types::PyString;
use stagegate::contract::{self, Contract as Inner};

create_exception!(
    _stagegate,
    ContractError,
    PyException,
    "A call refused: its only argument is the contract's error object as JSON text."
);

/// An answer of the contract as Python: its text, or a `ContractError` holding the error object.
fn answer(result: Result<String, String>) -> PyResult<String> {
    result.map_err(ContractError::new_err)
}

/// A batch's answers as Python: one JSON text per deal (its result or its error object), or,
/// with `objects`, each built as a Python dict; a `ContractError` for a request no deal could be
/// answered.
fn batch(
    py: Python<'_>,
    result: Result<contract::Answers, String>,
    objects: bool,
) -> PyResult<Vec<PyObject>> {
    let texts: Vec<String> = result
        .map_err(ContractError::new_err)?
        .into_iter()
        .map(|answer| answer.unwrap_or_else(|error| error))
        .collect();
    if objects {
        objects::build_all(py, &texts)
    } else {
        Ok(texts
            .iter()
            .map(|text| PyString::new(py, text).into_any().unbind())
            .collect())
    }
}

/// A playbook loaded once, answering JSON calls in one language.
#[pyclass(frozen, module = "stagegate._stagegate")]
struct Contract {
    inner: Inner,
}

#[pymethods]
impl Contract {
    /// Loads a playbook from its YAML text, named `file` in diagnostics.
    #[staticmethod]
    #[pyo3(signature = (text, file, lang=None))]
    fn load(py: Python<'_>, text: &str, file: &str, lang: Option<&str>) -> PyResult<Contract> {
        let loaded = py.allow_threads(|| Inner::load(text, file, lang));
        loaded
            .map(|inner| Contract { inner })
            .map_err(ContractError::new_err)
    }

    /// Every diagnostic of a playbook's YAML text, as a JSON array.
    #[staticmethod]
    fn check(py: Python<'_>, text: &str, file: &str) -> String {
        py.allow_threads(|| Inner::check(text, file))
    }

    /// The same playbook answering in `lang`.
    fn with_language(&self, lang: &str) -> PyResult<Contract> {
        self.inner
            .with_language(lang)
            .map(|inner| Contract { inner })
            .map_err(ContractError::new_err)
    }

    /// The playbook's `id@version`.
    fn pin(&self) -> String {
        self.inner.pin()
    }

    /// The language the answers are in.
    fn language(&self) -> String {
        self.inner.engine().language().to_owned()
    }

    /// A deal's evaluation (JSON) at `at`, as `actor` (JSON) sees it when given.
    #[pyo3(signature = (deal, at, actor=None))]
    fn evaluate(
        &self,
        py: Python<'_>,
        deal: &str,
        at: &str,
        actor: Option<&str>,
    ) -> PyResult<String> {
        answer(py.allow_threads(|| self.inner.evaluate(deal, at, actor)))
    }

    /// A deal's scores (JSON) at `at`.
    fn score(&self, py: Python<'_>, deal: &str, at: &str) -> PyResult<String> {
        answer(py.allow_threads(|| self.inner.score(deal, at)))
    }

    /// A move request (JSON): the moved deal and its effects.
    fn apply(&self, py: Python<'_>, request: &str) -> PyResult<String> {
        answer(py.allow_threads(|| self.inner.apply(request)))
    }

    /// An approval request (JSON): the deal holding the approval.
    fn approve(&self, py: Python<'_>, request: &str) -> PyResult<String> {
        answer(py.allow_threads(|| self.inner.approve(request)))
    }

    /// A creation request (JSON): the deal opened in a start stage.
    fn create(&self, py: Python<'_>, request: &str) -> PyResult<String> {
        answer(py.allow_threads(|| self.inner.create(request)))
    }

    /// An import request (JSON): the deal as it stands elsewhere, every entry marked imported.
    fn import_deal(&self, py: Python<'_>, request: &str) -> PyResult<String> {
        answer(py.allow_threads(|| self.inner.import(request)))
    }

    /// An edit request (JSON): the edited deal and the approvals the edit voided.
    fn edit(&self, py: Python<'_>, request: &str) -> PyResult<String> {
        answer(py.allow_threads(|| self.inner.edit(request)))
    }

    /// An archiving request (JSON): the archived deal.
    fn archive(&self, py: Python<'_>, request: &str) -> PyResult<String> {
        answer(py.allow_threads(|| self.inner.archive(request)))
    }

    /// An unarchiving request (JSON): the deal back on the board.
    fn unarchive(&self, py: Python<'_>, request: &str) -> PyResult<String> {
        answer(py.allow_threads(|| self.inner.unarchive(request)))
    }

    /// A request for an approval (JSON): the deal with the request and the notify effect.
    fn request_approval(&self, py: Python<'_>, request: &str) -> PyResult<String> {
        answer(py.allow_threads(|| self.inner.request_approval(request)))
    }

    /// Many deals (JSON texts) evaluated on `threads` threads: one answer per deal, its
    /// evaluation or its error object, as JSON text or, with `objects`, as a Python dict.
    #[pyo3(signature = (deals, at, actor=None, threads=None, objects=false))]
    fn evaluate_many(
        &self,
        py: Python<'_>,
        deals: Vec<String>,
        at: &str,
        actor: Option<&str>,
        threads: Option<usize>,
        objects: bool,
    ) -> PyResult<Vec<PyObject>> {
        let found = py.allow_threads(|| self.inner.evaluate_many(&deals, at, actor, threads));
        batch(py, found, objects)
    }

    /// Many deals (JSON texts) scored on `threads` threads: one answer per deal, its scores or
    /// its error object, as JSON text or, with `objects`, as a Python dict.
    #[pyo3(signature = (deals, at, threads=None, objects=false))]
    fn score_many(
        &self,
        py: Python<'_>,
        deals: Vec<String>,
        at: &str,
        threads: Option<usize>,
        objects: bool,
    ) -> PyResult<Vec<PyObject>> {
        let found = py.allow_threads(|| self.inner.score_many(&deals, at, threads));
        batch(py, found, objects)
    }

    /// The metrics partial of some deals of a book (their JSON Lines), the first at
    /// `first_index` (0-based) in the whole book.
    #[pyo3(signature = (deals, at, by=None, first_index=0))]
    fn metrics_partial(
        &self,
        py: Python<'_>,
        deals: &str,
        at: &str,
        by: Option<&str>,
        first_index: u64,
    ) -> PyResult<String> {
        answer(py.allow_threads(|| self.inner.metrics_partial(deals, at, by, first_index)))
    }

    /// Metrics partials (a JSON array) merged into one.
    fn metrics_merge(&self, py: Python<'_>, partials: &str) -> PyResult<String> {
        answer(py.allow_threads(|| self.inner.metrics_merge(partials)))
    }

    /// A partial's figures, as `metrics --format json` prints them.
    fn metrics_finish(&self, py: Python<'_>, partial: &str) -> PyResult<String> {
        answer(py.allow_threads(|| self.inner.metrics_finish(partial)))
    }

    /// The playbook as a page shows it (stages, fields, activities, roles, approvals), as JSON.
    fn outline(&self) -> String {
        self.inner.outline()
    }

    /// The playbook's embedded tests, run: the report as JSON.
    fn run_tests(&self, py: Python<'_>, at: &str) -> PyResult<String> {
        answer(py.allow_threads(|| self.inner.run_tests(at)))
    }

    /// The playbook as a Mermaid or DOT diagram, with a deal's stages when given.
    #[pyo3(signature = (format, deal=None, at=None))]
    fn diagram(
        &self,
        py: Python<'_>,
        format: &str,
        deal: Option<&str>,
        at: Option<&str>,
    ) -> PyResult<String> {
        answer(py.allow_threads(|| self.inner.diagram(format, deal, at)))
    }

    /// A deal pinned to `older`'s version carried to this one.
    #[pyo3(signature = (older, deal, at, actor=None))]
    fn migrate(
        &self,
        py: Python<'_>,
        older: &Contract,
        deal: &str,
        at: &str,
        actor: Option<&str>,
    ) -> PyResult<String> {
        answer(py.allow_threads(|| self.inner.migrate(&older.inner, deal, at, actor)))
    }

    /// What changes for a deal between `older` and this playbook, as `impact --format jsonl`.
    fn impact(&self, py: Python<'_>, older: &Contract, deal: &str, at: &str) -> PyResult<String> {
        answer(py.allow_threads(|| self.inner.impact(&older.inner, deal, at)))
    }
}

/// Each deal's JSON text: a str as it is, a dict written in Rust as `json.dumps(deal,
/// default=default)` would write it, anything else by `fallback(deal)`.
#[pyfunction]
fn deal_texts(
    deals: &Bound<'_, PyAny>,
    default: &Bound<'_, PyAny>,
    fallback: &Bound<'_, PyAny>,
) -> PyResult<Vec<String>> {
    deal_text::deal_texts(deals, default, fallback)
}

/// The native module.
#[pymodule]
fn _stagegate(module: &Bound<'_, PyModule>) -> PyResult<()> {
    module.add_class::<Contract>()?;
    module.add_function(wrap_pyfunction!(deal_texts, module)?)?;
    module.add("ContractError", module.py().get_type::<ContractError>())?;
    module.add("CONTRACT_VERSION", contract::VERSION)?;
    module.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
