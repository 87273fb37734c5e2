//! The CSV source: a file opened (never waiting, see `files::Source`), its encoding, delimiter
//! and header worked out (or taken as the user chose), then read a row at a time (`rows.rs`).

use super::*;

/// How much of the file's start is looked at to tell its encoding and delimiter.
pub(super) const SAMPLE: usize = 64 * 1024;
/// How much of each value an example row keeps (see [`CsvSource::examples`]).
pub(super) const EXAMPLE_CHARS: usize = 80;
/// One data row: its line in the file (header = line 1) and its trimmed, unescaped values by
/// field; `extra` counts values beyond the header's columns.
#[derive(Debug, Default)]
pub struct SourceRow {
    pub line: u64,
    pub values: [Option<String>; Field::ALL.len()],
    pub extra: usize,
    /// Why the row is no customer row at all, its values not worth checking one by one: a
    /// quoted value that runs over several lines where it may not (or to the end of the file,
    /// its quote never closed), or a repeat of the header row. The column (`None` for the row
    /// as a whole) and what to tell.
    pub unusable: Option<(Option<String>, String)>,
    /// The fields whose value came from a fallback column, each with that column's index
    /// (usually none: no allocation).
    pub fell_back: Vec<(Field, usize)>,
}

impl SourceRow {
    pub fn get(&self, field: Field) -> Option<&str> {
        self.values[field as usize].as_deref()
    }

    pub fn take(&mut self, field: Field) -> Option<String> {
        self.values[field as usize].take()
    }
}

/// A row of the file as the import read it: its line and its values (trimmed, unescaped, cut at
/// [`EXAMPLE_CHARS`] characters), one per column of the file.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ExampleRow {
    pub row: u64,
    pub values: Vec<String>,
}

/// An open CSV file, positioned after its header row.
pub struct CsvSource {
    /// Rows for the preview to show as read, so that a wrong encoding or delimiter shows at a
    /// glance: the first data row and, if it is plain ASCII, the first that is not (where
    /// encodings differ).
    pub examples: Vec<ExampleRow>,
    pub(super) examples_done: bool,
    pub path: PathBuf,
    pub encoding: &'static str,
    pub delimiter: char,
    pub columns: Vec<Column>,
    /// The file's size and how many of its bytes have been read, for progress.
    pub size: u64,
    /// The file as opened (a second handle to it) and what it was then: to tell whether it
    /// changed while being read.
    pub(super) origin: files::Source,
    pub(super) read: Arc<AtomicU64>,
    /// Average bytes per row in the sample, to estimate the row count.
    pub(super) bytes_per_row: f64,
    pub(super) reader: csv::Reader<Ending<MidBoms<Box<dyn Read + Send>>>>,
    pub(super) record: csv::StringRecord,
    /// A record read ahead (to tell whether the one before it ends the file), what reading it
    /// returned and the line after it; handed out next.
    pub(super) ahead: csv::StringRecord,
    pub(super) peeked: Option<NextRecord>,
    /// The line the last row read started on.
    pub(super) line: u64,
    /// Whether the file was decoded from another encoding than UTF-8 (whose decoder puts
    /// U+FFFD where bytes mean nothing).
    pub(super) decoded: bool,
    /// 1 when the file begins with Excel's `sep=` line: rows are numbered as Excel shows them,
    /// without it (header = row 1).
    pub(super) hidden_lines: u64,
    /// The header's names as a row repeating it would hold them (see `plain`), lowercased, and
    /// their byte lengths: a value is looked up only when its length is one of them.
    pub(super) header_words: (HashSet<String>, HashSet<usize>),
}

/// A value as a header row may hold it: trimmed, without a BOM or the quotes around it.
pub(super) fn plain(v: &str) -> &str {
    let v = v.trim().trim_start_matches('\u{feff}').trim();
    v.strip_prefix('"')
        .and_then(|v| v.strip_suffix('"'))
        .unwrap_or(v)
        .trim()
}

pub(super) fn io_error<'p>(
    action: &'static str,
    path: &'p Path,
) -> impl FnOnce(io::Error) -> Error + 'p {
    move |source| Error::Io {
        action,
        path: path.to_owned(),
        source,
    }
}

/// The most columns, and the longest column name, a header row may have: far more than any
/// customer list has, and a bound on what a file that is not one costs to read (each value of
/// a row is a few words of memory, and every column's name is kept and shown).
pub(super) const MAX_COLUMNS: usize = 1_000;
pub(super) const MAX_HEADER_CHARS: usize = 1_000;

