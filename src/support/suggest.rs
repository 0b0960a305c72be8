//! "Did you mean" suggestions and lists of names for messages.

/// The closest of `known` to `name`, when it is close enough to be a likely typo.
pub(crate) fn closest<'a, I>(name: &str, known: I) -> Option<&'a str>
where
    I: IntoIterator<Item = &'a str>,
{
    let length = name.chars().count();
    if length < 3 {
        return None;
    }
    let limit = length.div_ceil(3);
    known
        .into_iter()
        .map(|candidate| (distance(name, candidate), candidate))
        .filter(|(d, _)| *d <= limit)
        .min_by(|(da, a), (db, b)| da.cmp(db).then_with(|| a.cmp(b)))
        .map(|(_, candidate)| candidate)
}

/// `did you mean `x`?` for the closest known name, if any.
pub(crate) fn did_you_mean<'a, I>(name: &str, known: I) -> Option<String>
where
    I: IntoIterator<Item = &'a str>,
{
    closest(name, known).map(|candidate| format!("did you mean `{candidate}`?"))
}

/// `` `a`, `b` or `c` ``: one of these.
pub(crate) fn list<S: AsRef<str>>(names: &[S]) -> String {
    joined(names, "or")
}

/// `` `a`, `b` and `c` ``: all of these.
pub(crate) fn list_all<S: AsRef<str>>(names: &[S]) -> String {
    joined(names, "and")
}

/// The first few of `names` (all `total` of them are meant): `` `a`, `b`, `c` and 7 more ``.
pub(crate) fn list_first<S: AsRef<str>>(names: &[S], total: usize) -> String {
    const SHOWN: usize = 5;
    if total <= SHOWN && names.len() == total {
        return list_all(names);
    }
    let shown = &names[..names.len().min(SHOWN)];
    let quoted: Vec<String> = shown.iter().map(|n| format!("`{}`", n.as_ref())).collect();
    format!("{} and {} more", quoted.join(", "), total - shown.len())
}

fn joined<S: AsRef<str>>(names: &[S], word: &str) -> String {
    let quoted: Vec<String> = names.iter().map(|n| format!("`{}`", n.as_ref())).collect();
    match quoted.split_last() {
        None => "nothing".to_owned(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} {word} {last}", rest.join(", ")),
    }
}

/// Edit distance over characters, where swapping two neighbours counts as one edit.
fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (d[i - 1][j] + 1)
                .min(d[i][j - 1] + 1)
                .min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(d[i - 2][j - 2] + 1);
            }
            d[i][j] = best;
        }
    }
    d[a.len()][b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_the_nearest_name() {
        let known = ["qualification", "needs_analysis", "closing"];
        assert_eq!(closest("qualifcation", known), Some("qualification"));
        assert_eq!(closest("xyz", known), None);
        assert_eq!(closest("titel", ["title", "id"]), Some("title"));
        assert_eq!(list(&["a", "b", "c"]), "`a`, `b` or `c`");
    }
}
