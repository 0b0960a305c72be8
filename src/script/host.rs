//! Host functions: pure Rust functions a host lets its playbooks' rules call, such as a territory
//! lookup or a fiscal calendar.

use std::any::TypeId;
use std::fmt;
use std::sync::Arc;

use rhai::{Dynamic, ImmutableString};
use serde_json::Value;

/// What a host function does with its arguments: a value, or a one-line error that becomes the
/// criterion's `error` reason.
pub type HostFn = dyn Fn(&[Value]) -> Result<Value, String> + Send + Sync;

/// What a host function gives, when its host declares it, so rules calling it are typed like
/// rules reading a field of that type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Gives {
    /// `true` or `false`: the call is a condition on its own.
    Bool,
    /// A whole number.
    Integer,
    /// Any number.
    Number,
    /// A text.
    Text,
    /// A date or date-time, as text.
    Date,
    /// A list of texts.
    List,
}

/// One function a host adds for rules.
#[derive(Clone)]
pub struct HostFunction {
    pub(crate) name: String,
    pub(crate) arity: usize,
    pub(crate) run: Arc<HostFn>,
    /// What it gives, when declared; rules calling it are not typed otherwise.
    pub(crate) gives: Option<Gives>,
}

impl HostFunction {
    /// A function called `name` taking `arity` arguments.
    ///
    /// Arguments arrive as JSON values (texts, numbers, true/false, lists); the result goes back
    /// to the rule the same way. The function must be pure: the same arguments always give the
    /// same result, or evaluation would no longer be repeatable.
    ///
    /// # Example
    ///
    /// ```
    /// use serde_json::{json, Value};
    /// use stagegate::HostFunction;
    /// let territory = HostFunction::new("territory_of", 1, |args: &[Value]| {
    ///     match args[0].as_str() {
    ///         Some("KR" | "JP") => Ok(json!("APAC")),
    ///         Some(_) => Ok(json!("EMEA")),
    ///         None => Err("territory_of takes a country code".to_owned()),
    ///     }
    /// });
    /// assert_eq!(territory.name(), "territory_of");
    /// ```
    pub fn new(
        name: impl Into<String>,
        arity: usize,
        run: impl Fn(&[Value]) -> Result<Value, String> + Send + Sync + 'static,
    ) -> HostFunction {
        HostFunction {
            name: name.into(),
            arity,
            run: Arc::new(run),
            gives: None,
        }
    }

    /// Declares what it gives, so `check` types the rules that call it: `territory(country) > 5`
    /// is then refused at load like any text compared with a number. Undeclared, a call's value
    /// is checked when the rule runs. The function must keep its word: a value of another type is
    /// read as it is.
    ///
    /// # Example
    ///
    /// ```
    /// use serde_json::json;
    /// use stagegate::{Gives, HostFunction, Loader};
    /// let territory = HostFunction::new("territory_of", 1, |_| Ok(json!("APAC"))).gives(Gives::Text);
    /// let playbook = "stagegate: 1\nid: t\nversion: 1\nfields: { country: { type: text } }\n\
    ///     stages:\n  - { id: open, exit: [ 'territory_of(country) > 5' ] }\n  - { id: won, outcome: won }\n\
    ///     transitions: [ { from: open, to: won } ]\n";
    /// let error = Loader::new().function(territory).from_yaml(playbook, "t.yaml").unwrap_err();
    /// assert_eq!(error.diagnostics[0].code, "rule-type");
    /// ```
    #[must_use]
    pub fn gives(mut self, gives: Gives) -> HostFunction {
        self.gives = Some(gives);
        self
    }

    /// The name rules call it by.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// How many arguments it takes.
    pub fn arity(&self) -> usize {
        self.arity
    }

    /// Adds it to a Rhai engine.
    pub(crate) fn register(&self, engine: &mut rhai::Engine) {
        let run = Arc::clone(&self.run);
        let name = self.name.clone();
        engine.register_raw_fn(
            self.name.as_str(),
            vec![TypeId::of::<Dynamic>(); self.arity],
            move |_, args| {
                let values: Vec<Value> = args.iter().map(|a| to_json(a)).collect();
                let result = run(&values).map_err(|e| format!("{name}: {e}"))?;
                Ok(from_json(&result))
            },
        );
    }
}

impl fmt::Debug for HostFunction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "HostFunction({}/{})", self.name, self.arity)
    }
}

/// A Rhai value as JSON.
fn to_json(value: &Dynamic) -> Value {
    if let Ok(b) = value.as_bool() {
        Value::Bool(b)
    } else if let Ok(i) = value.as_int() {
        Value::from(i)
    } else if let Ok(f) = value.as_float() {
        serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)
    } else if let Some(text) = value.read_lock::<ImmutableString>() {
        Value::String(text.to_string())
    } else if let Some(at) = value.read_lock::<super::instant::Instant>() {
        // A date goes to the host as RFC 3339 text in UTC.
        Value::String(crate::support::time::format_time(at.0))
    } else if let Some(items) = value.read_lock::<rhai::Array>() {
        Value::Array(items.iter().map(to_json).collect())
    } else if let Some(map) = value.read_lock::<rhai::Map>() {
        Value::Object(
            map.iter()
                .map(|(k, v)| (k.to_string(), to_json(v)))
                .collect(),
        )
    } else {
        Value::Null
    }
}

/// JSON as a Rhai value.
fn from_json(value: &Value) -> Dynamic {
    match value {
        Value::Null => Dynamic::UNIT,
        Value::Bool(b) => Dynamic::from_bool(*b),
        Value::Number(n) => match n.as_i64() {
            Some(i) => Dynamic::from_int(i),
            None => Dynamic::from_float(n.as_f64().unwrap_or(f64::NAN)),
        },
        Value::String(s) => Dynamic::from(ImmutableString::from(s.as_str())),
        Value::Array(items) => Dynamic::from_array(items.iter().map(from_json).collect()),
        Value::Object(map) => Dynamic::from_map(
            map.iter()
                .map(|(k, v)| (k.as_str().into(), from_json(v)))
                .collect(),
        ),
    }
}