impl CsvSource {
    /// Opens `path`, works out its encoding, delimiter and columns (except what `read_as`
    /// names), and reads the header row. Refuses (naming the file) an empty file, a binary file
    /// and a file without a name column.
    pub fn open(path: &Path, read_as: ReadAs) -> Result<CsvSource> {
        let name = files::display_name(path);
        // Opened without waiting on a pipe, and refused unless an ordinary file: the file is
        // read twice (once to tell its encoding), which a pipe or device cannot be.
        let origin = files::Source::open(path, "a CSV file")?;
        let mut file = origin.file.try_clone().map_err(io_error("read", path))?;
        let size = origin.stamp.size();
        let mut head = Vec::with_capacity(SAMPLE);
        (&mut file)
            .take(SAMPLE as u64)
            .read_to_end(&mut head)
            .map_err(io_error("read", path))?;

        // Without a whole-file scan, a lone CR is taken to be possible.
        let mut lone_cr = true;
        let (encoding, label, bom) = match (read_as.encoding, Encoding::for_bom(&head)) {
            (Some(enc), found) => {
                // Whatever byte-order mark the file starts with is not text (the reader
                // drops it too); UTF-8's own is named.
                let bom = found.map_or(0, |(_, len)| len);
                let own = found.is_some_and(|(e, _)| e == enc);
                let wide = |e: &'static Encoding| e == UTF_16LE || e == UTF_16BE;
                if head.contains(&0) && !wide(enc) {
                    let utf16 = match found {
                        Some((e, _)) if wide(e) => Some(e),
                        _ => utf16_without_bom(&head),
                    };
                    return Err(match utf16 {
                        Some(e) => Error::Refused(format!(
                            "'{name}' is {} text, not {}: choose {} or Detect.",
                            e.name(),
                            label_of(enc, 0),
                            e.name()
                        )),
                        None => not_a_text_file(&name),
                    });
                }
                (enc, label_of(enc, if own { bom } else { 0 }), bom)
            }
            (None, Some((enc, bom))) => (enc, label_of(enc, bom), bom),
            (None, None) if head.contains(&0) => match utf16_without_bom(&head) {
                Some(enc) => (enc, label_of(enc, 0), 0),
                None => return Err(not_a_text_file(&name)),
            },
            (None, None) => {
                // UTF-8, or a legacy encoding: one pass decides. UTF-8 with a few bytes that
                // are not (rows pasted in from another file) stays UTF-8, and those rows are
                // reported; decoding it all as Windows-1252 would garble every other row.
                file.rewind_to_start(path)?;
                let scan = scan_text(&mut file).map_err(io_error("read", path))?;
                lone_cr = scan.lone_cr;
                // Text in a legacy encoding almost never holds valid UTF-8 sequences (an
                // accented capital right before a symbol), so a file with some is UTF-8 unless
                // its bad bytes far outnumber them.
                if scan.invalid == 0 || (scan.non_ascii > 0 && scan.non_ascii * 4 >= scan.invalid) {
                    (UTF_8, "UTF-8", 0)
                } else {
                    (scan.legacy, label_of(scan.legacy, 0), 0)
                }
            }
        };
        let (sample, _) = encoding.decode_without_bom_handling(&head[bom..]);
        if sample
            .trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}')
            .is_empty()
        {
            return Err(Error::Refused(format!(
                "'{name}' is empty: there is no header row and no customer in it."
            )));
        }
        let sep = sep_directive(&sample);
        // PowerShell's Export-Csv (up to 5.1) begins with "#TYPE <the objects' type>": not a
        // row, not the header. Unlike sep=, Excel shows it, so rows keep their lines' numbers.
        let type_line = sample
            .get(..6)
            .is_some_and(|s| s.eq_ignore_ascii_case("#TYPE "));
        let body = match type_line {
            true => sample.split_once('\n').map_or("", |(_, rest)| rest),
            false => &sample,
        };
        let delimiter = read_as
            .delimiter
            .or(sep)
            .unwrap_or_else(|| sniff_delimiter(body, head.len() as u64 == SAMPLE as u64));
        let cr_only = ends_lines_with_cr_only(&sample);

