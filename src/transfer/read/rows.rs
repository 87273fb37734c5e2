//! Reading the rows of a CSV source: each data row with its line, values by field and what
//! makes it unusable (a header row again, a quote left open, a line break where none may be),
//! and the example rows the preview shows.

use super::*;

impl CsvSource {
    /// The next non-blank data row, or `None` at the end; a row with bytes that are not text
    /// comes back `unusable`, naming its column. An error means the file cannot be read on (a
    /// read failure, a row past [`MAX_ROW`]): nothing after it can be trusted.
    pub fn next_row(&mut self) -> Result<Option<SourceRow>> {
        loop {
            let NextRecord { read, after, bad } = match self.peeked.take() {
                Some(peeked) => {
                    std::mem::swap(&mut self.record, &mut self.ahead);
                    peeked
                }
                None => read_text(&mut self.reader, &mut self.record, self.decoded),
            };
            let more = match read {
                Ok(more) => more,
                // The file could not be read on, or a row never ends: nothing after it can
                // be trusted, so the import stops and writes nothing.
                Err(e) => return Err(read_failure(&self.path, e, self.line)),
            };
            if !more {
                return Ok(None);
            }
            let blank = |v: &str| {
                v.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}')
                    .is_empty()
            };
            if self.record.iter().all(blank) {
                continue;
            }
            // Every record ends with a line break (see `Ending`): it began that many lines,
            // and the ones inside its values, before the line after it.
            let breaks: u64 = self.record.iter().map(line_breaks).sum();
            let line = after.saturating_sub(1 + breaks + self.hidden_lines).max(1);
            self.line = line;
            // Empty values past the header's columns (a delimiter ending every row, as some
            // tools write) are no values.
            let width = self.columns.len();
            let extra = match self.record.iter().skip(width).all(|v| v.trim().is_empty()) {
                true => 0,
                false => self.record.len() - width,
            };
            let mut row = SourceRow {
                line,
                extra,
                ..Default::default()
            };
            // A short row's missing values are empty, as if its delimiters were there: with
            // "Update existing" they clear their fields, as empty values do.
            let values = self.record.iter().chain(std::iter::repeat(""));
            for (value, column) in values.clone().zip(&self.columns) {
                if let Some(field) = column.field {
                    let value = unescape(value.trim()).trim();
                    // In a column of ticks, no tick is a no.
                    let value = if column.marks && value.is_empty() {
                        "no"
                    } else {
                        value
                    };
                    row.values[field as usize] = Some(value.to_owned());
                }
            }
            for (i, (value, column)) in values.zip(&self.columns).enumerate() {
                if let Some(field) = column.fallback {
                    let slot = &mut row.values[field as usize];
                    let value = unescape(value.trim()).trim();
                    let unset = slot
                        .as_deref()
                        .is_none_or(|v| v.is_empty() || is_placeholder(v));
                    if unset && !value.is_empty() && !is_placeholder(value) {
                        *slot = Some(value.to_owned());
                        row.fell_back.push((field, i));
                    }
                }
            }
            if self.record.iter().any(|v| v.contains('\n')) {
                row.unusable = self.runaway(&mut row.line);
                self.line = row.line;
            } else if self.repeats_header() {
                row.unusable = Some((
                    None,
                    "A header row again (were two files joined into one?); it is not a \
                     customer, so it is skipped."
                        .to_owned(),
                ));
            } else if let Some(what) = self.preamble_again() {
                row.unusable = Some((
                    None,
                    format!(
                        "{what} again (were two files joined into one?); it is not a \
                         customer, so it is skipped."
                    ),
                ));
            }
            // A row skipped as no customer (a header again, a quote left open) shows nothing
            // of how the file was read; one with bytes that are not text does.
            if !self.examples_done
                && row.unusable.is_none()
                && (self.examples.is_empty() || !self.record.as_slice().is_ascii())
            {
                self.keep_example(row.line);
            }
            // Bytes that are not text in the file's encoding, if nothing worse.
            if let (None, Some(i)) = (&row.unusable, bad) {
                let column = self.columns.get(i).map(|c| c.header.clone());
                row.unusable = Some((column, self.not_text()));
            }
            return Ok(Some(row));
        }
    }

    /// Keeps the row just read as an example: the first row, and then the first whose values
    /// (as the import reads them) are more than ASCII.
    fn keep_example(&mut self, row: u64) {
        let values: Vec<&str> = self
            .record
            .iter()
            .map(|v| unescape(v.trim()).trim())
            .collect();
        let ascii = values.iter().all(|v| v.is_ascii());
        if !self.examples.is_empty() && ascii {
            return; // more than ASCII only in what is trimmed away: not what is looked for
        }
        let cut = |v: &str| match v.char_indices().nth(EXAMPLE_CHARS) {
            Some((at, _)) => format!("{}…", &v[..at]),
            None => v.to_owned(),
        };
        let values = values.into_iter().map(cut).collect();
        self.examples_done = !self.examples.is_empty() || !ascii;
        self.examples.push(ExampleRow { row, values });
    }

    /// Whether the row just read is a header row again: files joined into one repeat their
    /// header (BOM, quotes and all, in another case perhaps, with a delimiter more or less), or
    /// bring another tool's names for the same columns ("Company,Town" under "Name,City"), in
    /// another order perhaps, or only some of them. Values in columns the import ignores may
    /// differ ("Telephone" under "Phone"). Two header words make a header row; one alone only
    /// when it is one of this header's names, word for word, and nothing else is in the row
    /// ("Name," under "Name,City"): a customer called "Company" is still a customer. A value
    /// the column takes as data ("Valid" under "Status") counts neither way.
    fn repeats_header(&self) -> bool {
        // In a file of one column, "Name" may well be a customer's name.
        if self.columns.iter().filter(|c| !c.header.is_empty()).count() < 2 {
            return false;
        }
        let (words, lengths) = &self.header_words;
        let (mut named, mut exact, mut other) = (0, 0, 0);
        for (i, value) in self.record.iter().enumerate() {
            let value = plain(value);
            if value.is_empty() {
                continue;
            }
            let field = self.columns.get(i).and_then(|c| c.field);
            // One of this header's names (in any column: a header in another order). Looked
            // up only when its length is one of theirs: almost never, row after row.
            let same = || lengths.contains(&value.len()) && words.contains(&value.to_lowercase());
            // Another name for its own column's field. Header names are short: most values
            // are longer, or have digits, and are not looked up.
            let alias = || {
                field.is_some_and(|f| {
                    value.len() <= 32
                        && !value.bytes().any(|b| b.is_ascii_digit() && b != b'1')
                        && Field::from_header(value) == Some(f)
                })
            };
            // A value the column takes ("Valid" or "Active" under "Status") may be the
            // customer's or another header's: it tells neither way.
            let takes = || value.len() <= 32 && field.is_some_and(|f| reads_as_value(f, value));
            if same() {
                (named, exact) = (named + 1, exact + 1);
            } else if takes() {
                continue;
            } else if alias() {
                named += 1;
            } else if field.is_none() && i < self.columns.len() {
                // An ignored column: its name may differ, and may be one of the columns
                // other tools have that no customer field takes ("Telephone", "E-Mail").
                // Phone numbers and addresses, most values here, are not looked up.
                let word = value.len() <= 20
                    && !value.bytes().any(|b| b.is_ascii_digit() || b == b'@')
                    && OTHER_COLUMNS.contains(&Field::key_of(value).as_str());
                match word {
                    true => named += 1,
                    false => other += 1,
                }
            } else {
                return false;
            }
        }
        named >= 2 || (named == 1 && exact == 1 && other == 0)
    }

    /// Whether the row just read is a line that begins a file, not a row: Excel's `sep=` line
    /// or PowerShell's `#TYPE` line (of files joined into one). What it is, for the message.
    fn preamble_again(&self) -> Option<&'static str> {
        let mut values = self.record.iter();
        let first = values.next().unwrap_or_default().trim();
        if !values.all(|v| v.trim().is_empty()) {
            return None;
        }
        let starts = |prefix: &str| {
            first
                .get(..prefix.len())
                .is_some_and(|s| s.eq_ignore_ascii_case(prefix))
        };
        if first.len() <= 6 && starts("sep=") {
            Some("Excel's 'sep=' line")
        } else if starts("#TYPE ") {
            Some("PowerShell's '#TYPE' line")
        } else {
            None
        }
    }

    /// What a row with bytes that are not text in the file's encoding says.
    fn not_text(&self) -> String {
        match self.decoded {
            false => "Contains bytes that are not UTF-8 text, though the rest of the file is \
                      (probably characters pasted in from a file in another encoding); type \
                      them again and import the file again."
                .to_owned(),
            true => format!(
                "Contains bytes that are not {} text, as the rest of the file is (the file \
                 is damaged here, or this part came from a file in another encoding); type \
                 them again and import the file again.",
                self.encoding
            ),
        }
    }

    /// For the row just read, starting on `line` and holding a line break: the value that
    /// shows a quote left open — one running to the very end of the file, or one that runs
    /// over lines in a column that takes one line. (Comments may hold line breaks, and so may
    /// the columns that are ignored.)
    fn runaway(&mut self, line: &mut u64) -> Option<(Option<String>, String)> {
        let header = |i: usize| self.columns.get(i).map(|c| c.header.clone());
        // A quote still open where the file ends takes in the file's last line break.
        let last = self.record.iter().next_back().unwrap_or_default();
        if last.ends_with('\n') {
            let next = read_text(&mut self.reader, &mut self.ahead, self.decoded);
            let at_end = matches!(next.read, Ok(false));
            self.peeked = Some(next);
            if at_end && self.reader.get_ref().ends_inside_quotes() {
                // No line break after it ended it (its value took the last one in).
                *line += 1;
                let line = *line;
                let to = line + self.record.iter().map(line_breaks).sum::<u64>() - 1;
                let lines = match to > line {
                    true => format!("lines {line}–{to}, to the end of the file, were"),
                    false => format!("line {line}, to the end of the file, was"),
                };
                return Some((
                    header(self.record.len() - 1),
                    format!(
                        "A quote (\") opens this value and is never closed, so {lines} read as \
                         this one value. Close the quote, or remove it."
                    ),
                ));
            }
        }
        let (i, _) = self.record.iter().enumerate().find(|(i, v)| {
            let field = self.columns.get(*i).and_then(|c| c.field);
            field.is_some_and(|f| f != Field::Comment) && v.trim().contains('\n')
        })?;
        let line = *line;
        let to = line + self.record.iter().take(i + 1).map(line_breaks).sum::<u64>();
        Some((
            header(i),
            format!(
                "This quoted value runs over lines {line}–{to}, but must be on one line. Remove \
                 its line breaks or, if it was not meant to go on, close its quote (\") where \
                 the value ends."
            ),
        ))
    }
}
