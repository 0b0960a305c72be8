//! The engine's words for asking for an approval: why a request is refused, and the notification
//! the approving role receives, in Korean or English.

/// `true` when `lang` asks for Korean.
fn korean(lang: &str) -> bool {
    super::lang::MessageLanguage::of(lang).is_korean()
}

/// `criterion` is asked for in `stages` (their titles) and the deal is in `active` (theirs).
pub(crate) fn not_in_stage(
    lang: &str,
    criterion: &str,
    stages: &[&str],
    active: &[&str],
) -> String {
    if korean(lang) {
        format!(
            "`{criterion}` 승인은 {}에서 필요하고 이 딜은 {}에 있습니다: 그 단계에서만 요청할 수 있습니다",
            stages.join(", "),
            active.join(", ")
        )
    } else {
        format!(
            "`{criterion}` is asked for in {}, and the deal is in {}: it can be asked for only there",
            stages.join(" or "),
            active.join(" and ")
        )
    }
}

/// The deal holds an approval of `criterion` by `by` at `at` that still counts.
pub(crate) fn already_approved(lang: &str, criterion: &str, by: &str, at: &str) -> String {
    if korean(lang) {
        format!("`{criterion}`은(는) 이미 {at}에 {by}님이 승인했고 그 승인은 유효합니다: 다시 요청할 필요가 없습니다")
    } else {
        format!("`{criterion}` is already approved by {by} at {at}, and the approval still counts: there is nothing to ask for")
    }
}

/// `criterion` is needed only when its rule (`source`) holds, and it does not now.
pub(crate) fn not_needed(lang: &str, criterion: &str, source: &str) -> String {
    if korean(lang) {
        format!(
            "`{criterion}` 승인은 지금 필요하지 않습니다: 조건 `{source}`이(가) 성립하지 않습니다"
        )
    } else {
        format!("`{criterion}` is not needed now: it is asked for only when `{source}` holds, and it does not")
    }
}

/// What the approving role (`role`, its title) is told: `by` asks for `criterion` on `deal`, why
/// (`why`, the criterion's message), with the asker's `note`.
pub(crate) fn requested(
    lang: &str,
    by: Option<&str>,
    role: &str,
    deal: &str,
    why: &str,
    note: Option<&str>,
) -> String {
    let mut message = match (korean(lang), by) {
        (true, Some(by)) => format!("{by}님이 {deal} 딜의 {role} 승인을 요청했습니다: {why}"),
        (true, None) => format!("{deal} 딜에 {role} 승인이 요청되었습니다: {why}"),
        (false, Some(by)) => format!("{by} asks {role} for an approval on {deal}: {why}"),
        (false, None) => format!("an approval by {role} is asked for on {deal}: {why}"),
    };
    if let Some(note) = note {
        message.push_str(&if korean(lang) {
            format!(" (메모: {note})")
        } else {
            format!(" (note: {note})")
        });
    }
    message
}