        file.rewind_to_start(path)?;
        let read = Arc::new(AtomicU64::new(0));
        let counted = Counting {
            inner: file,
            read: read.clone(),
        };
        // UTF-8 is handed on as it is (the CSV reader checks it, row by row); any other
        // encoding is decoded to it.
        let decoded = encoding != UTF_8;
        let stream = DecodeReaderBytesBuilder::new()
            .encoding(decoded.then_some(encoding))
            // A chosen UTF-8 is UTF-8 whatever byte-order mark the file starts with.
            .bom_sniffing(read_as.encoding.is_none())
            .utf8_passthru(true)
            .strip_bom(true)
            .build(counted);
        let stream: Box<dyn Read + Send> = match (cr_only, lone_cr) {
            (true, _) => Box::new(LoneCrToLf::new(stream)),
            (false, true) => Box::new(LoneCrToLf::outside_quotes(stream, delimiter)),
            (false, false) => Box::new(stream),
        };
        // Records end at LF (a CR before it is trimmed with the value), so that line numbers
        // count CRLF files exactly.
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .has_headers(false)
            .flexible(true)
            .terminator(csv::Terminator::Any(b'\n'))
            .from_reader(Ending::new(MidBoms::new(stream)));
        let mut header = csv::StringRecord::new();
        if sep.is_some() || type_line {
            read_text(&mut reader, &mut header, decoded)
                .read
                .map_err(|e| read_failure(path, e, 0))?;
        }
        loop {
            let NextRecord { read, bad, .. } = read_text(&mut reader, &mut header, decoded);
            let more = read.map_err(|e| read_failure(path, e, 0))?;
            if bad.is_some() {
                let what_to_do = match read_as.encoding {
                    Some(_) => "choose another encoding, or Detect",
                    None => {
                        "type the column names again and import it again, or choose the \
                         encoding it was saved in"
                    }
                };
                return Err(Error::Refused(format!(
                    "'{name}' has bytes that are not {label} text in its header row, so its \
                     columns cannot be told; {what_to_do}."
                )));
            }
            if !more {
                return Err(Error::Refused(format!(
                    "'{name}' is empty: there is no header row and no customer in it."
                )));
            }
            if !header.iter().all(|h| h.trim().is_empty()) {
                break;
            }
        }
        // A header that took in line breaks may hold a quote never closed: if the file ends
        // with it, nothing is left to read and that, not the columns, is what to say.
        let (mut ahead, mut peeked) = (csv::StringRecord::new(), None);
        if header.iter().any(|h| h.contains('\n')) {
            let next = read_text(&mut reader, &mut ahead, decoded);
            let last_took_the_end = header.iter().next_back().is_some_and(|h| h.ends_with('\n'));
            if matches!(next.read, Ok(false))
                && last_took_the_end
                && reader.get_ref().ends_inside_quotes()
            {
                return Err(Error::Refused(format!(
                    "'{name}' has a quote (\") in its header row that is never closed, so the \
                     header took in the whole file and no customer is left to read. Close the \
                     quote or remove it."
                )));
            }
            peeked = Some(next);
        }
        if header.len() > MAX_COLUMNS {
            return Err(Error::Refused(format!(
                "'{name}' has {} columns in its header row; a customer list has far fewer (at \
                 most {} are read). Check that it is a CSV file with a header row.",
                crate::model::text::thousands(header.len()),
                crate::model::text::thousands(MAX_COLUMNS)
            )));
        }
        if let Some(long) = header.iter().find(|h| h.chars().count() > MAX_HEADER_CHARS) {
            return Err(Error::Refused(format!(
                "'{name}' has a column name of {} characters in its header row, starting {}; \
                 column names are short, so the first row is probably not a header. Check that \
                 it is a CSV file with a header row.",
                crate::model::text::thousands(long.chars().count()),
                crate::model::text::quoted(long)
            )));
        }
        let mut columns: Vec<Column> = Vec::new();
        for h in header.iter() {
            let h = h.trim().trim_start_matches('\u{feff}').to_owned();
            let mut field = Field::from_header(&h);
            let mut fallback = None;
            if let Some(f) = field {
                // The first column for a field feeds it; a later one of the same address (or
                // of none) is read where the first is empty, and one of another address is
                // ignored. A column that names the field roughly ("Billing Address") gives way
                // to a precise one ("Billing Street"). Customer IDs of two columns are two
                // numbering schemes: only one is read.
                let prefix = |h: &str| address_prefix(&Field::key_of(h));
                if let Some(held) = columns.iter_mut().find(|c| c.field == Some(f)) {
                    let (before, now) = (f.roughness(&held.header), f.roughness(&h));
                    let same_address = prefix(&held.header) == prefix(&h);
                    let kept = (same_address && f != Field::CustomerId).then_some(f);
                    if now < before && same_address {
                        held.field = None;
                        held.fallback = kept;
                    } else {
                        field = None;
                        fallback = kept;
                    }
                }
            }
            columns.push(Column {
                header: h,
                field,
                fallback,
                marks: false,
            });
        }
        if !columns.iter().any(|c| c.field == Some(Field::Name)) {
            // A header as the message shows it: its first line, at most 40 characters.
            let shown = |h: &str| {
                let mut s: String = h.lines().next().unwrap_or("").chars().take(40).collect();
                if s.len() < h.len() {
                    s.push('…');
                }
                format!("'{s}'")
            };
            let found: Vec<String> = columns
                .iter()
                .filter(|c| !c.header.is_empty())
                .map(|c| shown(&c.header))
                .collect();
            let open_quote = match columns.iter().any(|c| c.header.contains('\n')) {
                true => {
                    " A quote (\") in the header row is not closed where it should be, so \
                          the header took in the lines after it; close the quote or remove it."
                }
                false => "",
            };
            // Read as the user said, the columns found may be the choice's doing.
            let chosen = match read_as == ReadAs::default() {
                true => String::new(),
                false => format!(
                    " It was read as {label} with values separated by {}, as chosen: if these \
                     are not the file's columns, choose another encoding or delimiter, or \
                     Detect.",
                    delimiter_plural(delimiter as char)
                ),
            };
            return Err(Error::Refused(format!(
                "'{name}' has no name column, so no customer can be read from it. Columns found: {}.{open_quote} Head the column of customer names \"Name\".{chosen}",
                if found.is_empty() { "none".to_owned() } else { found.join(", ") }
            )));
        }
        let rows_in_sample = sample.lines().count().max(2) as f64 - 1.0;
        let words: HashSet<String> = columns
            .iter()
            .map(|c| plain(&c.header).to_lowercase())
            .filter(|h| !h.is_empty())
            .collect();
        let lengths = words.iter().map(String::len).collect();
        let skip = 1 + usize::from(sep.is_some());
        for i in marked_columns(body, delimiter, skip, &columns) {
            columns[i].marks = true;
        }
        Ok(CsvSource {
            examples: Vec::new(),
            examples_done: false,
            path: path.to_owned(),
            encoding: label,
            delimiter: delimiter as char,
            columns,
            size,
            origin,
            read,
            bytes_per_row: (head.len() as f64 / rows_in_sample).max(1.0),
            reader,
            record: csv::StringRecord::new(),
            ahead,
            peeked,
            line: 1,
            hidden_lines: u64::from(sep.is_some()),
            decoded,
            header_words: (words, lengths),
        })
    }

    /// What the file was when it was opened.
    pub fn stamp(&self) -> files::Stamp {
        self.origin.stamp
    }

    /// Refuses, naming the file, when it changed since it was opened (cut short, rewritten,
    /// replaced): what was read of it may be a mix of two files, or cut mid-value.
    pub fn check_unchanged(&self) -> Result<()> {
        self.origin.check_unchanged(&self.path)
    }

    /// Bytes of the file read so far.
    pub fn bytes_read(&self) -> u64 {
        self.read.load(Ordering::Relaxed)
    }

    /// The values of the row [`CsvSource::next_row`] returned last, as the file holds them.
    pub fn raw_values(&self) -> impl Iterator<Item = &str> {
        self.record.iter()
    }

    /// About how many data rows the file holds (from the sample's average row length).
    pub fn estimated_rows(&self) -> u64 {
        (self.size as f64 / self.bytes_per_row) as u64
    }

    /// The columns that feed no customer field.
    pub fn ignored_columns(&self) -> Vec<String> {
        self.columns
            .iter()
            .filter(|c| c.field.is_none() && c.fallback.is_none())
            .map(|c| c.header.clone())
            .collect()
    }
}

