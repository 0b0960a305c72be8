//! Roles and permissions: who may make a move, force a blocked one, or take a transition.

use crate::support::text::Text;

/// The built-in role every deal gives its owner (`owner:` on the deal).
pub const OWNER: &str = "owner";

/// A role a playbook declares (`roles:`): an id people are given, with a title.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct Role {
    /// The role's id (`manager`).
    pub id: String,
    /// Its title, in the playbook's languages.
    pub title: Option<Text>,
}

/// Who may do what (`permissions:`); `None` means anyone, as without the key.
#[derive(Clone, Debug, Default, PartialEq)]
#[non_exhaustive]
pub struct Permissions {
    /// Roles that may make an allowed move.
    pub moves: Option<Vec<String>>,
    /// Roles that may force a blocked move.
    pub force: Option<Vec<String>>,
    /// Roles that may open deals (`None`: every role).
    pub create: Option<Vec<String>>,
    /// Roles that may import deals in any stage or with a history (`None`: those of `force`).
    pub import: Option<Vec<String>>,
    /// Roles that may change deals (`None`: the owner and the roles of `force`).
    pub edit: Option<Vec<String>>,
    /// Roles that may give a deal another owner (`None`: those of `edit`).
    pub owner: Option<Vec<String>>,
    /// Roles that may archive and unarchive (`None`: the owner and the roles of `force`).
    pub archive: Option<Vec<String>>,
}

impl Role {
    /// The role's title in `lang` (falling back to `default`), or its id when it has none.
    pub fn title_in<'a>(&'a self, lang: &str, default: &str) -> &'a str {
        self.title
            .as_ref()
            .map_or(self.id.as_str(), |title| title.get(lang, default))
    }
}
