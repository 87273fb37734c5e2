//! The byte streams between the file and the CSV reader: counting for progress, a lone CR
//! made a line end, byte-order marks in the middle dropped, and the end of a row that is too
//! long or of a quote left open.

use super::*;

/// Counts the bytes read from the file, for the progress bar.
pub(super) struct Counting<R> {
    pub(super) inner: R,
    pub(super) read: Arc<AtomicU64>,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

/// Turns each CR not followed by LF into LF, so that a classic-Mac file (lines ending in CR
/// alone) reads like any other: the CSV reader counts lines by their LFs, so a row's number is
/// then the line it starts on, blank lines and line breaks inside quoted values included. A CR
/// at the end of one read is held back until the next byte tells which it is.
///
/// In a file whose lines end otherwise (`csv` is then `Some`), only a CR outside quoted values
/// is a line ending, one line of another kind among the others (files joined or edited on
/// another system); one inside a quoted value stays as it is. Which is which follows the CSV
/// reader's own rules (see [`Where`]).
pub(super) struct LoneCrToLf<R> {
    pub(super) inner: R,
    pub(super) buf: Box<[u8]>,
    /// `buf[start..end]` is read and not yet handed on.
    pub(super) start: usize,
    pub(super) end: usize,
    pub(super) eof: bool,
    /// The delimiter and where the text handed on so far ends (`None`: every lone CR ends a
    /// line).
    pub(super) csv: Option<(u8, Where)>,
}

/// Where in a CSV record a byte stands, as the CSV reader sees it: a quote opens a quoted value
/// only at the start of a value; inside one, `""` is a quote and a lone `"` closes it.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Where {
    ValueStart,
    Unquoted,
    Quoted,
    /// Just after a quote inside a quoted value: it closes the value unless another follows.
    QuoteInQuoted,
}

impl<R: Read> LoneCrToLf<R> {
    /// For a file whose lines end in CR: every lone CR.
    pub(super) fn new(inner: R) -> Self {
        Self::with(inner, None)
    }

    /// For any other file: lone CRs outside quoted values.
    pub(super) fn outside_quotes(inner: R, delimiter: u8) -> Self {
        Self::with(inner, Some((delimiter, Where::ValueStart)))
    }

    pub(super) fn with(inner: R, csv: Option<(u8, Where)>) -> Self {
        LoneCrToLf {
            inner,
            buf: vec![0; 64 * 1024].into_boxed_slice(),
            start: 0,
            end: 0,
            eof: false,
            csv,
        }
    }
}

impl<R: Read> Read for LoneCrToLf<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        loop {
            let held = !self.eof && self.end > self.start && self.buf[self.end - 1] == b'\r';
            let ready = self.end - usize::from(held);
            if ready > self.start || self.eof || out.is_empty() {
                let n = out.len().min(ready - self.start);
                out[..n].copy_from_slice(&self.buf[self.start..self.start + n]);
                self.start += n;
                return Ok(n);
            }
            // At most the held CR is left: move it to the front and read after it.
            self.buf.copy_within(self.start..self.end, 0);
            self.end -= self.start;
            self.start = 0;
            let n = self.inner.read(&mut self.buf[self.end..])?;
            self.end += n;
            self.eof = n == 0;
            for i in 0..self.end {
                let b = self.buf[i];
                let lone = b == b'\r'
                    && match (i + 1 < self.end).then(|| self.buf[i + 1]) {
                        Some(next) => next != b'\n',
                        None => self.eof,
                    };
                // A CR not yet known to be lone is held: it is looked at again, first, next
                // time, so it must not move the state now.
                if b == b'\r' && !lone && i + 1 == self.end && !self.eof {
                    break;
                }
                let Some((delimiter, at)) = &mut self.csv else {
                    if lone {
                        self.buf[i] = b'\n';
                    }
                    continue;
                };
                *at = match (*at, b) {
                    (Where::Quoted, b'"') => Where::QuoteInQuoted,
                    (Where::Quoted, _) => Where::Quoted,
                    (Where::QuoteInQuoted, b'"') => Where::Quoted,
                    (Where::ValueStart, b'"') => Where::Quoted,
                    (_, b'\n') => Where::ValueStart,
                    (_, b'\r') if lone => {
                        self.buf[i] = b'\n';
                        Where::ValueStart
                    }
                    (_, b'\r') => *at, // the CR of a CRLF: the LF decides
                    (_, b) if b == *delimiter => Where::ValueStart,
                    _ => Where::Unquoted,
                };
            }
        }
    }
}

