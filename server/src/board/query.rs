//! What a `GET /board` request asks for: the page size, one column's cursor, the filters and the
//! sort, read from its query parameters. An unknown parameter, a parameter given twice or a
//! value the board cannot take is refused (400, naming the parameter), never replaced by a
//! default.

use crate::reply::Reply;

/// The cards a column answers when the request does not say (`limit`).
pub const DEFAULT_LIMIT: usize = 50;
/// The most cards a column answers (`limit`).
pub const MAX_LIMIT: usize = 200;
/// The most cards asked for by id (`card`).
pub const MAX_CARDS: usize = 100;

/// The parameters `GET /board` takes (`lang` and `at` are read for every route).
const KNOWN: [&str; 14] = [
    "playbook", "lang", "at", "limit", "column", "cursor", "owner", "stage", "q", "stalled",
    "overdue", "approval", "sort", "card",
];

/// What a column is ordered by.
#[derive(Clone, Debug, PartialEq)]
pub enum SortKey {
    /// The deal's id.
    Id,
    /// The deal's value (the playbook's `value:` field).
    Value,
    /// Whole days in the column's stage.
    Days,
    /// A date or number field of the playbook.
    Field(String),
}

/// A column's order: a key and a direction. Deals without the key come last either way; deals
/// with the same key are in id order.
#[derive(Clone, Debug, PartialEq)]
pub struct Sort {
    /// What is compared.
    pub key: SortKey,
    /// Largest (or latest) first.
    pub descending: bool,
}

impl Sort {
    /// The sort as the `sort` parameter writes it: `value:desc`, `field:close_date:asc`.
    pub fn spelled(&self) -> String {
        let key = match &self.key {
            SortKey::Id => "id".to_owned(),
            SortKey::Value => "value".to_owned(),
            SortKey::Days => "days".to_owned(),
            SortKey::Field(name) => format!("field:{name}"),
        };
        format!("{key}:{}", if self.descending { "desc" } else { "asc" })
    }
}

/// Whose approvals a filter on approvals means.
#[derive(Clone, Debug, PartialEq)]
pub enum Approver {
    /// Anyone holding this role.
    Role(String),
    /// The caller (`approval=me`): one of their roles gives it, and the deal is not theirs (four
    /// eyes).
    Me,
}

/// Which deals the board shows.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Filter {
    /// Deals owned by this user (`me`: the caller).
    pub owner: Option<String>,
    /// Deals active in this stage.
    pub stage: Option<String>,
    /// A text found, whatever its case, in the deal's id, owner or a text field's value
    /// (lowercased).
    pub q: Option<String>,
    /// Deals stalled in a stage (`true`) or stalled in none (`false`).
    pub stalled: Option<bool>,
    /// Deals with an overdue task (`true`) or without one (`false`).
    pub overdue: Option<bool>,
    /// Deals waiting for an approval by this role, or by the caller.
    pub approval: Option<Approver>,
}

/// A `GET /board` request.
#[derive(Clone, Debug, PartialEq)]
pub struct BoardQuery {
    /// The playbook's id (else the only one loaded).
    pub playbook: Option<String>,
    /// Cards per column (0: only the columns' counts and sums).
    pub limit: usize,
    /// The one column answered, when given.
    pub column: Option<String>,
    /// Where that column's page starts: the `next` of its previous page.
    pub cursor: Option<String>,
    /// Which deals.
    pub filter: Filter,
    /// In which order.
    pub sort: Sort,
    /// Deals whose cards are answered besides the pages (a page refreshing what changed).
    pub cards: Vec<String>,
}

