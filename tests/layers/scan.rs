//! What one file says about modules: the modules it declares, its `use` lines, the paths its code
//! names, and the names its `use` lines bring in.

use std::collections::{HashMap, HashSet};

/// A path as written (`crate::deal::Deal`), and the inline modules (`mod tests { … }`) it stands
/// in, outermost first.
#[derive(Clone, Debug)]
pub struct Written<'a> {
    /// The inline modules around the path.
    pub inner: Vec<&'a str>,
    /// The path's names, `crate`, `self` and `super` included.
    pub segments: Vec<&'a str>,
}

/// One name a `use` line brings in: `use a::{b, c as d};` has two.
#[derive(Clone, Debug)]
pub struct Import<'a> {
    /// The full path of the name.
    pub path: Written<'a>,
    /// The name it is known by in the file (`d`); none for a glob.
    pub alias: Option<&'a str>,
    /// `pub use` or `pub(…) use`: the name is re-exported.
    pub reexport: bool,
}

/// A `mod name;` line: the module is another file.
#[derive(Clone, Debug)]
pub struct Declaration<'a> {
    /// The inline modules the line stands in.
    pub inner: Vec<&'a str>,
    /// The declared module's name.
    pub name: &'a str,
    /// Its `#[path = "…"]`, if any.
    pub path: Option<&'a str>,
}

/// Everything one file says about modules.
#[derive(Debug, Default)]
pub struct Scan<'a> {
    /// The modules in other files the file declares at its top level (`mod x;`).
    pub children: HashSet<&'a str>,
    /// Its `mod x;` lines, at any depth.
    pub declarations: Vec<Declaration<'a>>,
    /// The names its `use` lines bring in.
    pub imports: Vec<Import<'a>>,
    /// The paths of two names or more its code names (`crate::engine::Evaluator::new`).
    pub paths: Vec<Written<'a>>,
    /// Each name a `use` line brings in, with the path it stands for (the last line wins).
    pub aliases: HashMap<&'a str, Written<'a>>,
}

/// What the file of these tokens says about modules.
pub fn scan<'a>(toks: &[&'a str]) -> Scan<'a> {
    let mut reader = Reader {
        toks,
        found: Scan::default(),
        braces: vec![],
        attributes: vec![],
        inline: None,
    };
    let mut i = 0;
    while i < toks.len() {
        i = reader.token(i) + 1;
    }
    reader.found
}

/// A file's tokens being read, and what was found.
struct Reader<'a, 't> {
    toks: &'t [&'a str],
    found: Scan<'a>,
    /// The inline module each open `{` belongs to, if any.
    braces: Vec<Option<&'a str>>,
    /// The attributes of the item being read.
    attributes: Vec<&'t [&'a str]>,
    /// The inline module whose `{` comes next.
    inline: Option<&'a str>,
}

impl<'a> Reader<'a, '_> {
    /// The token at `k`, or nothing past the end.
    fn at(&self, k: usize) -> &'a str {
        if k < self.toks.len() {
            self.toks[k]
        } else {
            ""
        }
    }

    /// The inline modules around the token being read, outermost first.
    fn inner(&self) -> Vec<&'a str> {
        self.braces.iter().flatten().copied().collect()
    }

    /// Reads the token at `i` and what belongs to it; gives the index of the last token read.
    fn token(&mut self, i: usize) -> usize {
        let t = self.toks[i];
        match t.as_bytes().first() {
            Some(b'#') => self.attribute(i),
            Some(b'{') => {
                self.braces.push(self.inline.take());
                self.attributes.clear();
                i
            }
            Some(b'}' | b';') => {
                if t == "}" {
                    self.braces.pop();
                }
                self.attributes.clear();
                i
            }
            Some(b'm') if t == "mod" => self.declaration(i),
            Some(b'u') if t == "use" => self.use_line(i),
            _ => self.code_path(i),
        }
    }

    /// An attribute, `#[…]` (kept for the item it stands before) or `#![…]`.
    fn attribute(&mut self, i: usize) -> usize {
        let inner = self.at(i + 1) == "!";
        if self.at(i + 1 + usize::from(inner)) != "[" {
            return i;
        }
        let mut j = i + 1 + usize::from(inner);
        let mut depth = 0;
        while j < self.toks.len() {
            depth += i32::from(self.toks[j] == "[") - i32::from(self.toks[j] == "]");
            if depth == 0 {
                break;
            }
            j += 1;
        }
        if !inner {
            self.attributes.push(&self.toks[i + 2..j]);
        }
        j
    }

    /// `mod name;` (a module in another file, at its `#[path]` if any) or `mod name { … }`.
    fn declaration(&mut self, i: usize) -> usize {
        let (name, after) = (self.at(i + 1), self.at(i + 2));
        if !is_ident(name) || after.is_empty() {
            return self.code_path(i);
        }
        if after == ";" {
            let path = self
                .attributes
                .iter()
                .find_map(|attribute| match attribute {
                    ["path", "=", literal, ..] => literal.get(1..),
                    _ => None,
                });
            let inner = self.inner();
            if inner.is_empty() {
                self.found.children.insert(name);
            }
            self.found
                .declarations
                .push(Declaration { inner, name, path });
        }
        self.inline = (after == "{").then_some(name);
        i + 1
    }

    /// A `use` line: every name it brings in.
    fn use_line(&mut self, i: usize) -> usize {
        let toks = self.toks;
        let end = (i..toks.len())
            .find(|&k| toks[k] == ";")
            .unwrap_or(toks.len());
        let prev = if i > 0 { toks[i - 1] } else { "" };
        // `pub use`, or `pub(crate) use` and the like (only those put `)` before `use`)
        let reexport =
            prev == "pub" || prev == ")" && toks[i.saturating_sub(12)..i].contains(&"pub");
        let mut tree = toks[i + 1..end].to_vec();
        tree.extend([";", ";"]);
        let mut leaves = vec![];
        // A tree this reading does not follow (in a macro, say) keeps what was read of it.
        let _ = use_tree(&tree, 0, &[], &mut leaves);
        for (segments, alias) in leaves {
            let path = Written {
                inner: self.inner(),
                segments,
            };
            if let Some(alias) = alias.filter(|alias| *alias != "_") {
                self.found.aliases.insert(alias, path.clone());
            }
            self.found.imports.push(Import {
                path,
                alias,
                reexport,
            });
        }
        end - 1
    }

    /// A path of two names or more in code (`crate::engine::Evaluator::new`), not a member's.
    fn code_path(&mut self, i: usize) -> usize {
        let t = self.toks[i];
        if self.at(i + 1) != "::" || !is_ident(t) || i > 0 && matches!(self.toks[i - 1], "::" | ".")
        {
            return i;
        }
        let mut segments = vec![t];
        let mut j = i + 1;
        while self.at(j) == "::" && is_ident(self.at(j + 1)) {
            segments.push(self.toks[j + 1]);
            j += 2;
        }
        if segments.len() > 1 {
            let inner = self.inner();
            self.found.paths.push(Written { inner, segments });
        }
        j - 1
    }
}

