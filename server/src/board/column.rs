//! One column of the board: the deals of the filter active in its stage, in the sort's order;
//! its count, the sum of their values and the sum weighted by the stage's probability (over
//! every such deal, not only the page), and one page of them from a cursor.

use std::cmp::Ordering;

use serde_json::{json, Value};
use stagegate::contract::OutlineStage;

use super::cursor::Cursor;
use super::entry::Entry;
use super::query::{Sort, SortKey};

/// A column's answer and the deals on its page.
pub struct Column<'e, 'a> {
    /// The column as answered: its stage, count, sums, the ids of its page and `next`.
    pub answer: Value,
    /// The deals on its page, in order.
    pub page: Vec<&'e Entry<'a>>,
}

/// The column of `stage` over `entries` (the deals passing the filter): the page of at most
/// `limit` deals after `after` (from the first without).
pub fn column<'e, 'a>(
    stage: &OutlineStage,
    entries: &[&'e Entry<'a>],
    sort: &Sort,
    after: Option<&Cursor>,
    limit: usize,
) -> Column<'e, 'a> {
    let mut here: Vec<(Option<f64>, &'e Entry<'a>)> = entries
        .iter()
        .filter(|entry| entry.is_in(&stage.id))
        .map(|entry| (entry.key(&sort.key, &stage.id), *entry))
        .collect();
    here.sort_by(|a, b| order(sort, (a.0, a.1.id), (b.0, b.1.id)));
    let sum: f64 = here.iter().filter_map(|(_, entry)| entry.value).sum();
    let start = after.map_or(0, |cursor| {
        here.partition_point(|(key, entry)| {
            order(sort, (*key, entry.id), (cursor.key, &cursor.id)) != Ordering::Greater
        })
    });
    let page: Vec<(Option<f64>, &'e Entry<'a>)> =
        here.iter().skip(start).take(limit).copied().collect();
    let next = match page.last() {
        Some((key, last)) if start + page.len() < here.len() => {
            Some(Cursor::new(&stage.id, sort, *key, last.id).spelled())
        }
        _ => None,
    };
    let answer = json!({
        "id": stage.id,
        "title": stage.title,
        "max_days": stage.max_days,
        "probability": stage.probability,
        "count": here.len(),
        "sum": number(sum),
        "weighted": stage.probability.map(|p| number(sum * p)),
        "deals": page.iter().map(|(_, entry)| entry.id).collect::<Vec<_>>(),
        "next": next,
    });
    Column {
        answer,
        page: page.into_iter().map(|(_, entry)| entry).collect(),
    }
}

/// The order of two deals `(key, id)` in a column: by key in the sort's direction, a deal
/// without a key after every deal with one, then by id (in the sort's direction when sorting by
/// id, else ascending).
fn order(sort: &Sort, a: (Option<f64>, &str), b: (Option<f64>, &str)) -> Ordering {
    let by_key = match (a.0, b.0) {
        (Some(x), Some(y)) if sort.descending => y.total_cmp(&x),
        (Some(x), Some(y)) => x.total_cmp(&y),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    };
    by_key.then_with(|| {
        if sort.key == SortKey::Id && sort.descending {
            b.1.cmp(a.1)
        } else {
            a.1.cmp(b.1)
        }
    })
}

/// A sum as JSON: a whole number when it is one, else rounded to cents.
fn number(sum: f64) -> Value {
    if sum.fract() == 0.0 && sum.abs() < 9e15 {
        json!(sum as i64)
    } else {
        json!((sum * 100.0).round() / 100.0)
    }
}
