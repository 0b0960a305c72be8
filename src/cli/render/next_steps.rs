//! Warnings and next steps as text: the engine's warnings as it words them; then, for each
//! active stage, its guidance, the key fields to fill, the activities to do and the approvals to
//! get. Times are shown in the playbook's time zone.

use stagegate::{Effect, EffectKind, Evaluation, MessageLanguage, Playbook, Trigger};

use crate::cli::Style;

/// The warnings and next steps of an evaluation, indented under the deal.
pub(crate) fn next_steps(ev: &Evaluation, playbook: &Playbook, lang: &str, style: Style) -> String {
    let words = MessageLanguage::of(lang);
    let default = playbook.default_language();
    let title = |id: &str| {
        playbook
            .stage(id)
            .map_or(id.to_owned(), |s| s.title_in(lang, default).to_owned())
    };
    let field = |id: &str| {
        playbook
            .fields()
            .iter()
            .find(|f| f.id == id)
            .and_then(|f| f.title.as_ref())
            .map_or(id.to_owned(), |t| t.get(lang, default).to_owned())
    };
    let mut out = String::new();
    for warning in &ev.warnings {
        // The library words every warning in the engine's language.
        let text = &warning.message;
        out.push_str(&format!("  {} {text}\n", style.yellow("!")));
    }
    for steps in &ev.next_steps {
        out.push_str(&format!(
            "  {} {}\n",
            style.bold(words.pick("다음 할 일", "next steps")),
            style.cyan(&title(&steps.stage))
        ));
        if let Some(guidance) = &steps.guidance {
            out.push_str(&format!("    {}\n", style.dim(guidance)));
        }
        if !steps.key_fields.is_empty() {
            let names: Vec<String> = steps.key_fields.iter().map(|f| field(f)).collect();
            out.push_str(&format!(
                "    {} {}\n",
                words.pick("입력할 값:", "fill in:"),
                names.join(", ")
            ));
        }
        for activity in &steps.activities {
            let when = match (
                activity.due.as_deref().map(|t| super::time(playbook, t)),
                activity.overdue_days,
            ) {
                (Some(due), Some(days)) => style.red(&format!(
                    " ({} {due}, {days}{})",
                    words.pick("기한", "due"),
                    words.pick("일 초과", " days overdue")
                )),
                (Some(due), None) => format!(" ({} {due})", words.pick("기한", "due")),
                _ => String::new(),
            };
            out.push_str(&format!("    □ {}{when}\n", activity.title));
        }
        for approval in &steps.approvals {
            let message = approval.message.as_deref().unwrap_or(&approval.criterion);
            out.push_str(&format!("    ✎ {} ({})\n", message, approval.criterion));
        }
    }
    out
}

/// A move's effects, one per line, for people: "task Discovery call for yoon, due ..." (times in
/// `playbook`'s time zone).
pub(crate) fn effects(list: &[Effect], playbook: &Playbook, lang: &str, style: Style) -> String {
    let words = MessageLanguage::of(lang);
    let mut out = String::new();
    for effect in list {
        let who = effect
            .assignee
            .clone()
            .or_else(|| effect.role.as_ref().map(|r| format!("role {r}")))
            .unwrap_or_default();
        let on = match effect.on {
            Trigger::Enter => words.pick("진입", "entering"),
            Trigger::Exit => words.pick("이탈", "leaving"),
            Trigger::Request => words.pick("승인 요청:", "approval asked for in"),
        };
        let forced = if effect.forced {
            words.pick(", 강제 이동", ", forced move")
        } else {
            ""
        };
        let line = match effect.kind {
            EffectKind::Task => format!(
                "{} {} → {who}, {} {} ({on} {}{forced})",
                style.green(words.pick("할 일:", "task:")),
                effect.message.as_deref().unwrap_or_default(),
                words.pick("기한", "due"),
                effect
                    .due
                    .as_deref()
                    .map_or("?".to_owned(), |t| super::time(playbook, t)),
                effect.stage
            ),
            EffectKind::Notify => format!(
                "{} {who}: {} ({on} {}{forced})",
                style.cyan(words.pick("알림:", "notify:")),
                effect.message.as_deref().unwrap_or_default(),
                effect.stage
            ),
            // A kind this command does not know yet: shown as the library gives it.
            _ => serde_json::to_string(effect).unwrap_or_default(),
        };
        out.push_str(&line);
        out.push('\n');
    }
    out
}