/// Whether a token is a name (keywords included), not punctuation, a number or a literal.
pub fn is_ident(token: &str) -> bool {
    match token.as_bytes().first() {
        Some(b'a'..=b'z' | b'A'..=b'Z' | b'_') => true,
        Some(0x80..) => token.chars().next().is_some_and(char::is_alphabetic),
        _ => false,
    }
}

/// One name of a `use` tree: its full path, and the name it goes by (none for a glob).
type Leaf<'a> = (Vec<&'a str>, Option<&'a str>);

/// Reads the `use` tree at `toks[i]` under `prefix` into its leaves; gives the index after it,
/// or nothing where the tree runs out or takes a shape this reading does not know.
fn use_tree<'a>(
    toks: &[&'a str],
    mut i: usize,
    prefix: &[&'a str],
    out: &mut Vec<Leaf<'a>>,
) -> Option<usize> {
    let mut segments = prefix.to_vec();
    // The path before the last name (`$crate::` in a macro too).
    while matches!(*toks.get(i)?, "::" | "$") || *toks.get(i + 1)? == "::" {
        if is_ident(toks[i]) {
            segments.push(toks[i]);
        }
        i += 1;
    }
    let (t, renamed) = (toks[i], *toks.get(i + 1)? == "as");
    if t == "{" {
        i += 1;
        while !matches!(*toks.get(i)?, "}" | ";") {
            let after = use_tree(toks, i, &segments, out)?;
            if after == i {
                return None;
            }
            i = after + usize::from(*toks.get(after)? == ",");
        }
        return Some(i + 1);
    }
    if t != "*" && !is_ident(t) {
        return Some(i);
    }
    let alias = match (t, renamed) {
        ("*", _) => None,
        (_, true) => Some(*toks.get(i + 2)?),
        _ => Some(t),
    };
    if t == "self" && !segments.is_empty() {
        // `a::{self}` is `a`.
        let alias = if alias == Some("self") {
            segments.last().copied()
        } else {
            alias
        };
        out.push((segments, alias));
    } else {
        segments.push(t);
        out.push((segments, alias));
    }
    Some(i + if renamed { 3 } else { 1 })
}

#[cfg(test)]
mod tests {
    use super::scan;
    use crate::tokens::tokens;

    fn imports(text: &str) -> Vec<(String, Option<&str>)> {
        let toks = tokens(text);
        let found = scan(&toks);
        let imports = found.imports.iter();
        imports
            .map(|import| (import.path.segments.join("::"), import.alias))
            .collect()
    }

    #[test]
    fn use_trees_give_every_name() {
        let found = imports("pub(crate) use crate::{a::{self, B as C}, d::*, e::f::G};");
        let expected = [
            ("crate::a".to_string(), Some("a")),
            ("crate::a::B".to_string(), Some("C")),
            ("crate::d::*".to_string(), None),
            ("crate::e::f::G".to_string(), Some("G")),
        ];
        assert_eq!(found, expected);
    }

    #[test]
    fn paths_in_code_and_declarations() {
        let text = "#[path = \"x_tests.rs\"]\nmod tests;\nmod inline { fn f() { crate::engine::Evaluator::new(a.b::c()); } }";
        let toks = tokens(text);
        let found = scan(&toks);
        let declared = &found.declarations[0];
        assert_eq!(
            (declared.name, declared.path),
            ("tests", Some("x_tests.rs"))
        );
        let paths: Vec<_> = found
            .paths
            .iter()
            .map(|p| (p.inner.clone(), p.segments.join("::")))
            .collect();
        assert_eq!(
            paths,
            [(vec!["inline"], "crate::engine::Evaluator::new".to_string())]
        );
        assert!(found.children.contains("tests") && !found.children.contains("inline"));
    }
}
