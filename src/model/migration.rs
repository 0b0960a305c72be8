//! How deals of an older version of a playbook map onto a newer one (`migrations:`).

/// How deals of one older version map onto a playbook (one entry of its `migrations:`). Ids it
/// does not list keep their name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Migration {
    /// The older version.
    pub from: u64,
    /// Stages renamed or removed: old id, id in the newer version.
    pub stages: Vec<(String, String)>,
    /// Activities renamed or removed: old id, id in the newer version (`None`: dropped).
    pub activities: Vec<(String, Option<String>)>,
    /// Fields renamed or removed: old name, name in the newer version (`None`: dropped).
    pub fields: Vec<(String, Option<String>)>,
}

impl Migration {
    pub(crate) fn stage<'a>(&'a self, old: &'a str) -> &'a str {
        self.stages
            .iter()
            .find(|(from, _)| from == old)
            .map_or(old, |(_, to)| to.as_str())
    }

    pub(crate) fn renamed<'a>(
        list: &'a [(String, Option<String>)],
        old: &'a str,
    ) -> Option<&'a str> {
        match list.iter().find(|(from, _)| from == old) {
            Some((_, to)) => to.as_deref(),
            None => Some(old),
        }
    }
}