/// How many line breaks (LF) a value holds.
pub(super) fn line_breaks(v: &str) -> u64 {
    v.bytes().filter(|&b| b == b'\n').count() as u64
}

/// A failure to read on in `path`, after the row on `line` (0: in the header): a row that runs
/// on past [`MAX_ROW`], a read error of the file, or (in the header) CSV it cannot read.
pub(super) fn read_failure(path: &Path, e: csv::Error, line: u64) -> Error {
    let name = files::display_name(path);
    let too_long = matches!(e.kind(), csv::ErrorKind::Io(io)
        if io.get_ref().is_some_and(|e| e.is::<RowTooLong>()));
    if too_long {
        let which = match line {
            0 => "its header row".to_owned(),
            n => format!("the row after line {n}"),
        };
        return Error::Refused(format!(
            "'{name}' cannot be imported: {which} runs on for more than {} MB without ending, \
             and no customer row is that long. Check that it is a CSV file; a quote (\") left \
             open can cause this too. Nothing was imported.",
            MAX_ROW >> 20
        ));
    }
    if matches!(e.kind(), csv::ErrorKind::Io(_)) {
        if let csv::ErrorKind::Io(source) = e.into_kind() {
            return Error::Io {
                action: "read",
                path: path.to_owned(),
                source,
            };
        }
        unreachable!("the kind was just matched");
    }
    Error::Refused(format!("'{name}' could not be read as CSV: {e}"))
}

pub(super) trait Rewind {
    fn rewind_to_start(&mut self, path: &Path) -> Result<()>;
}

impl Rewind for File {
    fn rewind_to_start(&mut self, path: &Path) -> Result<()> {
        use std::io::Seek;
        self.rewind().map_err(io_error("read", path))
    }
}