/// Drops a BOM (U+FEFF, in UTF-8 EF BB BF) at the start of a line. Files joined into one carry
/// the second's BOM into the middle, where it would stand before the first value of a row —
/// and keep a quote after it from opening a quoted value, so that delimiters and line breaks
/// inside the value would split the row.
pub(super) struct MidBoms<R> {
    pub(super) inner: R,
    pub(super) buf: Box<[u8]>,
    /// `buf[start..end]` is ready to be handed on; `buf[end..held]`, the start of a BOM that
    /// the end of a read cut off, waits for the next read to tell.
    pub(super) start: usize,
    pub(super) end: usize,
    pub(super) held: usize,
    /// Whether the last byte made ready ended a line (or none has been yet).
    pub(super) line_start: bool,
    pub(super) eof: bool,
}

pub(super) const BOM: &[u8] = b"\xef\xbb\xbf";

impl<R: Read> MidBoms<R> {
    pub(super) fn new(inner: R) -> Self {
        MidBoms {
            inner,
            buf: vec![0; 64 * 1024].into_boxed_slice(),
            start: 0,
            end: 0,
            held: 0,
            line_start: true,
            eof: false,
        }
    }

    /// Reads on after what is held, drops the BOMs that start lines, and makes the rest ready.
    pub(super) fn fill(&mut self) -> io::Result<()> {
        self.buf.copy_within(self.end..self.held, 0);
        let mut n = self.held - self.end;
        let got = self.inner.read(&mut self.buf[n..])?;
        self.eof = got == 0;
        n += got;
        let buf = &mut self.buf[..n];
        // Where BOMs start a line (EF is rare in text; most reads have none at all).
        let mut drop = Vec::new();
        let mut cut = n;
        for i in memchr::memchr_iter(0xef, buf) {
            let starts_line = match i {
                0 => self.line_start,
                _ => buf[i - 1] == b'\n',
            };
            if !starts_line || drop.last().is_some_and(|&d| i < d + BOM.len()) {
                continue;
            }
            if buf[i..].starts_with(BOM) {
                drop.push(i);
            } else if !self.eof && BOM.starts_with(&buf[i..]) {
                cut = i; // perhaps a BOM that the next read completes
            }
        }
        let (mut w, mut r) = (0, 0);
        for d in drop {
            buf.copy_within(r..d, w);
            w += d - r;
            r = d + BOM.len();
        }
        buf.copy_within(r..cut, w);
        w += cut - r;
        // What is held moves up behind the ready bytes.
        buf.copy_within(cut..n, w);
        self.start = 0;
        self.end = w;
        self.held = w + (n - cut);
        if w > 0 {
            self.line_start = self.buf[w - 1] == b'\n';
        }
        Ok(())
    }
}

impl<R: Read> Read for MidBoms<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        while self.start == self.end && !out.is_empty() {
            if self.eof {
                // What was held is no BOM after all: it is text.
                self.end = self.held;
                if self.start == self.end {
                    return Ok(0);
                }
                break;
            }
            self.fill()?;
        }
        let n = out.len().min(self.end - self.start);
        out[..n].copy_from_slice(&self.buf[self.start..self.start + n]);
        self.start += n;
        Ok(n)
    }
}

/// Hands on the decoded text, ending it with a line break where it lacks one, so that every
/// record ends with LF and a row's line is the reader's line after it less the line breaks in
/// it (the CSV reader skips blank lines without telling). It keeps the text's last bytes, to
/// tell a value that ends with a line break because its quote was never closed from one whose
/// closing quote follows the break.
pub(super) struct Ending<R> {
    pub(super) inner: R,
    /// Bytes handed on so far, and how many of them the CSV reader had taken when the record
    /// being read began: a record may not run on for more than [`MAX_ROW`] bytes.
    pub(super) handed: u64,
    pub(super) record_start: u64,
    /// The last bytes handed on, at most `TAIL` of them.
    pub(super) tail: Vec<u8>,
    /// The added line break: owed, then handed on.
    pub(super) added: Option<bool>,
}

