//! `stagegate schema`: the JSON Schema of the playbook format, for editors.

use super::exit;

/// Arguments of `schema`.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {}

pub(crate) fn run(_args: &Args) -> u8 {
    match serde_json::to_string_pretty(&stagegate::Playbook::json_schema()) {
        Ok(json) => {
            outln!("{json}");
            exit::OK
        }
        Err(error) => {
            errln!("error: {error}");
            exit::USAGE
        }
    }
}
