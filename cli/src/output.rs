//! What the command line prints and reads at the terminal: standard output held until a command
//! has succeeded (never half a list), every text written terminal-safe, JSON, clipped table
//! cells, and one line read from standard input (a password, a secret).

use clientbook::Error;
use std::io::{BufWriter, Write};
use std::path::PathBuf;

/// Standard output, held back until the command has done its work and then printed whole: a
/// command that fails prints nothing there (never half a list, nor a JSON array without its
/// end). `flush` prints what is held (a report that comes before the failure it explains). Up to
/// 32 MiB is held in memory, the rest in a temporary file.
pub struct Spool {
    held: tempfile::SpooledTempFile,
}

impl Spool {
    pub fn new() -> Spool {
        Spool {
            held: tempfile::SpooledTempFile::new(32 << 20),
        }
    }
}

impl Write for Spool {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.held.write(buf)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        use std::io::{Seek, SeekFrom};
        self.held.seek(SeekFrom::Start(0))?;
        let stdout = std::io::stdout();
        let mut stdout = BufWriter::with_capacity(1 << 16, stdout.lock());
        std::io::copy(&mut self.held, &mut stdout)?;
        stdout.flush()?;
        self.held.set_len(0)?;
        self.held.seek(SeekFrom::Start(0))?;
        Ok(())
    }
}

/// Writes `s` with every character that could steer a terminal written as `\uXXXX`
/// ([`printable`](clientbook::model::text::printable)): the text holds names, comments and
/// answers from files and servers.
pub fn write_out(out: &mut impl Write, s: &str) -> Result<(), Error> {
    let s = clientbook::model::text::printable(s);
    out.write_all(s.as_bytes()).map_err(io_error)
}

pub fn write_json(out: &mut impl Write, value: &impl serde::Serialize) -> Result<(), Error> {
    let text = serde_json::to_string_pretty(value).unwrap_or_default();
    write_out(out, &format!("{text}\n"))
}

/// A list as `--json` asks: with it one JSON array of `item_json`'s values (`|item| item` for
/// the items as they serialize), without it one line of text for each item (`line` ends it with
/// its newline).
pub fn write_list<'a, T, J: serde::Serialize>(
    out: &mut impl Write,
    json: bool,
    items: &'a [T],
    item_json: impl Fn(&'a T) -> J,
    line: impl Fn(&T) -> String,
) -> Result<(), Error> {
    if json {
        let values: Vec<J> = items.iter().map(item_json).collect();
        return write_json(out, &values);
    }
    for item in items {
        write_out(out, &line(item))?;
    }
    Ok(())
}

pub fn io_error(source: std::io::Error) -> Error {
    Error::Io {
        action: "write to",
        path: PathBuf::from("standard output"),
        source,
    }
}

pub fn clip(s: &str, width: usize) -> String {
    if s.chars().count() <= width {
        s.to_owned()
    } else {
        let mut t: String = s.chars().take(width - 1).collect();
        t.push('…');
        t
    }
}

pub fn list_or_none(items: &[String]) -> String {
    if items.is_empty() {
        "(none)".to_owned()
    } else {
        items.join(", ")
    }
}

/// One line of stdin, without its line ending. A terminal is first shown `prompt` (e.g.
/// "Password for jane") on stderr; `action` words a read error ("read the password from").
pub fn read_stdin_line(prompt: &str, action: &'static str) -> Result<String, Error> {
    use std::io::IsTerminal;
    if std::io::stdin().is_terminal() {
        eprint!("{prompt} (one line; pipe it in to keep it off the screen): ");
    }
    let mut line = String::new();
    std::io::stdin()
        .read_line(&mut line)
        .map_err(|source| Error::Io {
            action,
            path: PathBuf::from("standard input"),
            source,
        })?;
    let password = line.strip_suffix('\n').unwrap_or(&line);
    let password = password.strip_suffix('\r').unwrap_or(password);
    Ok(password.to_owned())
}
