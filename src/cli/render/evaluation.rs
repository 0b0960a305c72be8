//! An evaluation as text for people: stages, scores, moves and why the blocked ones are blocked.

use stagegate::{Blocker, Evaluation, Gate, MessageLanguage, Playbook, Reason};

use crate::cli::Style;

/// Words of the text output, in Korean or English.
struct Words(MessageLanguage);

impl Words {
    fn pick(&self, ko: &'static str, en: &'static str) -> &'static str {
        self.0.pick(ko, en)
    }

    fn gate(&self, gate: Gate) -> &'static str {
        match gate {
            Gate::Exit => self.pick("완료 조건", "exit gate"),
            Gate::Entry => self.pick("진입 조건", "entry gate"),
            Gate::When => self.pick("이동 조건", "move rule"),
            Gate::Permission => self.pick("권한", "permission"),
        }
    }

    fn kind(&self, kind: stagegate::MoveKind) -> &'static str {
        use stagegate::MoveKind::*;
        match kind {
            Advance => self.pick("전진", "advance"),
            Skip => self.pick("건너뛰기", "skip"),
            Return => self.pick("되돌아가기", "return"),
            Exit => self.pick("종료", "exit"),
        }
    }
}

/// The whole evaluation of one deal.
pub(crate) fn evaluation(ev: &Evaluation, playbook: &Playbook, lang: &str, style: Style) -> String {
    let words = Words(MessageLanguage::of(lang));
    let default = playbook.default_language();
    let title = |id: &str| {
        playbook
            .stage(id)
            .map_or(id.to_owned(), |s| s.title_in(lang, default).to_owned())
    };
    let mut out = String::new();
    let stages: Vec<String> = ev.stages.iter().map(|s| title(s)).collect();
    out.push_str(&format!(
        "{}  {}  {}\n",
        style.bold(ev.deal.as_deref().unwrap_or("(no id)")),
        style.cyan(&stages.join(" + ")),
        style.dim(&format!(
            "{} · {}",
            ev.playbook,
            super::time(playbook, &ev.at)
        ))
    ));
    for (card, score) in &ev.scores {
        let name = playbook.scorecard_title(card, lang).unwrap_or(card);
        let band = score
            .band
            .as_deref()
            .map_or(String::new(), |b| format!(" ({b})"));
        out.push_str(&format!(
            "  {} {}{}\n",
            style.bold(&format!("{name}:")),
            score.total,
            band
        ));
        let parts: Vec<String> = score
            .rules
            .iter()
            .map(|rule| {
                if rule.matched {
                    style
                        .green(&format!("+{} {}", rule.points, rule.id))
                        .replace("+-", "-")
                } else if !rule.missing.is_empty() {
                    style.dim(&format!(
                        "· {} ({} {})",
                        rule.id,
                        words.pick("값 없음:", "missing"),
                        rule.missing.join(", ")
                    ))
                } else if let Some(error) = &rule.error {
                    style.red(&format!("! {} ({error})", rule.id))
                } else {
                    style.dim(&format!("· {}", rule.id))
                }
            })
            .collect();
        if !parts.is_empty() {
            out.push_str(&format!("    {}\n", parts.join("  ")));
        }
    }
    let several = ev.stages.len() > 1;
    for check in &ev.transitions {
        let target = if several {
            format!("{} → {}", title(&check.from), title(&check.to))
        } else {
            format!("→ {}", title(&check.to))
        };
        let fork = if check.fork {
            words.pick(", 분기", ", fork")
        } else {
            ""
        };
        let by = if check.by.is_empty() {
            String::new()
        } else {
            format!(
                " · {} {}",
                words.pick("가능한 역할:", "by"),
                check.by.join(", ")
            )
        };
        let kind = style.dim(&format!("({}{fork}){by}", words.kind(check.kind)));
        if check.allowed {
            out.push_str(&format!("  {} {target} {kind}\n", style.green("✓")));
        } else {
            out.push_str(&format!("  {} {target} {kind}\n", style.red("✗")));
            out.push_str(&blockers(&check.blockers, lang, style, 6));
        }
    }
    out.push_str(&super::next_steps::next_steps(ev, playbook, lang, style));
    out
}

/// Blockers, one per line, with the parts of `all`, `any` and `not` indented under them.
pub(crate) fn blockers(list: &[Blocker], lang: &str, style: Style, indent: usize) -> String {
    let words = Words(MessageLanguage::of(lang));
    let mut out = String::new();
    for blocker in list {
        let roles = blocker.roles.join(", ");
        let name = match blocker.gate {
            // Who may: the roles, which the message names by their titles.
            Gate::Permission => roles.as_str(),
            _ => blocker
                .criterion
                .as_deref()
                .or(blocker.activity.as_deref())
                .unwrap_or("?"),
        };
        // What is missing is named even when the criterion's own message does not say it.
        let reason = match blocker.reason {
            Reason::Failed => String::new(),
            Reason::MissingField if !blocker.fields.is_empty() => format!(
                " [{} {}]",
                words.pick("값 없음:", "missing:"),
                blocker.fields.join(", ")
            ),
            Reason::MissingField => words.pick(" [값 없음]", " [missing field]").to_owned(),
            Reason::MissingActivity if !blocker.activities.is_empty() => format!(
                " [{} {}]",
                words.pick("활동 미완료:", "not done:"),
                blocker.activities.join(", ")
            ),
            Reason::MissingActivity => words
                .pick(" [활동 미완료]", " [activity not done]")
                .to_owned(),
            Reason::Error => words.pick(" [오류]", " [error]").to_owned(),
            Reason::Forbidden => words.pick(" [권한 없음]", " [forbidden]").to_owned(),
            Reason::ApprovalMissing => format!(
                " [{} {}]",
                words.pick("승인 필요:", "approval needed:"),
                blocker.roles.join(", ")
            ),
        };
        let mut line = format!(
            "{}{} {}{}: {}",
            " ".repeat(indent),
            style.dim(words.gate(blocker.gate)),
            style.bold(name),
            style.red(&reason),
            blocker.message.as_deref().unwrap_or_default()
        );
        if let Some(error) = &blocker.error {
            if !line.contains(error.as_str()) {
                line.push_str(&style.red(&format!(" ({error})")));
            }
        }
        if !blocker.values.is_empty() {
            let read: Vec<String> = blocker
                .values
                .iter()
                .map(|(k, v)| format!("{k} = {v}"))
                .collect();
            line.push_str(&style.dim(&format!(
                "  ({} {})",
                words.pick("읽은 값:", "read"),
                read.join(", ")
            )));
        }
        out.push_str(&line);
        out.push('\n');
        out.push_str(&blockers(&blocker.because, lang, style, indent + 4));
    }
    out
}
