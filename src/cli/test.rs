//! `stagegate test <playbook> [<cases>...]`: run the embedded tests and case files.

use stagegate::testing::{check_cases, read_cases, TestCase, TestReport};

use super::args::{AtArg, Common, Format, FormatArg};
use super::{exit, input, Style};

/// Arguments of `test`.
#[derive(Debug, clap::Args)]
#[command(mut_arg("at", |at| at
    .help("Time for cases without `at`: a date, or a date-time with or without its zone (read in the playbook's time zone); default now")))]
#[command(mut_arg("format", |format| format
    .value_parser(super::args::only(&[Format::Text, Format::Json]))
    .help("text for people, json for programs")))]
pub(crate) struct Args {
    /// The playbook file; its embedded `tests:` run first.
    playbook: String,
    /// Case files: YAML lists of test cases.
    cases: Vec<String>,
    /// Also report stages never entered, transitions never evaluated, and criteria that never came
    /// out both true and false.
    #[arg(long)]
    coverage: bool,
    #[command(flatten)]
    at: AtArg,
    #[command(flatten)]
    output: FormatArg,
    #[command(flatten)]
    common: Common,
}

pub(crate) fn run(args: &Args) -> Result<u8, u8> {
    let style = args.common.style();
    let errors = args.common.error_style();
    let engine = input::engine(&args.playbook, args.common.lang(), errors)?;
    let at = args.at.time_for(engine.playbook(), errors)?;
    let mut cases: Vec<(String, TestCase)> = engine
        .playbook()
        .tests()
        .iter()
        .map(|case| (args.playbook.clone(), case.clone()))
        .collect();
    let mut code = exit::OK;
    for path in &args.cases {
        let text = input::text(path, errors)?;
        match read_cases(&text, path) {
            Ok(found) => {
                // A case whose deal or time does not fit tests nothing: reported, left out.
                // Warnings (a case that expects nothing) are reported, and the case runs.
                let problems = check_cases(engine.playbook(), &found, &text, path);
                input::diagnostics(&problems, &text, errors);
                if problems.iter().any(stagegate::Diagnostic::is_error) {
                    code = exit::USAGE;
                }
                let playbook = engine.playbook();
                let fits = |case: &TestCase| {
                    playbook.check_deal(&case.deal).is_ok()
                        && case
                            .at
                            .as_deref()
                            .is_none_or(|at| playbook.read_time(at).is_ok())
                };
                cases.extend(
                    found
                        .into_iter()
                        .filter(fits)
                        .map(|case| (path.clone(), case)),
                );
            }
            Err(error) => {
                input::diagnostics(&error.diagnostics, &text, errors);
                return Err(exit::USAGE);
            }
        }
    }
    let report = engine.run_tests(&cases, at);
    if matches!(args.output.format, Format::Json | Format::Jsonl) {
        outln!(
            "{}",
            serde_json::to_string_pretty(&report).unwrap_or_default()
        );
    } else {
        out!("{}", text(&report, engine.playbook(), args.coverage, style));
    }
    if code != exit::OK {
        Ok(code)
    } else if report.failed() == 0 {
        Ok(exit::OK)
    } else {
        Ok(exit::INVALID)
    }
}

/// Failing cases one per line (the times they name in `playbook`'s time zone), coverage if asked,
/// then `N passed, M failed` alone on the last line.
fn text(
    report: &TestReport,
    playbook: &stagegate::Playbook,
    coverage: bool,
    style: Style,
) -> String {
    let mut out = String::new();
    for case in report.cases.iter().filter(|c| !c.passed()) {
        out.push_str(&format!(
            "{} {} {}: {}\n",
            style.red("FAIL"),
            style.bold(&case.name),
            style.dim(&format!("({})", case.source)),
            super::render::times_in(playbook, &case.failures.join("; "))
        ));
    }
    if coverage {
        let c = &report.coverage;
        if c.is_complete() {
            out.push_str(&format!("{} every stage entered, every transition evaluated, every criterion seen both true and false\n", style.green("coverage:")));
        } else {
            out.push_str(&format!("{}\n", style.yellow("coverage:")));
            if !c.stages_never_entered.is_empty() {
                out.push_str(&format!(
                    "  stages never entered: {}\n",
                    c.stages_never_entered.join(", ")
                ));
            }
            if !c.transitions_never_evaluated.is_empty() {
                out.push_str(&format!(
                    "  transitions never evaluated: {}\n",
                    c.transitions_never_evaluated.join(", ")
                ));
            }
            for criterion in &c.criteria_not_both_ways {
                let seen = match (criterion.seen_true, criterion.seen_false) {
                    (true, false) => "only true",
                    (false, true) => "only false",
                    _ => "never evaluated",
                };
                out.push_str(&format!("  criterion {}: {seen}\n", criterion.id));
            }
        }
    }
    out.push_str(&format!(
        "{} passed, {} failed\n",
        report.passed(),
        report.failed()
    ));
    out
}
