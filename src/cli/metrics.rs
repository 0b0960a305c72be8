//! `stagegate metrics <playbook> <deals>...`: pipeline figures over a book of deals.

use stagegate::analytics::{DayStats, Metrics, MetricsBook};
use stagegate::{MessageLanguage, Playbook, Problem, ProblemKind};

use super::args::{AtArg, Common, DealsArgs, Format, FormatArg, PlaybookArg};
use super::input::{self, Step};
use super::pipeline;
use super::render::width;
use super::{exit, Style};

/// Arguments of `metrics`.
#[derive(Debug, clap::Args)]
#[command(mut_arg("at", |at| at
    .help("\"Now\", for stalled deals: a date, or a date-time with or without its zone (read in the playbook's time zone); default now")))]
#[command(mut_arg("format", |format| format.value_parser(super::args::only(&[Format::Text, Format::Json, Format::Jsonl]))))]
pub(crate) struct Args {
    #[command(flatten)]
    playbook: PlaybookArg,
    #[command(flatten)]
    deals: DealsArgs,
    /// Break every figure down by this field (product, agent, source...).
    #[arg(long)]
    by: Option<String>,
    /// Also draw the funnel and the time in stage as an SVG file.
    #[arg(long)]
    svg: Option<String>,
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
    let engine = args.playbook.engine_for(&args.common, errors)?;
    let (playbook, lang) = (engine.playbook(), engine.language());
    if let Some(field) = &args.by {
        if !playbook.fields().iter().any(|f| f.id == *field) {
            let known: Vec<&str> = playbook.fields().iter().map(|f| f.id.as_str()).collect();
            let message = format!(
                "--by: `{field}` is not a field of this playbook; it has {}",
                known.join(", ")
            );
            input::refuse(
                &Problem::new(ProblemKind::Request, "unknown-field", message),
                errors,
            );
            return Err(exit::USAGE);
        }
    }
    let at = args.at.time_for(playbook, errors)?;
    let mut book = MetricsBook::new(playbook, at, args.by.as_deref());
    // Reading runs on a thread of its own; the figures are added up in input order.
    let code = pipeline::each_deal(
        &args.deals.paths,
        |_| (),
        |read| match read {
            Ok((deal, origin, ())) => match book.add(&deal, &origin.label(&deal)) {
                Ok(()) => Step::Next,
                // Listed in the anomalies, in no figure, and reported.
                Err(refused) => input::bad(&origin.locate(&deal, refused), errors),
            },
            Err(error) => {
                // Counted and listed, never silently dropped; and reported.
                input::report(&error, errors);
                let problems: Vec<String> =
                    error.problems.iter().map(ToString::to_string).collect();
                let place = format!(
                    "{}:{}",
                    error.file.as_deref().unwrap_or("?"),
                    error.line.unwrap_or(0)
                );
                book.add_anomaly(
                    &error.deal,
                    format!("unreadable ({place}): {}", problems.join("; ")),
                );
                Step::Bad
            }
        },
    );
    let metrics = book.finish();
    if metrics.deals == 0 && code != exit::OK {
        // No deal was read: the figures would be zeros that mean nothing.
        return Ok(code);
    }
    if let Some(path) = &args.svg {
        let svg = stagegate::analytics::funnel_svg(&metrics, playbook, lang);
        if let Err(error) = std::fs::write(path, svg) {
            let message = format!(
                "cannot write `{path}`: {}",
                error.to_string().to_lowercase()
            );
            let problem = Problem::new(ProblemKind::Request, "unwritable", message);
            input::refuse(&problem.in_file(path, None, None), errors);
            return Err(exit::USAGE);
        }
    }
    if args.output.format == Format::Jsonl {
        outln!("{}", serde_json::to_string(&metrics).unwrap_or_default());
    } else if args.output.format == Format::Json {
        outln!(
            "{}",
            serde_json::to_string_pretty(&metrics).unwrap_or_default()
        );
    } else {
        out!("{}", text(&metrics, playbook, lang, style));
        if let Some(by) = &metrics.by {
            for (value, group) in &by.groups {
                outln!("\n{}", style.bold(&format!("{} = {value}", by.field)));
                out!("{}", text(group, playbook, lang, style));
            }
        }
    }
    Ok(code)
}

/// A sum of money as people read it: thousands grouped, at most two decimals; from the value read,
/// never through a whole-number type that would clamp it (`1e20` is 100,000,000,000,000,000,000).
fn number(value: f64) -> String {
    if !value.is_finite() {
        return value.to_string();
    }
    let rounded = (value * 100.0).round() / 100.0;
    let digits = format!("{:.0}", rounded.trunc().abs());
    let mut grouped = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    let sign = if rounded < 0.0 { "-" } else { "" };
    let fraction = (rounded.fract().abs() * 100.0).round() as i64;
    if fraction == 0 {
        format!("{sign}{grouped}")
    } else {
        format!("{sign}{grouped}.{fraction:02}")
            .trim_end_matches('0')
            .to_owned()
    }
}

fn percent(value: Option<f64>) -> String {
    value.map_or("-".to_owned(), |v| format!("{:.1}%", v * 100.0))
}

fn days(stats: &DayStats) -> String {
    match (stats.mean, stats.median) {
        (Some(mean), Some(median)) => format!("{} / {}", number(mean), number(median)),
        _ => "-".to_owned(),
    }
}

