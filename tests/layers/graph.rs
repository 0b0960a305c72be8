//! A crate's module graph: each `.rs` file is a module, and module A imports module B when A's
//! file names B, or an item of B, by a path that starts with `crate`, `self`, `super`, a child
//! module, or a module brought in by `use`; in `use` trees and in code alike.
//!
//! A path resolves to the deepest module that exists, and a name re-exported by `pub use` to the
//! module that defines it (`crate::Playbook` to `model::playbook`), up to four hops. A module's use
//! of its own descendants is containment, not an import (a table of contents, `mod.rs` calling its
//! children); a child's use of its parent or siblings is an import. Paths into other crates are
//! not followed, the package's library named from `main.rs` included.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::fs;
use std::path::Path;

use crate::scan::{scan, Scan, Written};
use crate::tokens::tokens;

/// One `.rs` file of a crate: its path under the crate's source folder (`/` between folders) and
/// its text.
pub struct SourceFile {
    /// The path, as `engine/mod.rs`.
    pub path: String,
    /// The text.
    pub text: String,
}

/// A crate's modules and the imports between them.
#[derive(Debug, Default)]
pub struct Graph {
    /// Each module (`engine::evaluate`, `crate` for the root) with its files.
    pub modules: BTreeMap<String, Vec<String>>,
    /// Each import, from module to module, with the names taken as far as seen (none: the module
    /// alone).
    pub imports: BTreeMap<(String, String), BTreeSet<String>>,
}

/// The name of a module: its path, or `crate` for the root.
pub fn module_name(module: &[&str]) -> String {
    if module.is_empty() {
        "crate".to_string()
    } else {
        module.join("::")
    }
}

/// Every `.rs` file under `folder`, in a fixed order (a folder's files, then its subfolders, each
/// by name).
pub fn read_crate(folder: &Path) -> Result<Vec<SourceFile>, String> {
    let mut files = vec![];
    read_folder(folder, "", &mut files)?;
    Ok(files)
}

/// The `.rs` files under `folder`, their paths after `prefix`, added to `files`.
fn read_folder(folder: &Path, prefix: &str, files: &mut Vec<SourceFile>) -> Result<(), String> {
    let unreadable = |error: std::io::Error| format!("cannot read `{}`: {error}", folder.display());
    let mut entries = vec![];
    for entry in fs::read_dir(folder).map_err(unreadable)? {
        let entry = entry.map_err(unreadable)?;
        let name = entry.file_name().to_string_lossy().into_owned();
        entries.push((entry.file_type().map_err(unreadable)?.is_dir(), name));
    }
    entries.sort();
    for (is_folder, name) in &entries {
        if !is_folder && name.ends_with(".rs") {
            let bytes = fs::read(folder.join(name)).map_err(unreadable)?;
            let text = String::from_utf8_lossy(&bytes).into_owned();
            files.push(SourceFile {
                path: format!("{prefix}{name}"),
                text,
            });
        }
    }
    for (_, name) in entries.iter().filter(|(is_folder, _)| *is_folder) {
        read_folder(&folder.join(name), &format!("{prefix}{name}/"), files)?;
    }
    Ok(())
}

/// A module, as the names of its path (empty for the root).
type Module<'a> = Vec<&'a str>;

/// A file read: its module and what it says.
struct Read<'a> {
    module: Module<'a>,
    scan: Scan<'a>,
}

/// A name re-exported by `pub use`: the file that does it and the path it re-exports.
type Export<'a, 'f> = (usize, &'f Written<'a>);

/// The module graph of a crate's files.
pub fn graph(files: &[SourceFile]) -> Graph {
    let tokens: Vec<Vec<&str>> = files.iter().map(|file| tokens(&file.text)).collect();
    let mut read: Vec<Read> = files
        .iter()
        .zip(&tokens)
        .map(|(file, toks)| Read {
            module: module_of(&file.path),
            scan: scan(toks),
        })
        .collect();
    follow_path_attributes(files, &mut read);
    let crate_graph = CrateGraph::new(&read);
    let mut graph = Graph::default();
    for (index, (file, read)) in files.iter().zip(&read).enumerate() {
        let files = graph.modules.entry(module_name(&read.module)).or_default();
        files.push(file.path.clone());
        for ((from, to), names) in crate_graph.imports_of(index) {
            let key = (module_name(&from), module_name(&to));
            let taken = graph.imports.entry(key).or_default();
            taken.extend(names.into_iter().map(String::from));
        }
    }
    graph
}

/// The module a file is by its path: `lib.rs` and `main.rs` are the root, `a.rs` and `a/mod.rs`
/// are `a`, `a/b.rs` is `a::b`.
fn module_of(path: &str) -> Module<'_> {
    let mut module: Vec<&str> = path
        .strip_suffix(".rs")
        .unwrap_or(path)
        .split('/')
        .collect();
    if module.last() == Some(&"mod") || module == ["lib"] || module == ["main"] {
        module.pop();
    }
    module
}