impl BoardQuery {
    /// Reads the query; a 400 naming the parameter when it cannot.
    pub fn read(query: &[(String, String)]) -> Result<BoardQuery, Reply> {
        for (index, (key, _)) in query.iter().enumerate() {
            if !KNOWN.contains(&key.as_str()) {
                return Err(Reply::bad_request(format!(
                    "`{key}` is not a parameter of the board; it takes {}",
                    KNOWN.join(", ")
                )));
            }
            let repeated = query[..index].iter().any(|(k, _)| k == key);
            if repeated && key != "card" {
                return Err(Reply::bad_request(format!("`{key}` is given twice")));
            }
        }
        let text = |key: &str| -> Result<Option<String>, Reply> {
            match query.iter().find(|(k, _)| k == key) {
                None => Ok(None),
                Some((_, value)) if value.trim().is_empty() => Err(Reply::bad_request(format!(
                    "`{key}` is empty: give a value or leave `{key}` out"
                ))),
                Some((_, value)) => Ok(Some(value.clone())),
            }
        };
        let limit = match text("limit")? {
            None => DEFAULT_LIMIT,
            Some(value) => match value.parse::<usize>() {
                Ok(limit) if limit <= MAX_LIMIT => limit,
                _ => {
                    return Err(Reply::bad_request(format!(
                        "`limit`: `{value}` is not a whole number from 0 to {MAX_LIMIT}"
                    )))
                }
            },
        };
        let column = text("column")?;
        let cursor = text("cursor")?;
        if cursor.is_some() && column.is_none() {
            return Err(Reply::bad_request(
                "`cursor` needs `column`: a cursor continues one column's page",
            ));
        }
        let cards: Vec<String> = query
            .iter()
            .filter(|(k, _)| k == "card")
            .map(|(_, v)| v.clone())
            .collect();
        if cards.len() > MAX_CARDS {
            return Err(Reply::bad_request(format!(
                "`card`: at most {MAX_CARDS} deals at once"
            )));
        }
        if cards.iter().any(|id| id.trim().is_empty()) {
            return Err(Reply::bad_request("`card` is empty: give a deal's id"));
        }
        Ok(BoardQuery {
            playbook: text("playbook")?,
            limit,
            column,
            cursor,
            filter: Filter {
                owner: text("owner")?,
                stage: text("stage")?,
                q: text("q")?.map(|q| q.to_lowercase()),
                stalled: yes_or_no(query, "stalled")?,
                overdue: yes_or_no(query, "overdue")?,
                approval: text("approval")?.map(|role| match role.as_str() {
                    "me" => Approver::Me,
                    _ => Approver::Role(role),
                }),
            },
            sort: match text("sort")? {
                None => Sort {
                    key: SortKey::Id,
                    descending: false,
                },
                Some(value) => sort(&value)?,
            },
            cards,
        })
    }
}

/// `true` or `false`; anything else is a 400 naming `key`.
fn yes_or_no(query: &[(String, String)], key: &str) -> Result<Option<bool>, Reply> {
    match query
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
    {
        None => Ok(None),
        Some("true") => Ok(Some(true)),
        Some("false") => Ok(Some(false)),
        Some(other) => Err(Reply::bad_request(format!(
            "`{key}`: `{other}` is neither `true` nor `false`"
        ))),
    }
}

/// `id`, `value`, `days` or `field:<name>`, then `:asc` (the default) or `:desc`.
fn sort(value: &str) -> Result<Sort, Reply> {
    let (key, descending) = match value.rsplit_once(':') {
        Some((key, "asc")) => (key, false),
        Some((key, "desc")) => (key, true),
        _ => (value, false),
    };
    let key = match key.split_once(':') {
        None => match key {
            "id" => SortKey::Id,
            "value" => SortKey::Value,
            "days" => SortKey::Days,
            _ => return Err(bad_sort(value)),
        },
        Some(("field", name)) if !name.is_empty() => SortKey::Field(name.to_owned()),
        Some(_) => return Err(bad_sort(value)),
    };
    Ok(Sort { key, descending })
}

fn bad_sort(value: &str) -> Reply {
    Reply::bad_request(format!(
        "`sort`: `{value}` is not a sort; write `id`, `value`, `days` or `field:<date or number field>`, then `:asc` or `:desc`"
    ))
}