/// `text` right-aligned in `columns` terminal columns.
fn right(text: &str, columns: usize) -> String {
    format!("{}{text}", " ".repeat(columns.saturating_sub(width(text))))
}

/// `text` left-aligned in `columns` terminal columns.
fn pad(text: &str, columns: usize) -> String {
    format!("{text}{}", " ".repeat(columns.saturating_sub(width(text))))
}

fn text(m: &Metrics, playbook: &Playbook, lang: &str, style: Style) -> String {
    let w = MessageLanguage::of(lang);
    let mut out = String::new();
    out.push_str(&format!(
        "{} {}  ·  {} {}  ·  {} {}  ·  {} {}  ·  {} {}  ·  {} {}\n",
        w.pick("거래", "deals"),
        m.deals,
        w.pick("진행 중", "open"),
        m.open,
        w.pick("성사", "won"),
        style.green(&m.won.to_string()),
        w.pick("실패", "lost"),
        style.red(&m.lost.to_string()),
        w.pick("이탈", "churned"),
        m.churned,
        w.pick("이상", "anomalies"),
        m.anomalous,
    ));
    if m.archived > 0 {
        out.push_str(&format!(
            "{} {} ({})\n",
            w.pick("보관됨", "archived"),
            m.archived,
            w.pick("수치에서 제외", "left out of the figures"),
        ));
    }
    out.push_str(&format!(
        "{} {}  ·  {} {} ({} {})\n",
        w.pick("승률", "win rate"),
        style.bold(&percent(m.win_rate)),
        w.pick("성사 금액", "won value"),
        number(m.won_value.total),
        w.pick("평균", "mean"),
        m.won_value.mean.map_or("-".to_owned(), number),
    ));
    out.push_str(&format!(
        "{} {}  ·  {} {}\n",
        w.pick(
            "영업 사이클(일, 평균 / 중앙값): 성사",
            "cycle days (mean / median): won"
        ),
        days(&m.cycle_days.won),
        w.pick("실패", "lost"),
        days(&m.cycle_days.lost),
    ));
    out.push_str(&format!(
        "{} {}  ·  {} {}\n\n",
        w.pick("파이프라인 속도(일당)", "pipeline velocity per day"),
        m.pipeline_velocity_per_day.map_or("-".to_owned(), number),
        w.pick("가중 예측", "weighted forecast"),
        number(m.weighted_forecast),
    ));
    let default = playbook.default_language();
    let titles: Vec<String> = m
        .stages
        .0
        .iter()
        .map(|(id, _)| {
            playbook
                .stage(id)
                .map_or(id.clone(), |s| s.title_in(lang, default).to_owned())
        })
        .collect();
    let first = titles.iter().map(|t| width(t)).max().unwrap_or(5).max(5) + 2;
    let headers = [
        w.pick("진입", "entered"),
        w.pick("현재", "open"),
        w.pick("전환율", "conversion"),
        w.pick("체류일(평균 / 중앙값)", "days (mean / median)"),
        w.pick("정체", "stalled"),
        w.pick("기한 초과", "overdue"),
    ];
    out.push_str(&style.bold(&format!(
        "{}{}{}{}  {}{}{}\n",
        pad(w.pick("단계", "stage"), first),
        right(headers[0], 9),
        right(headers[1], 8),
        right(headers[2], 12),
        pad(headers[3], 22),
        right(headers[4], 9),
        right(headers[5], 10)
    )));
    let warn = |count: u64, columns: usize| {
        let text = right(&count.to_string(), columns);
        if count > 0 {
            style.yellow(&text)
        } else {
            text
        }
    };
    for ((_, s), title) in m.stages.0.iter().zip(&titles) {
        out.push_str(&format!(
            "{}{}{}{}  {}{}{}\n",
            pad(title, first),
            right(&s.entered.to_string(), 9),
            right(&s.open.to_string(), 8),
            right(&percent(s.conversion), 12),
            pad(&days(&s.days), 22),
            warn(s.stalled, 9),
            warn(s.overdue, 10),
        ));
    }
    let archived: Vec<String> = m
        .stages
        .0
        .iter()
        .zip(&titles)
        .filter(|((_, s), _)| s.archived > 0)
        .map(|((_, s), title)| format!("{title} {}", s.archived))
        .collect();
    if !archived.is_empty() {
        out.push_str(&format!(
            "\n{} {}\n",
            w.pick("보관된 거래의 단계:", "archived deals were in:"),
            archived.join(", ")
        ));
    }
    if !m.anomalies.is_empty() {
        out.push_str(&format!(
            "\n{}\n",
            style.yellow(w.pick(
                "이상 거래 (수치에서 제외):",
                "anomalies (left out of the figures):"
            ))
        ));
        for anomaly in &m.anomalies {
            out.push_str(&format!("  {}: {}\n", anomaly.deal, anomaly.problem));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::number;

    #[test]
    fn sums_are_printed_from_the_value_read() {
        assert_eq!(number(1e20), "100,000,000,000,000,000,000");
        assert_eq!(
            number(9_300_000_000_000_000_000.0),
            "9,300,000,000,000,000,000"
        );
        assert_eq!(number(-1234.5), "-1,234.5");
        assert_eq!(number(0.1 + 0.2), "0.3");
        assert_eq!(number(120_000.0), "120,000");
        assert_eq!(number(f64::INFINITY), "inf");
    }
}
