//! The engine's words for changes that are no moves (creating, importing, editing, archiving),
//! in Korean or English.

/// `true` when `lang` asks for Korean.
fn korean(lang: &str) -> bool {
    super::lang::MessageLanguage::of(lang).is_korean()
}

/// What someone tried that needs a role.
pub(crate) enum Act<'a> {
    /// Opening a deal.
    Create,
    /// Creating a deal in another stage or with a history of its own.
    Import,
    /// Changing a field (its title).
    Field(&'a str),
    /// Ticking or unticking an activity (its title).
    Activity(&'a str),
    /// Giving the deal another owner.
    Owner,
    /// Archiving or unarchiving.
    Archive,
    /// Asking for an approval.
    RequestApproval,
}

/// Only people with one of `roles` (their titles) may do `act`.
pub(crate) fn not_allowed(lang: &str, roles: &[String], act: &Act<'_>) -> String {
    if korean(lang) {
        let what = match act {
            Act::Create => "딜 생성".to_owned(),
            Act::Import => "다른 단계나 자체 이력을 가진 딜 생성(가져오기)".to_owned(),
            Act::Field(title) => format!("{title} 변경"),
            Act::Activity(title) => format!("{title} 완료 표시 변경"),
            Act::Owner => "딜 담당자 변경".to_owned(),
            Act::Archive => "딜 보관 및 보관 해제".to_owned(),
            Act::RequestApproval => "이 딜의 승인 요청".to_owned(),
        };
        format!("{what}은(는) {}만 할 수 있습니다", roles.join(", "))
    } else {
        let what = match act {
            Act::Create => "open a deal".to_owned(),
            Act::Import => {
                "create a deal in another stage or with a history of its own (an import)".to_owned()
            }
            Act::Field(title) => format!("change {title}"),
            Act::Activity(title) => format!("tick or untick {title}"),
            Act::Owner => "give the deal another owner".to_owned(),
            Act::Archive => "archive or unarchive the deal".to_owned(),
            Act::RequestApproval => "ask for an approval on the deal".to_owned(),
        };
        format!("only {} may {what}", roles.join(" or "))
    }
}

/// A forced move met approvals it may never go past: each `(criterion, role title)`.
pub(crate) fn not_forceable(lang: &str, approvals: &[(String, String)]) -> String {
    let listed: Vec<String> = approvals
        .iter()
        .map(|(criterion, role)| {
            if korean(lang) {
                format!("`{criterion}` ({role}의 승인)")
            } else {
                format!("`{criterion}` (approval by {role})")
            }
        })
        .collect();
    if korean(lang) {
        format!(
            "강제 이동도 승인을 대신할 수 없습니다: {}; 승인을 받은 뒤 이동하세요",
            listed.join(", ")
        )
    } else {
        format!(
            "a forced move never goes past an approval: {}; get the approval, then move",
            listed.join(", ")
        )
    }
}

/// The deal is archived (by whom, when, why) and refuses `what`.
pub(crate) fn archived(lang: &str, by: &str, at: &str, reason: &str) -> String {
    if korean(lang) {
        format!("이 딜은 {at}에 {by}님이 보관했습니다 ({reason}); 먼저 보관을 해제하세요")
    } else {
        format!("the deal was archived by {by} at {at} ({reason}); unarchive it first")
    }
}

/// Why a new deal asks for an import: what it brings beyond a start stage.
pub(crate) enum Beyond<'a> {
    /// Another stage than these start stages (their titles).
    Stage(&'a [&'a str]),
    /// A history of its own.
    History,
    /// Approvals.
    Approvals,
    /// Tasks.
    Tasks,
    /// An archive.
    Archived,
}

/// What a new deal asks for beyond opening, in words.
pub(crate) fn beyond_opening(lang: &str, beyond: &Beyond<'_>) -> String {
    match (korean(lang), beyond) {
        (true, Beyond::Stage(titles)) => {
            format!("새 딜은 {}에서 시작합니다", titles.join(" 또는 "))
        }
        (false, Beyond::Stage(titles)) => format!("a new deal starts in {}", titles.join(" or ")),
        (true, Beyond::History) => "새 딜의 이력은 생성 기록 하나입니다".to_owned(),
        (false, Beyond::History) => "a new deal's history is its creation".to_owned(),
        (true, Beyond::Approvals) => "승인은 승인자가 딜에서 직접 합니다".to_owned(),
        (false, Beyond::Approvals) => "approvals are given on the deal by approvers".to_owned(),
        (true, Beyond::Tasks) => "할 일은 딜이 들어가는 단계가 정합니다".to_owned(),
        (false, Beyond::Tasks) => "tasks are set by the stages a deal enters".to_owned(),
        (true, Beyond::Archived) => "새 딜은 보관된 상태일 수 없습니다".to_owned(),
        (false, Beyond::Archived) => "a new deal is not archived".to_owned(),
    }
}
