//! Support: ids, texts and languages, time, messages, suggestions, diagnostics, files and YAML
//! with spans. Knows nothing of playbooks or deals.

pub(crate) mod change_messages;
pub(crate) mod diagnostic;
pub(crate) mod ids;
pub(crate) mod io;
pub(crate) mod lang;
pub(crate) mod messages;
pub(crate) mod ordered;
pub(crate) mod request_messages;
pub(crate) mod shape;
pub(crate) mod suggest;
pub(crate) mod text;
pub(crate) mod time;
pub(crate) mod yaml;
