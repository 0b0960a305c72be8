//! The engine's own explanations, for criteria that carry no `message`, in Korean or English.

/// `true` when `lang` asks for Korean.
fn korean(lang: &str) -> bool {
    super::lang::MessageLanguage::of(lang).is_korean()
}

fn joined(names: &[String]) -> String {
    names.join(", ")
}

pub(crate) fn fields_missing(lang: &str, names: &[String]) -> String {
    if korean(lang) {
        format!("필요한 값이 없습니다: {}", joined(names))
    } else {
        format!("missing {}", joined(names))
    }
}

/// A move only people with one of `roles` (their titles) may make.
pub(crate) fn forbidden(lang: &str, roles: &[String], forcing: bool) -> String {
    let (ko_roles, en_roles) = (roles.join(", "), roles.join(" or "));
    match (korean(lang), forcing) {
        (true, false) => format!("이 이동은 {ko_roles}만 할 수 있습니다"),
        (true, true) => format!("막힌 이동을 강제로 진행하는 것은 {ko_roles}만 할 수 있습니다"),
        (false, false) => format!("only {en_roles} may make this move"),
        (false, true) => format!("only {en_roles} may force a move"),
    }
}

/// Why an approval criterion does not hold; `role` is the approving role's title.
pub(crate) enum ApprovalNeed<'a> {
    /// Nobody approved yet.
    Missing,
    /// The deal's owner approved (four eyes: they may not).
    ByOwner(&'a str),
    /// The person moving approved (four eyes: they may not).
    ByMover(&'a str),
    /// Given by someone as another role (who, the role written).
    OtherRole(&'a str, &'a str),
    /// Written without the values it was given for.
    NoValues(&'a str),
    /// The values it was given for changed (field or score, then, now).
    Changed(&'a str, &'a str, &'a str),
}

/// An approval a move still needs.
pub(crate) fn approval_needed(lang: &str, role: &str, need: &ApprovalNeed<'_>) -> String {
    if korean(lang) {
        match need {
            ApprovalNeed::Missing => format!("{role}의 승인이 필요합니다"),
            ApprovalNeed::ByOwner(by) => format!(
                "거래 담당자({by})가 직접 승인할 수 없습니다: 다른 {role}의 승인이 필요합니다"
            ),
            ApprovalNeed::ByMover(by) => format!(
                "승인한 사람({by})이 직접 이동할 수 없습니다: 다른 {role}의 승인이 필요합니다"
            ),
            ApprovalNeed::Changed(name, then, now) => format!(
                "승인 후 {name} 값이 {then}에서 {now}(으)로 바뀌었습니다: {role}의 승인이 다시 필요합니다"
            ),
            ApprovalNeed::OtherRole(by, other) => format!(
                "{by}님의 승인은 {other} 역할로 기록되어 있습니다: {role}의 승인이 필요합니다"
            ),
            ApprovalNeed::NoValues(by) => format!(
                "{by}님의 승인에 승인한 값(values)이 없습니다: {role}의 승인이 다시 필요합니다"
            ),
        }
    } else {
        match need {
            ApprovalNeed::Missing => format!("needs approval by {role}"),
            ApprovalNeed::ByOwner(by) => format!(
                "approved by the deal's owner ({by}), who may not approve their own deal: needs approval by someone else with the role {role}"
            ),
            ApprovalNeed::ByMover(by) => format!(
                "approved by {by}, who is making the move: needs approval by someone else with the role {role}"
            ),
            ApprovalNeed::Changed(name, then, now) => format!(
                "approved when {name} was {then}; it is now {now}: needs approval by {role} again"
            ),
            ApprovalNeed::OtherRole(by, other) => format!(
                "approved by {by} as `{other}`: needs approval by {role}"
            ),
            ApprovalNeed::NoValues(by) => format!(
                "approved by {by} without the values it was given for: needs approval by {role} again"
            ),
        }
    }
}

/// Why someone may not give an approval: they lack the role (`owner` is `None`), or they own
/// the deal (`owner` names them). `role` is the approving role's title.
pub(crate) fn approval_refused(
    lang: &str,
    criterion: &str,
    role: &str,
    owner: Option<&str>,
) -> String {
    match (korean(lang), owner) {
        (true, None) => format!("`{criterion}`은(는) {role}만 승인할 수 있습니다"),
        (true, Some(by)) => format!(
            "{by}님은 이 딜의 담당자라서 직접 승인할 수 없습니다(4-eyes): 다른 {role}이(가) `{criterion}`을(를) 승인해야 합니다"
        ),
        (false, None) => format!("only {role} may approve `{criterion}`"),
        (false, Some(by)) => format!(
            "{by} owns the deal and may not approve it (four eyes): someone else with the role {role} must approve `{criterion}`"
        ),
    }
}

/// A value that is not there, in a sentence about values ("was not given").
pub(crate) fn absent(lang: &str) -> &'static str {
    if korean(lang) {
        "(없음)"
    } else {
        "not given"
    }
}

/// The built-in role `owner`, as messages name it.
pub(crate) fn owner_role(lang: &str) -> &'static str {
    if korean(lang) {
        "거래 담당자"
    } else {
        "the deal's owner"
    }
}

pub(crate) fn activities_missing(lang: &str, names: &[String]) -> String {
    if korean(lang) {
        format!("완료되지 않은 활동: {}", joined(names))
    } else {
        format!("not done yet: {}", joined(names))
    }
}

pub(crate) fn required_activity(lang: &str, name: &str) -> String {
    if korean(lang) {
        format!("필수 활동이 완료되지 않았습니다: {name}")
    } else {
        format!("required activity not done: {name}")
    }
}

pub(crate) fn condition_failed(lang: &str, source: &str) -> String {
    if korean(lang) {
        format!("조건이 충족되지 않았습니다: {}", source.trim())
    } else {
        format!("condition not met: {}", source.trim())
    }
}

pub(crate) fn script_error(lang: &str, error: &str) -> String {
    if korean(lang) {
        format!("규칙을 실행하지 못했습니다: {error}")
    } else {
        format!("the rule could not run: {error}")
    }
}

/// `at least 70`, `at most 30`, `between 40 and 70`.
fn bounds(lang: &str, min: Option<String>, max: Option<String>) -> String {
    match (min, max, korean(lang)) {
        (Some(min), Some(max), true) => format!("{min} 이상 {max} 이하"),
        (Some(min), None, true) => format!("{min} 이상"),
        (None, Some(max), true) => format!("{max} 이하"),
        (Some(min), Some(max), false) => format!("between {min} and {max}"),
        (Some(min), None, false) => format!("at least {min}"),
        (None, Some(max), false) => format!("at most {max}"),
        (None, None, _) => String::new(),
    }
}

pub(crate) fn score_out(
    lang: &str,
    card: &str,
    total: i64,
    min: Option<f64>,
    max: Option<f64>,
) -> String {
    let wanted = bounds(lang, min.map(number), max.map(number));
    if korean(lang) {
        format!("{card} {total}점: {wanted}이어야 합니다")
    } else {
        format!("{card} is {total}, needs {wanted}")
    }
}

pub(crate) fn band_out(
    lang: &str,
    card: &str,
    band: Option<&str>,
    min: Option<&str>,
    max: Option<&str>,
) -> String {
    let band = band.unwrap_or("-");
    let wanted = bounds(lang, min.map(str::to_owned), max.map(str::to_owned));
    if korean(lang) {
        format!("{card} 등급 {band}: {wanted}이어야 합니다")
    } else {
        format!("{card} band is {band}, needs {wanted}")
    }
}

pub(crate) fn must_not_hold(lang: &str) -> String {
    if korean(lang) {
        "이 조건은 충족되지 않아야 합니다".to_owned()
    } else {
        "this must not hold".to_owned()
    }
}

pub(crate) fn none_held(lang: &str) -> String {
    if korean(lang) {
        "다음 중 어느 것도 충족되지 않았습니다".to_owned()
    } else {
        "none of these holds".to_owned()
    }
}

pub(crate) fn some_failed(lang: &str) -> String {
    if korean(lang) {
        "다음 조건이 충족되지 않았습니다".to_owned()
    } else {
        "these do not hold".to_owned()
    }
}

/// A number without a needless `.0`.
pub(crate) fn number(value: f64) -> String {
    if value.fract() == 0.0 && value.abs() < 1e15 {
        format!("{}", value as i64)
    } else {
        format!("{value}")
    }
}

/// A `stalled` warning: `days` in the stage `stage` (its title), or without activity there when
/// `since_activity`, beyond its `max` days.
pub(crate) fn stalled(
    lang: &str,
    stage: &str,
    days: i64,
    max: u32,
    since_activity: bool,
) -> String {
    match (korean(lang), since_activity) {
        (true, false) => format!("{stage}에 {days}일째 머물러 있습니다 (기준 {max}일)"),
        (true, true) => format!("{stage}에서 {days}일째 활동이 없습니다 (기준 {max}일)"),
        (false, false) => format!("stalled: {days} days in {stage} (max {max})"),
        (false, true) => format!("stalled: no activity for {days} days in {stage} (max {max})"),
    }
}

/// An `overdue` warning: the task to do `activity` (its title) was due at `due` (as shown),
/// `days` days ago.
pub(crate) fn overdue(lang: &str, activity: &str, days: i64, due: &str) -> String {
    if korean(lang) {
        format!("기한 초과 {days}일: {activity} (기한 {due})")
    } else {
        let unit = if days == 1 { "day" } else { "days" };
        format!("overdue by {days} {unit}: {activity} (due {due})")
    }
}

/// A `history-off-playbook` warning: history entry `index` moved from stage `from` to stage
/// `to` (their titles) at `at` (as shown), which no declared transition allows.
pub(crate) fn history_off_playbook(
    lang: &str,
    index: usize,
    from: &str,
    to: &str,
    at: &str,
) -> String {
    if korean(lang) {
        format!(
            "이력 {index}번 항목({at})은 {from}에서 {to}(으)로 이동했지만 플레이북에 그런 전환이 없습니다: 강제 이동이나 가져온 기록으로 표시되지도 않았습니다"
        )
    } else {
        format!(
            "history entry {index} moves from {from} to {to} ({at}), which no transition of the playbook allows; it is marked neither forced nor imported"
        )
    }
}

/// An `archived` warning: `by` archived the deal at `at` (as shown) for `reason`.
pub(crate) fn archived(lang: &str, by: &str, at: &str, reason: &str) -> String {
    if korean(lang) {
        format!("보관된 딜입니다: {by}님이 {at}에 보관함 (사유: {reason})")
    } else {
        format!("archived by {by} at {at}: {reason}")
    }
}

/// Titles as one of them: "A", "A or B", "A, B or C" (Korean: "A, B 또는 C").
pub(crate) fn one_of(lang: &str, titles: &[String]) -> String {
    let or = if korean(lang) { "또는" } else { "or" };
    match titles.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} {or} {last}", rest.join(", ")),
    }
}

