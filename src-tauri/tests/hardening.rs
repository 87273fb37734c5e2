//! The window's security settings, read from the built configuration: a strict content security
//! policy (no remote scripts, no inline script, nothing loaded from the network), capabilities
//! limited to what the screens use (events only: no shell, no file system, no dialogs from the
//! page — file paths come from the Rust side's native dialogs and drag-drop), and a UI that
//! contains no inline script, no event-handler attributes and no remote URL. Fails if any of
//! these loosens.

use serde_json::Value;
use std::path::{Path, PathBuf};

fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn json(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn config() -> Value {
    json(&manifest_dir().join("tauri.conf.json"))
}

/// Sources a directive may list; anything else (a host, `*`, `unsafe-*`, `data:` for scripts…)
/// fails the test.
const ALLOWED: &[(&str, &[&str])] = &[
    ("default-src", &["'self'"]),
    ("script-src", &["'self'"]),
    ("style-src", &["'self'"]),
    ("img-src", &["'self'", "data:"]),
    ("font-src", &["'self'"]),
    ("connect-src", &["ipc:", "http://ipc.localhost"]),
    ("object-src", &["'none'"]),
    ("base-uri", &["'none'"]),
    ("form-action", &["'none'"]),
    ("frame-src", &["'none'"]),
];

#[test]
fn the_content_security_policy_is_strict() {
    let config = config();
    let security = &config["app"]["security"];
    let csp = security["csp"].as_object().expect("a CSP as directives");
    for required in ["default-src", "script-src", "object-src", "base-uri"] {
        assert!(csp.contains_key(required), "the CSP sets {required}");
    }
    for (directive, sources) in csp {
        let allowed = ALLOWED
            .iter()
            .find(|(d, _)| d == directive)
            .unwrap_or_else(|| panic!("unexpected CSP directive {directive}"))
            .1;
        let sources = sources.as_str().expect("directive as a string");
        for source in sources.split_whitespace() {
            assert!(
                allowed.contains(&source),
                "CSP {directive} allows {source}; only {allowed:?} may be listed"
            );
        }
    }
    // Tauri adds hashes/nonces for its own bootstrap only when this stays off.
    for loosening in ["dangerousDisableAssetCspModification", "devCsp"] {
        assert!(security.get(loosening).is_none(), "{loosening} is set");
    }
    assert_eq!(security["freezePrototype"], Value::Bool(true));
    assert_eq!(config["app"]["withGlobalTauri"], Value::Bool(false));
}

#[test]
fn no_remote_content_is_loaded() {
    let config = config();
    assert_eq!(
        config["build"]["frontendDist"], "../ui",
        "the UI ships in ui/"
    );
    assert!(config["build"].get("devUrl").is_none(), "no dev server URL");
    for window in config["app"]["windows"].as_array().expect("windows") {
        if let Some(url) = window.get("url").and_then(Value::as_str) {
            assert!(!url.contains("://"), "window loads {url}");
        }
    }
    // No file of the UI names a remote address, an inline script or an event-handler attribute.
    let ui = manifest_dir().join("../ui");
    let mut files = vec![ui.clone()];
    let mut checked = 0;
    while let Some(path) = files.pop() {
        if path.is_dir() {
            files.extend(std::fs::read_dir(&path).unwrap().map(|e| e.unwrap().path()));
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        let name = path.display();
        checked += 1;
        for remote in ["http://", "https://", "//cdn", "ws://", "wss://"] {
            assert!(
                !text.contains(remote),
                "{name} names a remote address ({remote})"
            );
        }
        if path.extension().is_some_and(|e| e == "html") {
            for (i, tag) in text.match_indices("<script").map(|(i, _)| (i, &text[i..])) {
                let end = tag.find('>').expect("a closed tag");
                assert!(
                    tag[..end].contains(" src="),
                    "{name}: inline <script> at byte {i}"
                );
            }
            let lower = text.to_lowercase();
            for attr in [
                "onclick=",
                "onload=",
                "onerror=",
                "oninput=",
                "onchange=",
                "onsubmit=",
                "javascript:",
            ] {
                assert!(!lower.contains(attr), "{name} has {attr}");
            }
        } else if path.extension().is_some_and(|e| e == "js") {
            for risky in [
                "eval(",
                "new Function(",
                "innerHTML",
                "outerHTML",
                "insertAdjacentHTML",
                "document.write",
            ] {
                assert!(!text.contains(risky), "{name} uses {risky}");
            }
        }
    }
    assert!(checked >= 10, "the UI files were read");
}

#[test]
fn capabilities_allow_only_what_the_screens_use() {
    let dir = manifest_dir().join("capabilities");
    let mut permissions = Vec::new();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let cap = json(&path);
        assert!(
            cap.get("remote").is_none(),
            "{}: remote URLs get no IPC",
            path.display()
        );
        assert_eq!(
            cap["windows"],
            serde_json::json!(["main"]),
            "{}",
            path.display()
        );
        for p in cap["permissions"].as_array().expect("permissions") {
            permissions.push(p.as_str().expect("a permission name").to_owned());
        }
    }
    assert_eq!(
        permissions,
        ["core:event:default"],
        "the page may only listen to events; file paths come from native dialogs and drops \
         handled in Rust (no dialog, fs, shell, http or opener permission for the page)"
    );
}
