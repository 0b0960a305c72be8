//! `stagegate check <playbook>...`: every diagnostic of each playbook.

use stagegate::{Diagnostic, Playbook};

use super::args::{Common, Format, FormatArg};
use super::{exit, input, render};

/// Arguments of `check`.
#[derive(Debug, clap::Args)]
#[command(mut_arg("format", |format| format
    .value_parser(super::args::only(&[Format::Text, Format::Json]))
    .help("text for people, json for programs (an array of diagnostics)")))]
pub(crate) struct Args {
    /// Playbook files.
    #[arg(required = true)]
    playbooks: Vec<String>,
    #[command(flatten)]
    output: FormatArg,
    #[command(flatten)]
    common: Common,
}

pub(crate) fn run(args: &Args) -> u8 {
    let style = args.common.style();
    let mut all: Vec<Diagnostic> = Vec::new();
    let mut code = exit::OK;
    for path in &args.playbooks {
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(_) => {
                // Let the library say why (missing, too large, not text).
                let error = Playbook::load(path).err();
                let found = error.map(|e| e.diagnostics).unwrap_or_default();
                if args.output.format == Format::Text {
                    input::diagnostics(&found, "", style);
                }
                all.extend(found);
                code = exit::USAGE;
                continue;
            }
        };
        // Loaded once: its diagnostics, and the playbook when it has no error (for `--lang`).
        let (found, playbook) = match Playbook::from_yaml(&text, path) {
            Ok(playbook) => (playbook.warnings().to_vec(), Some(playbook)),
            Err(error) => (error.diagnostics, None),
        };
        let errors = found.iter().filter(|d| d.is_error()).count();
        let warnings = found.len() - errors;
        if errors > 0 && code == exit::OK {
            code = exit::INVALID;
        }
        // `--lang` names a language the playbook must have, as for every other command.
        if let (Some(playbook), Some(lang)) = (&playbook, args.common.lang()) {
            if let Err(message) = playbook.check_language(lang) {
                errln!("{} --lang {lang}: {path}: {message}", style.red("error:"));
                code = exit::USAGE;
            }
        }
        if args.output.format == Format::Text {
            let lines: Vec<&str> = text.lines().collect();
            for d in &found {
                outln!("{}\n", render::diagnostic(d, &lines, style));
            }
            let verdict = if errors == 0 {
                style.green("ok")
            } else {
                style.red("invalid")
            };
            outln!(
                "{path}: {verdict} ({errors} error{}, {warnings} warning{})",
                plural(errors),
                plural(warnings)
            );
        }
        all.extend(found);
    }
    if args.output.format != Format::Text {
        match serde_json::to_string_pretty(&all) {
            Ok(json) => outln!("{json}"),
            Err(error) => {
                errln!("error: {error}");
                return exit::USAGE;
            }
        }
    }
    code
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}
