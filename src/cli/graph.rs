//! `stagegate graph <playbook>`: the playbook as a Mermaid or DOT diagram.

use clap::ValueEnum;
use stagegate::analytics::DiagramFormat;

use super::args::{AtArg, Common, PlaybookArg};
use super::{exit, input};

/// Diagram languages.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum Kind {
    /// Mermaid stateDiagram-v2.
    Mermaid,
    /// Graphviz DOT.
    Dot,
}

/// Arguments of `graph`.
#[derive(Debug, clap::Args)]
#[command(mut_arg("at", |at| at
    .help("Evaluation time for --deal: a date, or a date-time with or without its zone (read in the playbook's time zone); default now")))]
pub(crate) struct Args {
    #[command(flatten)]
    playbook: PlaybookArg,
    /// mermaid (default) or dot.
    #[arg(long, value_enum, default_value_t = Kind::Mermaid)]
    format: Kind,
    /// A file with one deal (or many, with --id): its active stages are highlighted and its
    /// blocked moves marked; `-` reads standard input.
    #[arg(long, value_name = "DEALS")]
    deal: Option<String>,
    /// The deal to mark, by id (or `#3` for the third, if it has no id), in a --deal file of many.
    #[arg(long, value_name = "ID", requires = "deal")]
    id: Option<String>,
    #[command(flatten)]
    at: AtArg,
    #[command(flatten)]
    common: Common,
}

pub(crate) fn run(args: &Args) -> Result<u8, u8> {
    let errors = args.common.error_style();
    let engine = args.playbook.engine(&args.common)?;
    let evaluation = match &args.deal {
        None => None,
        Some(path) => {
            let at = args.at.time(engine.playbook())?;
            let deals = super::book::read(path, errors)?;
            let (deal, origin) =
                super::book::pick(&deals, args.id.as_deref(), Some("--id"), errors)?;
            match engine.evaluate(&deal, at, &stagegate::Options::new()) {
                Ok(evaluation) => Some(evaluation),
                Err(error) => {
                    input::report(&origin.locate(&deal, error), errors);
                    return Err(exit::USAGE);
                }
            }
        }
    };
    let format = match args.format {
        Kind::Mermaid => DiagramFormat::Mermaid,
        Kind::Dot => DiagramFormat::Dot,
    };
    out!(
        "{}",
        engine
            .playbook()
            .diagram(format, engine.language(), evaluation.as_ref())
    );
    Ok(exit::OK)
}
