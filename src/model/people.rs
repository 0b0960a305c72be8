//! Naming a person as an actor of a playbook: a real id, and roles the playbook declares.

use super::{Playbook, OWNER};

impl Playbook {
    /// Whether a person `id` holding `roles` can be named as an actor of this playbook: an id
    /// that is not blank, and roles it declares, each once. `owner` is no role one holds: the
    /// deal's `owner:` is. The error says what to write instead.
    ///
    /// # Example
    ///
    /// ```
    /// let playbook = stagegate::Playbook::load("playbooks/b2b-sales.yaml").unwrap();
    /// assert!(playbook.check_actor("kim", &["manager".to_owned()]).is_ok());
    /// assert_eq!(
    ///     playbook.check_actor("kim", &["manger".to_owned()]).unwrap_err(),
    ///     "role `manger` is not declared in the playbook (did you mean `manager`?)"
    /// );
    /// assert!(playbook.check_actor("kim", &["owner".to_owned()]).unwrap_err().contains("its `owner:`"));
    /// ```
    pub fn check_actor(&self, id: &str, roles: &[String]) -> Result<(), String> {
        if id.trim().is_empty() || id.trim() != id {
            return Err(format!(
                "the actor's id `{id}` is blank or has spaces around it: give the person's id"
            ));
        }
        for (i, role) in roles.iter().enumerate() {
            if role == OWNER {
                return Err("`owner` is not a role one holds: the deal's owner is the person its `owner:` names".to_owned());
            }
            if role.contains(',') {
                return Err(format!(
                    "`{role}` names several roles: give each on its own (repeat --role)"
                ));
            }
            if roles[..i].contains(role) {
                return Err(format!("role `{role}` is given twice"));
            }
            if !self.roles.iter().any(|r| r.id == *role) {
                let known: Vec<&str> = self.roles.iter().map(|r| r.id.as_str()).collect();
                let help = crate::support::suggest::did_you_mean(role, known.iter().copied())
                    .or_else(|| match known.as_slice() {
                        [] => Some("it declares no roles".to_owned()),
                        _ => Some(format!(
                            "its roles are {}",
                            crate::support::suggest::list_all(&known)
                        )),
                    });
                return Err(format!(
                    "role `{role}` is not declared in the playbook{}",
                    help.map_or_else(String::new, |h| format!(" ({h})"))
                ));
            }
        }
        Ok(())
    }
}
