//! A hand-written baseline for `stagegate score` on the X Education leads (benches/compare.sh).
//!
//! It reads the same JSON Lines deals as `stagegate score` (what `stagegate import
//! examples/real-data/x-education/mapping.yaml Leads.csv` writes), applies the `lead` scorecard of
//! `examples/real-data/x-education/playbook.yaml` with plain `if`s, and writes the same JSON Lines
//! shape as `stagegate score <playbook> <deals> --format jsonl`:
//!
//! ```text
//! {"deal":"<id>","scores":{"lead":{"total":25,"band":"warm","rules":[{"id":"add_form_referral","points":0,"matched":false},...]}}}
//! ```
//!
//! Like stagegate, a rule that reads a field the deal lacks (or holds as an empty text) does not
//! run: it scores 0, is not matched and names the field under `missing`. The total is kept between
//! 0 and 100 and the band is the last one whose threshold it reaches (cold 0, warm 25, hot 55).
//! So the output is byte for byte what `stagegate score` prints, which keeps the comparison fair.
//!
//! ```sh
//! cargo run --release --example handwritten_scorer -- leads.jsonl > scores.jsonl
//! ```

use std::fs::File;
use std::io::{self, BufRead, BufReader, BufWriter, Write};
use std::process::ExitCode;

use serde::{Deserialize, Serialize};

/// One deal as `import` writes it; only what the scorecard reads.
#[derive(Deserialize)]
struct Lead {
    id: Option<String>,
    #[serde(default)]
    fields: Fields,
}

/// The six fields the nine rules read.
#[derive(Default, Deserialize)]
struct Fields {
    lead_origin: Option<String>,
    lead_source: Option<String>,
    website_seconds: Option<i64>,
    occupation: Option<String>,
    last_activity: Option<String>,
    do_not_email: Option<bool>,
}

#[derive(Serialize)]
struct Row<'a> {
    deal: Option<&'a str>,
    scores: Scores,
}

#[derive(Serialize)]
struct Scores {
    lead: Card,
}

#[derive(Serialize)]
struct Card {
    total: i64,
    band: &'static str,
    rules: Vec<Rule>,
}

#[derive(Serialize)]
struct Rule {
    id: &'static str,
    points: i64,
    matched: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    missing: Option<[&'static str; 1]>,
}

/// A rule's result: `held` is `None` when the field it reads is missing.
fn rule(id: &'static str, points: i64, field: &'static str, held: Option<bool>) -> Rule {
    match held {
        Some(true) => Rule {
            id,
            points,
            matched: true,
            missing: None,
        },
        Some(false) => Rule {
            id,
            points: 0,
            matched: false,
            missing: None,
        },
        None => Rule {
            id,
            points: 0,
            matched: false,
            missing: Some([field]),
        },
    }
}

/// A text field, absent when missing or empty (as stagegate reads it).
fn text(value: Option<&str>) -> Option<&str> {
    value.filter(|text| !text.is_empty())
}

fn score(fields: &Fields) -> Card {
    let origin = text(fields.lead_origin.as_deref());
    let source = text(fields.lead_source.as_deref());
    let seconds = fields.website_seconds;
    let occupation = text(fields.occupation.as_deref());
    let activity = text(fields.last_activity.as_deref());

    let rules = vec![
        rule(
            "add_form_referral",
            40,
            "lead_origin",
            origin.map(|o| o == "Lead Add Form"),
        ),
        rule(
            "chat_widget_source",
            -10,
            "lead_source",
            source.map(|s| s == "Olark Chat"),
        ),
        rule(
            "long_website_time",
            30,
            "website_seconds",
            seconds.map(|s| s >= 800),
        ),
        rule(
            "medium_website_time",
            15,
            "website_seconds",
            seconds.map(|s| (500..800).contains(&s)),
        ),
        rule(
            "occupation_given",
            10,
            "occupation",
            occupation.map(|o| !o.is_empty()),
        ),
        rule(
            "working_professional",
            30,
            "occupation",
            occupation.map(|o| o == "Working Professional"),
        ),
        rule(
            "recent_direct_contact",
            25,
            "last_activity",
            activity.map(|a| a == "SMS Sent" || a == "Had a Phone Conversation"),
        ),
        rule(
            "stalled_last_activity",
            -20,
            "last_activity",
            activity.map(|a| {
                a == "Olark Chat Conversation" || a == "Email Bounced" || a == "Converted to Lead"
            }),
        ),
        rule(
            "opted_out_of_email",
            -15,
            "do_not_email",
            fields.do_not_email,
        ),
    ];
    let total = rules.iter().map(|r| r.points).sum::<i64>().clamp(0, 100);
    let band = if total >= 55 {
        "hot"
    } else if total >= 25 {
        "warm"
    } else {
        "cold"
    };
    Card { total, band, rules }
}

fn run(mut input: Box<dyn BufRead>) -> io::Result<bool> {
    let stdout = io::stdout();
    let mut out = BufWriter::with_capacity(64 * 1024, stdout.lock());
    let mut line = String::new();
    let mut number = 0usize;
    let mut clean = true;
    loop {
        line.clear();
        if input.read_line(&mut line)? == 0 {
            break;
        }
        number += 1;
        if line.trim().is_empty() {
            continue;
        }
        let lead: Lead = match serde_json::from_str(&line) {
            Ok(lead) => lead,
            Err(error) => {
                eprintln!("line {number}: {error}");
                clean = false;
                continue;
            }
        };
        let row = Row {
            deal: lead.id.as_deref(),
            scores: Scores {
                lead: score(&lead.fields),
            },
        };
        serde_json::to_writer(&mut out, &row)?;
        out.write_all(b"\n")?;
    }
    out.flush()?;
    Ok(clean)
}

fn main() -> ExitCode {
    let path = std::env::args().nth(1).unwrap_or_else(|| "-".to_owned());
    let input: Box<dyn BufRead> = if path == "-" {
        Box::new(BufReader::new(io::stdin()))
    } else {
        match File::open(&path) {
            Ok(file) => Box::new(BufReader::with_capacity(64 * 1024, file)),
            Err(error) => {
                eprintln!("{path}: {error}");
                return ExitCode::from(2);
            }
        }
    };
    match run(input) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(2),
        Err(error) if error.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::from(2)
        }
    }
}
