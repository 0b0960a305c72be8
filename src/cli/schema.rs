//! `stagegate schema [<name>]`: the JSON Schema of the playbook format, for editors, or of one
//! JSON answer (`stagegate schema evaluation`), as `schema/<name>.schema.json` holds it.

use stagegate::contract::{response_schema, SCHEMA_NAMES};

use super::exit;

/// Arguments of `schema`.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// Which schema: the playbook format (default), or a JSON answer of the contract and the
    /// command line.
    #[arg(value_name = "NAME", default_value = "playbook",
        value_parser = clap::builder::PossibleValuesParser::new(SCHEMA_NAMES))]
    name: String,
    /// Print the name of every schema, one a line, instead of a schema.
    #[arg(long, conflicts_with = "name")]
    list: bool,
}

pub(crate) fn run(args: &Args) -> u8 {
    if args.list {
        for name in SCHEMA_NAMES {
            outln!("{name}");
        }
        return exit::OK;
    }
    let Some(schema) = response_schema(&args.name) else {
        errln!("error: `{}` is not a schema's name", args.name);
        return exit::USAGE;
    };
    match serde_json::to_string_pretty(&schema) {
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