pub(super) const TAIL: usize = 256;

/// The most one row may take of the file: far more than any customer row (a row of every
/// column at its longest is under 100 KB, and other columns are rarely big), and a bound on
/// what reading a file that never ends a row — a quote left open, a file that is not CSV —
/// holds in memory.
pub const MAX_ROW: u64 = 8 << 20;

/// The read failure that [`Ending`] reports when a record runs on past [`MAX_ROW`].
#[derive(Debug)]
pub(super) struct RowTooLong;

impl std::fmt::Display for RowTooLong {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "a row is longer than {} MB", MAX_ROW >> 20)
    }
}

impl std::error::Error for RowTooLong {}

/// What reading one record returned, the reader's line after it, and the first of its values
/// that held bytes that are not text (read with U+FFFD in their place).
pub(super) struct NextRecord {
    pub(super) read: csv::Result<bool>,
    pub(super) after: u64,
    pub(super) bad: Option<usize>,
}

/// Reads the next record into `record` (whose buffers it reads into), values with bytes that
/// are not text included, those bytes as U+FFFD: the row is then reported as a whole, with its
/// line and any worse trouble (a quote left open) first. Bytes that are not UTF-8 pass through
/// undecoded and are found here; a `decoded` file's decoder has put U+FFFD for them already.
pub(super) fn read_text<R: Read>(
    reader: &mut csv::Reader<Ending<R>>,
    record: &mut csv::StringRecord,
    decoded: bool,
) -> NextRecord {
    arm(reader);
    let mut raw = std::mem::take(record).into_byte_record();
    let read = reader.read_byte_record(&mut raw);
    let after = reader.position().line();
    let bad = match csv::StringRecord::from_byte_record(raw) {
        Ok(text) => {
            *record = text;
            decoded
                .then(|| record.iter().position(|v| v.contains('\u{fffd}')))
                .flatten()
        }
        Err(e) => {
            let field = e.utf8_error().field();
            *record = e
                .into_byte_record()
                .iter()
                .map(String::from_utf8_lossy)
                .collect();
            Some(field)
        }
    };
    NextRecord { read, after, bad }
}

/// Tells the reader's [`Ending`] that a record begins where the reader is.
pub(super) fn arm<R: Read>(reader: &mut csv::Reader<Ending<R>>) {
    let at = reader.position().byte();
    reader.get_mut().record_start = at;
}

impl<R: Read> Ending<R> {
    pub(super) fn new(inner: R) -> Self {
        Ending {
            inner,
            handed: 0,
            record_start: 0,
            tail: Vec::with_capacity(2 * TAIL),
            added: None,
        }
    }

    /// Whether the text, all of it read, ends with a line break that a quote still open took
    /// in — asked when the last record's last value ends with a line break: before it (and a
    /// CR) stands no quote, or an even run of them (`""` is a quote inside a quoted value); a
    /// closing quote makes the run odd.
    pub(super) fn ends_inside_quotes(&self) -> bool {
        let text = match self.tail.strip_suffix(b"\n") {
            Some(t) => t.strip_suffix(b"\r").unwrap_or(t),
            None => return false,
        };
        let run = text.iter().rev().take_while(|&&b| b == b'"').count();
        run % 2 == 0
    }
}

impl<R: Read> Read for Ending<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        if self.handed.saturating_sub(self.record_start) > MAX_ROW {
            return Err(io::Error::other(RowTooLong));
        }
        let n = match self.added {
            Some(false) if !out.is_empty() => {
                out[0] = b'\n';
                self.added = Some(true);
                1
            }
            Some(_) => 0,
            None => {
                let n = self.inner.read(out)?;
                if n == 0 && !out.is_empty() {
                    let ended = self.tail.last().is_none_or(|&b| b == b'\n');
                    self.added = Some(ended);
                    return self.read(out);
                }
                n
            }
        };
        self.handed += n as u64;
        self.tail.extend_from_slice(&out[n.saturating_sub(TAIL)..n]);
        if self.tail.len() > TAIL {
            self.tail.drain(..self.tail.len() - TAIL);
        }
        Ok(n)
    }
}
