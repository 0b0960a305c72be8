//! Files given where deals were expected: a CSV export, a playbook.

use super::DealProblem;

/// What the file is instead, when a text that did not read as a deal is in fact a CSV export
/// (only its first text is looked at) or a playbook.
pub(super) fn misplaced(
    file: &str,
    index: usize,
    text: &str,
    tree: Option<&serde_json::Value>,
) -> Option<DealProblem> {
    if tree.is_some_and(is_playbook) {
        return Some(DealProblem::Playbook(file.to_owned()));
    }
    if index == 1 && (has_csv_name(file) || starts_like_csv(text)) {
        return Some(DealProblem::CsvExport(file.to_owned()));
    }
    None
}

/// A YAML or JSON tree with the keys every playbook has.
fn is_playbook(tree: &serde_json::Value) -> bool {
    tree.get("stagegate").is_some() && tree.get("stages").is_some()
}

fn has_csv_name(file: &str) -> bool {
    std::path::Path::new(file)
        .extension()
        .is_some_and(|extension| extension.eq_ignore_ascii_case("csv"))
}

/// The first line with content reads as a row of comma-separated headers, not as YAML.
fn starts_like_csv(text: &str) -> bool {
    let Some(first) = text
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty() && !l.starts_with('#'))
    else {
        return false;
    };
    first.contains(',')
        && !first.ends_with(':')
        && !first.contains(": ")
        && !first.starts_with(['-', '{', '[', '&', '*', '!', '|', '>'])
}

#[cfg(test)]
mod tests {
    use super::starts_like_csv;

    #[test]
    fn headers_read_as_csv_and_yaml_does_not() {
        assert!(starts_like_csv(
            "Deal ID,Deal Stage,Amount\nD-1,Qualify,100\n"
        ));
        assert!(starts_like_csv("\"Deal ID\",\"Stage\"\n"));
        assert!(!starts_like_csv("id: D-1\nfields: {a: 1, b: 2}\n"));
        assert!(!starts_like_csv("- {id: D-1}\n"));
        assert!(!starts_like_csv("just words\n"));
    }
}
