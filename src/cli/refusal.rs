//! A change to a deal refused (`edit`, `archive`, `import`): every reason on standard error, for
//! people or as the contract's error object, and the exit code `move` gives the like of it.

use stagegate::{ChangeError, Deal, DealOrigin, Engine, Problem};

use super::{exit, input, render, Style};

/// Says why the change to `deal` (read at `origin`) was refused, on standard error; the exit
/// code: 3 when the actor may not (as a blocked move), 2 for a request the command cannot carry
/// out as given (no actor, an archived deal, a time before the history, a deal that would not
/// fit).
pub(crate) fn change(
    error: ChangeError,
    engine: &Engine,
    deal: &Deal,
    origin: &DealOrigin,
    errors: Style,
) -> u8 {
    let label = origin.label(deal);
    let code = code(&error);
    let help = help(&error);
    if let ChangeError::Deal(error) = error {
        input::report(&origin.locate(deal, error), errors);
        return code;
    }
    if errors.json() {
        let mut problem = Problem::from(&error).for_deal(label);
        if let Some(help) = help {
            problem = problem.with_help(help);
        }
        super::output::problem(&problem);
        return code;
    }
    let playbook = engine.playbook();
    match error.problems() {
        [] => errln!(
            "{} deal `{label}`: {}",
            errors.red("refused:"),
            render::times_in(playbook, &error.to_string())
        ),
        [one] => errln!(
            "{} deal `{label}`: {}",
            errors.red("refused:"),
            reason(engine, one)
        ),
        several => {
            errln!(
                "{} deal `{label}`: {} reasons:",
                errors.red("refused:"),
                several.len()
            );
            for one in several {
                errln!("  {} {}", errors.red("✗"), reason(engine, one));
            }
        }
    }
    if let Some(help) = help {
        errln!("{} {help}", errors.cyan("help:"));
    }
    code
}

/// One reason: where (`fields.discount_pct`), the message, its times on the playbook's clocks.
fn reason(engine: &Engine, problem: &stagegate::ChangeProblem) -> String {
    let message = render::times_in(engine.playbook(), &problem.message);
    if problem.place.is_empty() || message.starts_with(&problem.place) {
        message
    } else {
        format!("{}: {message}", problem.place)
    }
}

/// 3 when the actor may not, 2 otherwise.
pub(crate) fn code(error: &ChangeError) -> u8 {
    match error {
        ChangeError::Forbidden { .. } => exit::BLOCKED,
        _ => exit::USAGE,
    }
}

/// What the person can do next on the command line.
fn help(error: &ChangeError) -> Option<&'static str> {
    match error {
        ChangeError::NoActor => Some("say who makes the change: --as <id> --role <role>"),
        ChangeError::Forbidden { .. } => {
            Some("ask someone in one of those roles, or the deal's owner where `owner` is named")
        }
        _ => None,
    }
}