/// `#[path = "x.rs"] mod m;` makes `x.rs` the declaring module's child `m`, shallow modules first.
fn follow_path_attributes<'a>(files: &'a [SourceFile], read: &mut [Read<'a>]) {
    let by_path: HashMap<&str, usize> = files
        .iter()
        .enumerate()
        .map(|(index, file)| (file.path.as_str(), index))
        .collect();
    let mut order: Vec<usize> = (0..read.len()).collect();
    order.sort_by_key(|&index| read[index].module.len());
    for index in order {
        let folder = files[index]
            .path
            .rsplit_once('/')
            .map_or("", |(folder, _)| folder);
        let mut moved = vec![];
        for declaration in &read[index].scan.declarations {
            let path = declaration.path.filter(|path| !path.is_empty());
            let Some(path) = path.filter(|_| declaration.inner.is_empty()) else {
                continue;
            };
            let target = normalize(&format!("{folder}/{path}"));
            if let Some(&target) = by_path.get(target.as_str()) {
                let mut module = read[index].module.clone();
                module.push(declaration.name);
                moved.push((target, module));
            }
        }
        for (target, module) in moved {
            read[target].module = module;
        }
    }
}

/// A path with `.` and `..` worked out, as `a/../b/./c.rs` is `b/c.rs`.
fn normalize(path: &str) -> String {
    let mut parts: Vec<&str> = vec![];
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." if parts.last().is_some_and(|last| *last != "..") => {
                parts.pop();
            }
            _ => parts.push(part),
        }
    }
    parts.join("/")
}

/// The crate's files read, with what resolving a path needs.
struct CrateGraph<'a, 'r> {
    files: &'r [Read<'a>],
    modules: HashSet<&'r [&'a str]>,
    exports: HashMap<Module<'a>, HashMap<&'a str, Export<'a, 'r>>>,
}

impl<'a, 'r> CrateGraph<'a, 'r> {
    fn new(files: &'r [Read<'a>]) -> Self {
        let modules = files.iter().map(|file| file.module.as_slice()).collect();
        let mut exports: HashMap<_, HashMap<_, _>> = HashMap::new();
        for (index, file) in files.iter().enumerate() {
            for import in &file.scan.imports {
                let Some(alias) = import.alias else { continue };
                if import.reexport && import.path.segments.last() != Some(&"*") {
                    let mut module = file.module.clone();
                    module.extend(&import.path.inner);
                    let reexports = exports.entry(module).or_default();
                    reexports.insert(alias, (index, &import.path));
                }
            }
        }
        CrateGraph {
            files,
            modules,
            exports,
        }
    }

    /// The imports of one file, by (from, to) module, with the names it takes.
    fn imports_of(&self, index: usize) -> BTreeMap<(Module<'a>, Module<'a>), BTreeSet<&'a str>> {
        let file = &self.files[index];
        let code = &file.scan.paths;
        let heads: HashSet<&str> = code.iter().map(|path| path.segments[0]).collect();
        let uses = file
            .scan
            .imports
            .iter()
            .map(|import| (&import.path, import.alias));
        let mut imports: BTreeMap<_, BTreeSet<_>> = BTreeMap::new();
        for (path, alias) in uses.chain(code.iter().map(|path| (path, None))) {
            let Some((to, name)) = self.resolve(index, path, 0) else {
                continue;
            };
            if !self.modules.contains(to.as_slice()) || to.starts_with(&file.module) {
                continue; // inside the crate's own module, or containment
            }
            if name.is_none() && alias.is_some_and(|alias| heads.contains(alias)) {
                continue; // a module alias: the paths through it give the imports
            }
            let names = imports.entry((file.module.clone(), to)).or_default();
            names.extend(name);
        }
        imports
    }

    /// The module a path names, and the item in it (none where the path names the module itself);
    /// nothing for a path outside the crate.
    fn resolve(
        &self,
        index: usize,
        path: &Written<'a>,
        hops: usize,
    ) -> Option<(Module<'a>, Option<&'a str>)> {
        let file = &self.files[index];
        let (&head, rest) = path.segments.split_first()?;
        let mut base: Module = file.module.iter().chain(&path.inner).copied().collect();
        match head {
            "crate" => base.clear(),
            "super" => {
                base.pop();
            }
            "self" => {}
            _ if file.scan.children.contains(head) => {
                base = file.module.clone();
                base.push(head);
            }
            _ => {
                let aliased = file.scan.aliases.get(head).filter(|_| hops < 4)?;
                match self.resolve(index, aliased, hops + 1)? {
                    (module, None) => base = module,
                    _ => return None, // the alias of an item: its `use` made the import
                }
            }
        }
        while !base.is_empty() && !self.modules.contains(base.as_slice()) {
            base.pop();
        }
        for (k, &segment) in rest.iter().enumerate() {
            let last = k + 1 == rest.len();
            let export = self
                .exports
                .get(base.as_slice())
                .and_then(|names| names.get(segment));
            if segment == "*" {
                return Some((base, Some(segment)));
            }
            if segment == "super" {
                base.pop();
                continue;
            }
            let mut child = base.clone();
            child.push(segment);
            if self.modules.contains(child.as_slice()) && !(last && export.is_some()) {
                base = child;
                continue;
            }
            let found = export
                .filter(|_| hops < 4)
                .and_then(|&(file, path)| self.resolve(file, path, hops + 1));
            match found {
                Some((module, None)) if !last => base = module, // a re-exported module
                Some((module, _)) => return Some((module, Some(segment))),
                None => return Some((base, Some(segment))),
            }
        }
        Some((base, None))
    }
}
