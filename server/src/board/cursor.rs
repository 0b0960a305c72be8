//! A column's cursor: where its next page starts, as an opaque string. It holds the column, the
//! sort it was given for, and the sort key and id of the page's last deal; the next page is the
//! deals after that one in the sort's order, so paging returns every deal once even while other
//! deals are added or moved.

use serde::{Deserialize, Serialize};

use super::query::Sort;
use crate::reply::Reply;

/// Where a column's next page starts.
#[derive(Debug, PartialEq, Serialize, Deserialize)]
pub struct Cursor {
    /// The column's stage.
    #[serde(rename = "c")]
    pub column: String,
    /// The sort, as `sort` spells it.
    #[serde(rename = "s")]
    pub sort: String,
    /// The last deal's sort key.
    #[serde(rename = "k")]
    pub key: Option<f64>,
    /// The last deal's id.
    #[serde(rename = "i")]
    pub id: String,
}

impl Cursor {
    /// The cursor after deal `id` (sort key `key`) in the column of `column`.
    pub fn new(column: &str, sort: &Sort, key: Option<f64>, id: &str) -> Cursor {
        Cursor {
            column: column.to_owned(),
            sort: sort.spelled(),
            key,
            id: id.to_owned(),
        }
    }

    /// The cursor as a request sends it back: hexadecimal digits.
    pub fn spelled(&self) -> String {
        let text = serde_json::to_string(self).unwrap_or_default();
        text.bytes().map(|b| format!("{b:02x}")).collect()
    }

    /// Reads `text` as a cursor of the column `column` sorted by `sort`; a 400 naming `cursor`
    /// otherwise.
    pub fn read(text: &str, column: &str, sort: &Sort) -> Result<Cursor, Reply> {
        let bytes: Option<Vec<u8>> = (text.len() % 2 == 0)
            .then(|| {
                (0..text.len())
                    .step_by(2)
                    .map(|i| {
                        text.get(i..i + 2)
                            .and_then(|h| u8::from_str_radix(h, 16).ok())
                    })
                    .collect()
            })
            .flatten();
        let cursor: Cursor = bytes
            .and_then(|bytes| serde_json::from_slice(&bytes).ok())
            .ok_or_else(|| {
                Reply::bad_request(
                    "`cursor` is not a cursor the board gave: send a column's `next` as it came",
                )
            })?;
        if cursor.column != column {
            return Err(Reply::bad_request(format!(
                "`cursor` continues the column `{}`, not `{column}`",
                cursor.column
            )));
        }
        if cursor.sort != sort.spelled() {
            return Err(Reply::bad_request(format!(
                "`cursor` was given for the sort `{}`, not `{}`: ask the column's first page again",
                cursor.sort,
                sort.spelled()
            )));
        }
        Ok(cursor)
    }
}
