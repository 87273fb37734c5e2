//! The layers of the core point one way (ARCHITECTURE.md): this reads every `crate::…` and
//! `super::…` path in `src/` and fails when a module reaches into a layer above its own, when
//! CSV transfer and the Autotask client lean on each other, or when one of the store's table
//! modules calls a sibling table instead of the shared lookups and history recorder.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// The layers, lowest first; a module may use its own layer and those below.
const LAYERS: &[&[&str]] = &[
    &["error", "files", "paths", "secrets", "recent"],
    &["model"],
    &["store"],
    &["transfer", "autotask", "sample"],
];

/// Modules of one layer that may use another of that layer (the sample customers are written
/// as the exporter writes them).
const SIDEWAYS: &[(&str, &str)] = &[("sample", "transfer")];

/// The store's table modules: each may use only the handle (`Store`, connections, lookups) and
/// the history recorder — never another table.
const TABLES: &[&str] = &["admins", "customers", "groups", "jobs", "services", "users"];
/// What every store module may use: the handle and the one shared service.
const SHARED: &[&str] = &[
    "lookup",
    "history",
    "open",
    "migrate",
    "checkpoint",
    "search",
];

/// Names the crate root re-exports, and the module each comes from.
const ROOT: &[(&str, &str)] = &[("Error", "error"), ("Result", "error"), ("Store", "store")];

fn layer(module: &str) -> Option<usize> {
    LAYERS.iter().position(|l| l.contains(&module))
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The module path of a source file: `src/store/customers/mapping.rs` → store::customers::mapping.
fn module_of(src: &Path, file: &Path) -> Vec<String> {
    let rel = file.strip_prefix(src).unwrap().with_extension("");
    let mut parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if matches!(parts.last().map(String::as_str), Some("mod" | "lib")) {
        parts.pop();
    }
    parts
}

/// Every module path a line of code names, made absolute (`crate::a::b`, `super::super::c`).
fn references(module: &[String], line: &str) -> Vec<Vec<String>> {
    let code = line.split("//").next().unwrap_or("");
    let mut found = Vec::new();
    let bytes: Vec<char> = code.chars().collect();
    let text: String = bytes.iter().collect();
    for (at, _) in text.match_indices("crate::") {
        if at > 0 && (bytes[at - 1].is_alphanumeric() || bytes[at - 1] == '_') {
            continue;
        }
        let rest: Vec<String> = text[at + 7..]
            .split("::")
            .map(|s| {
                s.chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect()
            })
            .take_while(|s: &String| !s.is_empty())
            .collect();
        found.push(rest);
    }
    for (at, _) in text.match_indices("super::") {
        if at >= 2 && &text[at - 2..at] == "::" {
            continue; // the second `super` of a chain
        }
        let mut base = module.to_vec();
        let mut tail = &text[at..];
        while let Some(rest) = tail.strip_prefix("super::") {
            base.pop();
            tail = rest;
        }
        let next: String = tail
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        if !next.is_empty() {
            base.push(next);
        }
        found.push(base);
    }
    found
}

#[test]
fn every_module_uses_only_its_own_layer_and_those_below() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    files.sort();
    let mut wrong = BTreeSet::new();
    for file in &files {
        let module = module_of(&src, file);
        let Some(top) = module.first().cloned() else {
            continue; // lib.rs: the module list
        };
        let Some(own) = layer(&top) else {
            wrong.insert(format!("src/{top}: a top-level module no layer names"));
            continue;
        };
        let text = std::fs::read_to_string(file).unwrap();
        for line in text.lines() {
            if line.trim_start().starts_with("//") {
                continue;
            }
            for path in references(&module, line) {
                let Some(first) = path.first() else { continue };
                let target = ROOT
                    .iter()
                    .find(|(name, _)| name == first)
                    .map_or(first.as_str(), |(_, m)| *m);
                let Some(theirs) = layer(target) else {
                    continue; // a name inside the module (super::Item)
                };
                let sideways =
                    theirs == own && target != top && !SIDEWAYS.contains(&(top.as_str(), target));
                if theirs > own || (sideways && own == LAYERS.len() - 1) {
                    wrong.insert(format!(
                        "{}: uses {target} ({})",
                        file.strip_prefix(&src).unwrap().display(),
                        line.trim()
                    ));
                }
                // Inside the store: a table module uses no other table.
                if top == "store" && target == "store" && module.len() >= 2 {
                    let (me, other) = (&module[1], path.get(1));
                    if let Some(other) = other {
                        if TABLES.contains(&me.as_str())
                            && other != me
                            && TABLES.contains(&other.as_str())
                            && !SHARED.contains(&other.as_str())
                        {
                            wrong.insert(format!(
                                "{}: the table module {me} uses the table module {other} ({})",
                                file.strip_prefix(&src).unwrap().display(),
                                line.trim()
                            ));
                        }
                    }
                }
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "modules that reach up or sideways (ARCHITECTURE.md ▸ Layers):\n{}",
        wrong.into_iter().collect::<Vec<_>>().join("\n")
    );
}

/// The check above would pass on nothing: it must see references, and catch a wrong one.
#[test]
fn the_layer_check_reads_paths_as_the_compiler_does() {
    let module: Vec<String> = ["store", "customers", "mapping"].map(String::from).to_vec();
    let refs = references(
        &module,
        "use super::super::lookup::by_customer_id; use crate::transfer::RowError; // crate::x",
    );
    assert_eq!(
        refs,
        [
            vec!["transfer".to_owned(), "RowError".to_owned()],
            vec!["store".to_owned(), "lookup".to_owned()],
        ]
    );
    assert!(layer("transfer") > layer("store"));
    assert_eq!(layer("model"), Some(1));
}
