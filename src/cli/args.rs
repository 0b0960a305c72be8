//! Arguments several commands share, declared once: each command flattens those it takes into its
//! own `Args` and declares only what is its own.
//!
//! Where a shared option's help or default differs for one command (what `--at` is the time of,
//! which formats it prints), that command says so next to its own arguments, with
//! `#[command(mut_arg("at", ...))]`. Only options: `mut_arg` puts the argument it changes last,
//! which keeps an option's place in the help but would move a positional after the others; a
//! command whose positional reads differently declares its own.

use clap::builder::TypedValueParser;
use clap::ValueEnum;
use stagegate::{Engine, Timestamp};

use super::style::ColorChoice;
use super::{input, Style};

/// Options every command shares.
#[derive(Debug, clap::Args)]
pub(crate) struct Common {
    /// Colour: auto (when the terminal allows and NO_COLOR is unset), always or never.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, global = true)]
    color: ColorChoice,
    /// Language of texts and messages (default: the playbook's first).
    #[arg(long, global = true)]
    lang: Option<String>,
}

impl Common {
    /// Colour for standard output.
    pub(crate) fn style(&self) -> Style {
        Style::new(self.color, false)
    }

    /// Colour for standard error: messages and diagnostics.
    pub(crate) fn error_style(&self) -> Style {
        Style::new(self.color, true)
    }

    /// Standard error for a command printing `format`: for programs (one JSON object per line)
    /// with `json` and `jsonl`, for people otherwise.
    pub(crate) fn error_style_for(&self, format: Format) -> Style {
        self.error_style().for_programs(format.is_json())
    }

    /// `--lang`, if given.
    pub(crate) fn lang(&self) -> Option<&str> {
        self.lang.as_deref()
    }
}

/// The one playbook a command works with.
#[derive(Debug, clap::Args)]
pub(crate) struct PlaybookArg {
    /// The playbook file.
    #[arg(id = "playbook", value_name = "PLAYBOOK")]
    pub path: String,
}

impl PlaybookArg {
    /// The playbook, answering in `--lang` (default: its first language); when it does not load,
    /// its diagnostics are printed to standard error and the exit code is returned.
    pub(crate) fn engine(&self, common: &Common) -> Result<Engine, u8> {
        input::engine(&self.path, common.lang(), common.error_style())
    }

    /// [`PlaybookArg::engine`], its problems said in `style` (JSON for programs).
    pub(crate) fn engine_for(&self, common: &Common, style: Style) -> Result<Engine, u8> {
        input::engine(&self.path, common.lang(), style)
    }
}

/// The deal files of a batch command.
#[derive(Debug, clap::Args)]
pub(crate) struct DealsArgs {
    /// Deal files (YAML, multi-document YAML, JSON, JSON array, JSON Lines); `-` reads standard input.
    #[arg(id = "deals", value_name = "DEALS", required = true)]
    pub paths: Vec<String>,
}

/// `--at`: the time a command works at.
#[derive(Debug, clap::Args)]
pub(crate) struct AtArg {
    /// Evaluation time: a date (2026-11-27), a date-time in the playbook's time zone
    /// (2026-11-27 15:30) or with its offset (2026-11-27T15:30:00Z); default now.
    #[arg(id = "at", long = "at", value_name = "AT")]
    given: Option<String>,
}

impl AtArg {
    /// Whether `--at` was given.
    pub(crate) fn given(&self) -> bool {
        self.given.is_some()
    }

    /// The time given, read in `playbook`'s time zone, or now; a bad one is reported and the
    /// exit code returned.
    pub(crate) fn time(&self, playbook: &stagegate::Playbook) -> Result<Timestamp, u8> {
        input::at(self.given.as_deref(), playbook, Style::plain())
    }

    /// [`AtArg::time`], its problem said in `style` (JSON for programs).
    pub(crate) fn time_for(
        &self,
        playbook: &stagegate::Playbook,
        style: Style,
    ) -> Result<Timestamp, u8> {
        input::at(self.given.as_deref(), playbook, style)
    }
}

/// `--format`: how a command prints its answer.
#[derive(Debug, clap::Args)]
pub(crate) struct FormatArg {
    /// text for people, json for programs.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

/// `--format` taking only `formats`, for a command that prints no other: any other value is a
/// usage error that lists these (`[possible values: text, json]`), and the help lists them too.
pub(crate) fn only(formats: &'static [Format]) -> impl TypedValueParser<Value = Format> {
    let names = formats.iter().filter_map(ValueEnum::to_possible_value);
    clap::builder::PossibleValuesParser::new(names)
        .try_map(|name: String| Format::from_str(&name, false))
}

/// Output formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum Format {
    /// For people.
    Text,
    /// One JSON document.
    Json,
    /// One JSON object per line.
    Jsonl,
    /// YAML (for `move` and `migrate`).
    Yaml,
}

impl Format {
    /// `true` for the formats programs read (`json`, `jsonl`): standard error speaks JSON too.
    pub(crate) fn is_json(self) -> bool {
        matches!(self, Format::Json | Format::Jsonl)
    }
}

/// `--as` and `--role`: who acts, for playbooks that say who may move deals.
#[derive(Debug, clap::Args)]
pub(crate) struct ActorArgs {
    /// The id of the person acting (recorded in the history as `by`).
    #[arg(long = "as", value_name = "ID")]
    id: Option<String>,
    /// A role the person holds (repeat for several); needs --as.
    #[arg(long = "role", value_name = "ROLE", requires = "id")]
    roles: Vec<String>,
}

impl ActorArgs {
    /// Whether `--as` was given.
    pub(crate) fn given(&self) -> bool {
        self.id.is_some()
    }

    /// The actor given, if any, checked against the playbook's roles: an unknown role, `owner`
    /// or a blank id is bad usage, said on standard error.
    pub(crate) fn actor(
        &self,
        playbook: &stagegate::Playbook,
        style: Style,
    ) -> Result<Option<stagegate::Actor>, u8> {
        let Some(id) = &self.id else {
            return Ok(None);
        };
        actor(playbook, id, &self.roles, style).map(Some)
    }
}

/// The actor `id` holding `roles`, checked against the playbook (bad usage otherwise).
pub(crate) fn actor(
    playbook: &stagegate::Playbook,
    id: &str,
    roles: &[String],
    style: Style,
) -> Result<stagegate::Actor, u8> {
    match playbook.check_actor(id, roles) {
        Ok(()) => Ok(stagegate::Actor::new(id, roles.iter().cloned())),
        Err(message) => {
            if style.json() {
                let problem = stagegate::Problem::new(
                    stagegate::ProblemKind::Request,
                    "actor",
                    format!("--as/--role: {message}"),
                );
                super::output::problem(&problem);
            } else {
                errln!("{} --as/--role: {message}", style.red("error:"));
            }
            Err(super::exit::USAGE)
        }
    }
}
