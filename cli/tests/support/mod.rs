//! What the command line's test binaries share: running `clientbook` as a process of its own —
//! with the environment and standard input a test gives it — and reading what it printed.

#![allow(dead_code)]

use std::ffi::OsStr;
use std::io::Write;
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};

/// Runs the `clientbook` command line on `db` with `args`, as a process of its own.
pub fn clientbook(db: &Path, args: &[&str]) -> Output {
    Cli::on(db, args).output()
}

/// The `clientbook` command line to run as a process of its own: its arguments, and as a test
/// needs, the database, environment variables and what standard input holds.
pub struct Cli {
    command: Command,
    stdin: Option<Vec<u8>>,
}

impl Cli {
    /// `clientbook args…`.
    pub fn new(args: &[&str]) -> Cli {
        Cli::with_db(None, args)
    }

    /// `clientbook --db db args…`.
    pub fn on(db: &Path, args: &[&str]) -> Cli {
        Cli::with_db(Some(db), args)
    }

    fn with_db(db: Option<&Path>, args: &[&str]) -> Cli {
        let mut command = Command::new(env!("CARGO_BIN_EXE_clientbook"));
        if let Some(db) = db {
            command.arg("--db").arg(db);
        }
        command.args(args);
        Cli {
            command,
            stdin: None,
        }
    }

    /// `args…` after those it has.
    pub fn args(mut self, args: &[&str]) -> Cli {
        self.command.args(args);
        self
    }

    /// Sets the environment variable `key` to `value`.
    pub fn env(mut self, key: impl AsRef<OsStr>, value: impl AsRef<OsStr>) -> Cli {
        self.command.env(key, value);
        self
    }

    /// Sets each (variable, value) of `vars`.
    pub fn envs<'a>(mut self, vars: impl IntoIterator<Item = &'a (&'a str, &'a str)>) -> Cli {
        self.command.envs(vars.into_iter().copied());
        self
    }

    /// Removes the environment variable `key` (one this process may have).
    pub fn env_remove(mut self, key: impl AsRef<OsStr>) -> Cli {
        self.command.env_remove(key);
        self
    }

    /// Standard input holds `text` and then ends (without: it is empty from the start).
    pub fn stdin(mut self, text: &str) -> Cli {
        self.stdin = Some(text.as_bytes().to_vec());
        self
    }

    /// Starts it, with its standard output and error piped for the test to read: for a test
    /// that signals it, or reads it, while it runs.
    pub fn spawn(mut self) -> Child {
        let stdin = if self.stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        };
        let mut child = self
            .command
            .stdin(stdin)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("run clientbook");
        if let Some(text) = self.stdin.take() {
            child
                .stdin
                .take()
                .expect("stdin")
                .write_all(&text)
                .expect("write stdin");
        }
        child
    }

    /// Runs it to its end: its exit status and what it printed.
    pub fn output(self) -> Output {
        self.spawn()
            .wait_with_output()
            .expect("wait for clientbook")
    }

    /// The process to start, for what the test sets up itself (resource limits, where its
    /// output goes); `stdin` is not for this.
    pub fn command(self) -> Command {
        self.command
    }

    /// Ctrl+C (SIGINT) ends the process as at a terminal, even when the tests themselves run
    /// where it is ignored (a shell's background job), which the process would inherit.
    #[cfg(unix)]
    pub fn interruptible(mut self) -> Cli {
        use std::os::unix::process::CommandExt;
        // SAFETY: signal(2) is async-signal-safe; between fork and exec it only resets the
        // disposition of SIGINT for the child.
        unsafe {
            self.command.pre_exec(|| {
                libc::signal(libc::SIGINT, libc::SIG_DFL);
                Ok(())
            });
        }
        self
    }
}

/// What `o` printed on standard output, as text.
pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// What `o` printed on standard error, as text.
pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// `o`, after asserting that it exited 0 (else the assertion says its exit code and stderr).
pub fn ok(o: Output) -> Output {
    assert!(
        o.status.success(),
        "exit {:?}: {}",
        o.status.code(),
        stderr(&o)
    );
    o
}

/// The JSON `o` printed on standard output, after asserting that it exited 0.
pub fn json(o: Output) -> serde_json::Value {
    let o = ok(o);
    serde_json::from_str(&stdout(&o)).expect("JSON on stdout")
}

/// Asserts that `o` exited with `code` and that its standard error says `said`.
pub fn assert_fails(o: &Output, code: i32, said: &str) {
    assert_eq!(o.status.code(), Some(code), "{}", stderr(o));
    assert!(stderr(o).contains(said), "{}", stderr(o));
}

/// Asserts that the JSON object `v` has exactly the keys `keys` (in any order).
pub fn assert_keys(v: &serde_json::Value, keys: &[&str]) {
    let mut have: Vec<String> = v.as_object().expect("object").keys().cloned().collect();
    have.sort();
    let mut want: Vec<String> = keys.iter().map(|k| (*k).to_owned()).collect();
    want.sort();
    assert_eq!(have, want);
}

/// Asserts that `o`'s standard output says `said`.
pub fn assert_prints(o: &Output, said: &str) {
    assert!(stdout(o).contains(said), "{}", stdout(o));
}

/// Asserts that the JSON object `v` has each key of the object `expected` with its value (and
/// whatever else it has).
pub fn assert_fields(v: &serde_json::Value, expected: serde_json::Value) {
    for (key, want) in expected.as_object().expect("an object of expected fields") {
        assert_eq!(&v[key], want, "{key} of {v}");
    }
}