/// Where a deal may move from each of `sources`: a stage's title and the titles of the stages
/// its declared transitions lead to, in plain words: "from Discovery a deal moves to Proposal or
/// Lost" (Korean: "Discovery에서는 Proposal 또는 Lost(으)로 이동할 수 있습니다").
pub(crate) fn ways_out(lang: &str, sources: &[(String, Vec<String>)]) -> String {
    let clauses: Vec<String> = sources
        .iter()
        .map(|(from, to)| {
            let to_list = one_of(lang, to);
            match (korean(lang), to.len()) {
                (true, 0) => format!("{from}에서는 더 이동할 수 없습니다"),
                (true, 1) => format!("{from}에서는 {to_list}(으)로만 이동할 수 있습니다"),
                (true, _) => format!("{from}에서는 {to_list}(으)로 이동할 수 있습니다"),
                (false, 0) => format!("a deal does not move on from {from}"),
                (false, 1) => format!("from {from} a deal moves only to {to_list}"),
                (false, _) => format!("from {from} a deal moves to {to_list}"),
            }
        })
        .collect();
    clauses.join(if korean(lang) { ". " } else { "; " })
}

/// The refusal of a move that no declared transition allows, from the stages `from` (titles) to
/// `to` (its title), `already` when the deal is in `to` already; `ways` from [`ways_out`]:
/// "There is no way from Discovery to Legal & procurement: from Discovery a deal moves to
/// Proposal or Lost."
pub(crate) fn no_way(lang: &str, from: &[String], to: &str, already: bool, ways: &str) -> String {
    let from = one_of(lang, from);
    match (korean(lang), already) {
        (true, true) => format!("이미 {to} 단계에 있습니다. {ways}."),
        (true, false) => format!("{from}에서 {to}(으)로 가는 길이 없습니다. {ways}."),
        (false, true) => format!("The deal is already in {to}: {ways}."),
        (false, false) => format!("There is no way from {from} to {to}: {ways}."),
    }
}
