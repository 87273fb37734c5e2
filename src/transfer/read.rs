//! Reading the CSV files people actually have: any common encoding, any of four delimiters,
//! any line ending, headers named the way spreadsheets and other tools name them. The file is
//! streamed — memory does not grow with its size.

use super::escape::unescape;
use super::read_as::{can_delimit, ReadAs};
use crate::error::{Error, Result};
use crate::files;
use crate::model::text::fold;
use encoding_rs::{Encoding, UTF_16BE, UTF_16LE, UTF_8};
use encoding_rs_io::DecodeReaderBytesBuilder;
use std::collections::HashSet;
use std::fs::File;
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

/// How much of the file's start is looked at to tell its encoding and delimiter.
const SAMPLE: usize = 64 * 1024;
/// How much of each value an example row keeps (see [`CsvSource::examples`]).
const EXAMPLE_CHARS: usize = 80;
const DELIMITERS: [u8; 4] = [b',', b';', b'\t', b'|'];

/// A customer field a column can feed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    CustomerId,
    Name,
    Street,
    Zip,
    City,
    Country,
    Url,
    Comment,
    Validity,
    Active,
    /// "Inactive" or "Archived" (yes/no): the opposite of Active.
    Inactive,
    Own,
    AutotaskId,
    AutotaskName,
    AutotaskStatus,
    AutotaskChecked,
    Created,
    Updated,
}

impl Field {
    pub const ALL: [Field; 18] = [
        Field::CustomerId,
        Field::Name,
        Field::Street,
        Field::Zip,
        Field::City,
        Field::Country,
        Field::Url,
        Field::Comment,
        Field::Validity,
        Field::Active,
        Field::Inactive,
        Field::Own,
        Field::AutotaskId,
        Field::AutotaskName,
        Field::AutotaskStatus,
        Field::AutotaskChecked,
        Field::Created,
        Field::Updated,
    ];

    /// The column name the exporter writes (and the label in messages).
    pub fn header(self) -> &'static str {
        match self {
            Field::CustomerId => "Customer ID",
            Field::Name => "Name",
            Field::Street => "Street",
            Field::Zip => "ZIP",
            Field::City => "City",
            Field::Country => "Country",
            Field::Url => "URL",
            Field::Comment => "Comment",
            Field::Validity => "Validity",
            Field::Active => "Active",
            Field::Inactive => "Inactive",
            Field::Own => "Own company",
            Field::AutotaskId => "Autotask company ID",
            Field::AutotaskName => "Autotask company",
            Field::AutotaskStatus => "Autotask status",
            Field::AutotaskChecked => "Autotask checked",
            Field::Created => "Created",
            Field::Updated => "Updated",
        }
    }

    /// A header as it is looked up: its letters and digits, folded; '#' reads as "no".
    fn key_of(header: &str) -> String {
        match header.is_ascii() {
            // Nothing to fold (and this is asked of values too, row after row).
            true => {
                let mut key = String::with_capacity(header.len());
                for b in header.bytes() {
                    match b {
                        b'#' => key.push_str("no"),
                        b if b.is_ascii_alphanumeric() => key.push(b.to_ascii_lowercase().into()),
                        _ => {}
                    }
                }
                key
            }
            false => fold(&header.replace('#', " no "))
                .chars()
                .filter(|c| c.is_alphanumeric())
                .collect(),
        }
    }

    /// The field a header names: case, spaces, punctuation and accents ignored, common
    /// synonyms accepted.
    pub fn from_header(header: &str) -> Option<Field> {
        // "Customer #" is a number, not the customer: '#' reads as "no".
        let key = Self::key_of(header);
        if let Some(field) = Self::from_key(&key) {
            return Some(field);
        }
        // CRM and accounting exports name one address of several: "Billing Street", "Business
        // Postal Code", "Address 1: City" (Dynamics). Only address columns: "Billing ID" or
        // "Billing Status" are about invoices, not the customer.
        address_prefix(&key)
            .and_then(|p| Self::from_key(&key[p.len()..]))
            .filter(|f| matches!(f, Field::Street | Field::Zip | Field::City | Field::Country))
    }

    /// How roughly a header names its field: 0 for the field itself; more for a column that
    /// may hold more than the field, or something near it — the whole address for the street,
    /// a company's domain for its website, another number (a tool's internal record number,
    /// Xero's company registration number) for the customer ID, a legal name for
    /// the name. Of two columns for one field (of one address), the less rough one feeds it.
    fn roughness(self, header: &str) -> u8 {
        let key = Self::key_of(header);
        let key = address_prefix(&key).map_or(key.as_str(), |p| &key[p.len()..]);
        match self {
            Field::Street if key.ends_with("address") && !key.ends_with("streetaddress") => 1,
            Field::Url if key.contains("domain") => 1,
            // A tool's own record number: Autotask's "Company ID", Salesforce's "Account ID"
            // (beside the "Account Number" people use), a bare "ID".
            Field::CustomerId if matches!(key, "companyid" | "accountid" | "id") => 2,
            Field::CustomerId if key == "companynumber" || key == "companyno" => 1,
            Field::Name if key == "legalname" => 1,
            _ => 0,
        }
    }

    /// The field of a header's key: its letters and digits, folded.
    fn from_key(key: &str) -> Option<Field> {
        Some(match key {
            "customerid" | "id" | "slug" | "customerslug" | "customerno" | "customernumber"
            | "customercode" | "custno" | "clientid" | "clientno" | "clientnumber"
            | "clientcode" | "accountid" | "accountno" | "accountnumber" | "accountcode"
            | "companyid" | "companynumber" | "companyno" | "kundennummer" | "kundennr"
            | "kdnr" => Field::CustomerId,
            "name" | "customer" | "customername" | "company" | "companyname" | "client"
            | "clientname" | "account" | "accountname" | "organisation" | "organization"
            | "organisationname" | "organizationname" | "businessname" | "legalname"
            | "sitename" | "firma" | "firmenname" | "kunde" | "kundenname" => Field::Name,
            "street" | "streetaddress" | "address" | "address1" | "addressline1" | "street1"
            | "strasse" | "straße" | "adresse" => Field::Street,
            "zip" | "zipcode" | "postalcode" | "postcode" | "plz" | "postal" | "zippostalcode"
            | "postalzipcode" | "zippostcode" | "postleitzahl" => Field::Zip,
            "city" | "town" | "ort" | "locality" | "towncity" | "citytown" | "stadt" => Field::City,
            // Microsoft's exports say "Country/Region".
            "country" | "countrycode" | "countryname" | "land" | "countryregion"
            | "countryorregion" | "countryterritory" => Field::Country,
            // HubSpot's companies have a "Company Domain Name" (a bare domain reads as a URL).
            // Not "Domain" alone: in IT that is as often a Windows or Microsoft 365 domain.
            "url" | "website" | "web" | "homepage" | "www" | "webaddress" | "websiteurl"
            | "webpage" | "companydomain" | "companydomainname" | "webseite" | "internet" => {
                Field::Url
            }
            "comment" | "comments" | "notes" | "note" | "remarks" | "description" | "bemerkung"
            | "bemerkungen" | "notiz" | "notizen" | "kommentar" | "anmerkung" | "anmerkungen" => {
                Field::Comment
            }
            // Not "State": in American addresses (and in Autotask's companies) that is the
            // state, which no customer field holds; it is ignored.
            "valid" | "validity" | "status" => Field::Validity,
            "active" | "isactive" | "enabled" | "aktiv" => Field::Active,
            // HaloPSA's "Inactive", Hudu's "archived".
            "inactive" | "isinactive" | "archived" | "isarchived" | "deactivated" | "inaktiv" => {
                Field::Inactive
            }
            "owncompany" | "own" | "isown" => Field::Own,
            "autotaskcompanyid" | "autotaskid" | "atcompanyid" => Field::AutotaskId,
            "autotaskcompany" | "autotaskcompanyname" => Field::AutotaskName,
            "autotaskstatus" => Field::AutotaskStatus,
            "autotaskchecked" | "autotaskcheckedat" | "autotasklastchecked" => {
                Field::AutotaskChecked
            }
            // Only the exporter's names: other tools' date columns ("Date created", "Last
            // modified" …) come in local formats that would reject whole rows; they stay ignored.
            "created" | "createdat" => Field::Created,
            "updated" | "updatedat" => Field::Updated,
            _ => return None,
        })
    }
}

/// Keys (see [`Field::key_of`]) of columns customer lists often have that no customer field
/// takes: in an ignored column of a row, such a value is a header's, not a customer's.
const OTHER_COLUMNS: &[&str] = &[
    "phone",
    "phonenumber",
    "telephone",
    "tel",
    "telefon",
    "fax",
    "mobile",
    "mobilephone",
    "cell",
    "email",
    "emailaddress",
    "mail",
    "contact",
    "contactname",
    "contactperson",
    "firstname",
    "lastname",
    "title",
    "industry",
    "type",
    "owner",
    "accountowner",
    "state",
    "province",
    "region",
    "county",
    "vatnumber",
    "taxid",
    "ansprechpartner",
];

/// What CRM and accounting exports put before the columns of one address of several
/// ("Billing Street", "Business Postal Code", Dynamics' "Address 1: City").
const ADDRESS_PREFIXES: [&str; 6] = [
    "billing", "business", "mailing", "shipping", "physical", "address1",
];

/// The address prefix a header's key starts with, if it names more than the prefix.
fn address_prefix(key: &str) -> Option<&'static str> {
    ADDRESS_PREFIXES
        .into_iter()
        .find(|p| key.len() > p.len() && key.starts_with(p))
}

/// What other tools and people write for "no value" ("n/a", "-", "unknown"). Not "NA": that
/// is Namibia.
pub fn is_placeholder(value: &str) -> bool {
    // Asked of several values of every row: compared in place, not lowercased into a copy.
    [
        "-", "--", "n/a", "n.a.", "#n/a", "none", "unknown", "null", "?",
    ]
    .iter()
    .any(|p| value.eq_ignore_ascii_case(p))
}

/// One column of the file and what it feeds.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Column {
    pub header: String,
    /// `None`: not a customer field (or a repeat of an earlier column); ignored.
    pub field: Option<Field>,
    /// A field that a more precise column feeds ("Billing Address" beside "Billing Street"):
    /// this one is read for a row where that column is empty.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fallback: Option<Field>,
    /// An Active or Inactive column of marks ("x"): an empty cell in it is a no (see
    /// [`marked_columns`]).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub marks: bool,
}

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
    examples_done: bool,
    pub path: PathBuf,
    pub encoding: &'static str,
    pub delimiter: char,
    pub columns: Vec<Column>,
    /// The file's size and how many of its bytes have been read, for progress.
    pub size: u64,
    /// The file as opened (a second handle to it) and what it was then: to tell whether it
    /// changed while being read.
    origin: files::Source,
    read: Arc<AtomicU64>,
    /// Average bytes per row in the sample, to estimate the row count.
    bytes_per_row: f64,
    reader: csv::Reader<Ending<MidBoms<Box<dyn Read + Send>>>>,
    record: csv::StringRecord,
    /// A record read ahead (to tell whether the one before it ends the file), what reading it
    /// returned and the line after it; handed out next.
    ahead: csv::StringRecord,
    peeked: Option<NextRecord>,
    /// The line the last row read started on.
    line: u64,
    /// Whether the file was decoded from another encoding than UTF-8 (whose decoder puts
    /// U+FFFD where bytes mean nothing).
    decoded: bool,
    /// 1 when the file begins with Excel's `sep=` line: rows are numbered as Excel shows them,
    /// without it (header = row 1).
    hidden_lines: u64,
    /// The header's names as a row repeating it would hold them (see `plain`), lowercased, and
    /// their byte lengths: a value is looked up only when its length is one of them.
    header_words: (HashSet<String>, HashSet<usize>),
}

/// A value as a header row may hold it: trimmed, without a BOM or the quotes around it.
fn plain(v: &str) -> &str {
    let v = v.trim().trim_start_matches('\u{feff}').trim();
    v.strip_prefix('"')
        .and_then(|v| v.strip_suffix('"'))
        .unwrap_or(v)
        .trim()
}

fn io_error<'p>(action: &'static str, path: &'p Path) -> impl FnOnce(io::Error) -> Error + 'p {
    move |source| Error::Io {
        action,
        path: path.to_owned(),
        source,
    }
}

/// Counts the bytes read from the file, for the progress bar.
struct Counting<R> {
    inner: R,
    read: Arc<AtomicU64>,
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
struct LoneCrToLf<R> {
    inner: R,
    buf: Box<[u8]>,
    /// `buf[start..end]` is read and not yet handed on.
    start: usize,
    end: usize,
    eof: bool,
    /// The delimiter and where the text handed on so far ends (`None`: every lone CR ends a
    /// line).
    csv: Option<(u8, Where)>,
}

/// Where in a CSV record a byte stands, as the CSV reader sees it: a quote opens a quoted value
/// only at the start of a value; inside one, `""` is a quote and a lone `"` closes it.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Where {
    ValueStart,
    Unquoted,
    Quoted,
    /// Just after a quote inside a quoted value: it closes the value unless another follows.
    QuoteInQuoted,
}

impl<R: Read> LoneCrToLf<R> {
    /// For a file whose lines end in CR: every lone CR.
    fn new(inner: R) -> Self {
        Self::with(inner, None)
    }

    /// For any other file: lone CRs outside quoted values.
    fn outside_quotes(inner: R, delimiter: u8) -> Self {
        Self::with(inner, Some((delimiter, Where::ValueStart)))
    }

    fn with(inner: R, csv: Option<(u8, Where)>) -> Self {
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
struct MidBoms<R> {
    inner: R,
    buf: Box<[u8]>,
    /// `buf[start..end]` is ready to be handed on; `buf[end..held]`, the start of a BOM that
    /// the end of a read cut off, waits for the next read to tell.
    start: usize,
    end: usize,
    held: usize,
    /// Whether the last byte made ready ended a line (or none has been yet).
    line_start: bool,
    eof: bool,
}

const BOM: &[u8] = b"\xef\xbb\xbf";

impl<R: Read> MidBoms<R> {
    fn new(inner: R) -> Self {
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
    fn fill(&mut self) -> io::Result<()> {
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
struct Ending<R> {
    inner: R,
    /// Bytes handed on so far, and how many of them the CSV reader had taken when the record
    /// being read began: a record may not run on for more than [`MAX_ROW`] bytes.
    handed: u64,
    record_start: u64,
    /// The last bytes handed on, at most `TAIL` of them.
    tail: Vec<u8>,
    /// The added line break: owed, then handed on.
    added: Option<bool>,
}

const TAIL: usize = 256;

/// The most one row may take of the file: far more than any customer row (a row of every
/// column at its longest is under 100 KB, and other columns are rarely big), and a bound on
/// what reading a file that never ends a row — a quote left open, a file that is not CSV —
/// holds in memory.
pub const MAX_ROW: u64 = 8 << 20;

/// The most columns, and the longest column name, a header row may have: far more than any
/// customer list has, and a bound on what a file that is not one costs to read (each value of
/// a row is a few words of memory, and every column's name is kept and shown).
const MAX_COLUMNS: usize = 1_000;
const MAX_HEADER_CHARS: usize = 1_000;

/// The read failure that [`Ending`] reports when a record runs on past [`MAX_ROW`].
#[derive(Debug)]
struct RowTooLong;

impl std::fmt::Display for RowTooLong {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "a row is longer than {} MB", MAX_ROW >> 20)
    }
}

impl std::error::Error for RowTooLong {}

/// What reading one record returned, the reader's line after it, and the first of its values
/// that held bytes that are not text (read with U+FFFD in their place).
struct NextRecord {
    read: csv::Result<bool>,
    after: u64,
    bad: Option<usize>,
}

/// Reads the next record into `record` (whose buffers it reads into), values with bytes that
/// are not text included, those bytes as U+FFFD: the row is then reported as a whole, with its
/// line and any worse trouble (a quote left open) first. Bytes that are not UTF-8 pass through
/// undecoded and are found here; a `decoded` file's decoder has put U+FFFD for them already.
fn read_text<R: Read>(
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
fn arm<R: Read>(reader: &mut csv::Reader<Ending<R>>) {
    let at = reader.position().byte();
    reader.get_mut().record_start = at;
}

impl<R: Read> Ending<R> {
    fn new(inner: R) -> Self {
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
    fn ends_inside_quotes(&self) -> bool {
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

/// How much of a file that is not UTF-8 the legacy-encoding detector reads (of the parts that
/// are not all ASCII).
const DETECT: u64 = 4 << 20;

/// What one pass over a file without a BOM tells: how many characters beyond ASCII are valid
/// UTF-8, how many byte sequences are not, which legacy encoding it most likely is if it is not
/// UTF-8 (Mozilla's detector, as Firefox uses for unlabelled text, fed up to [`DETECT`] bytes
/// of the parts that are not all ASCII), and whether a lone CR stands in it.
struct Scan {
    non_ascii: u64,
    invalid: u64,
    legacy: &'static Encoding,
    /// Whether a CR stands somewhere without an LF after it.
    lone_cr: bool,
}

fn scan_text(file: &mut File) -> io::Result<Scan> {
    let mut buf = vec![0u8; 1 << 20];
    let (mut carry, mut fed) = (0, 0u64);
    let (mut non_ascii, mut invalid, mut lone_cr) = (0u64, 0u64, false);
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    loop {
        let n = file.read(&mut buf[carry..])?;
        // Only what holds more than ASCII tells an encoding: a file whose accents come late
        // is judged by them, not by its first megabytes.
        let new = &buf[carry..carry + n];
        if n == 0 || (fed < DETECT && !new.is_ascii()) {
            detector.feed(new, n == 0);
            fed += n as u64;
        }
        let filled = carry + n;
        // A CR ending what was read may be followed by an LF: counted as lone, to be safe.
        lone_cr = lone_cr
            || memchr::memchr_iter(b'\r', &buf[..filled])
                .any(|i| i + 1 == filled || buf[i + 1] != b'\n');
        let mut at = 0;
        carry = 0;
        while at < filled {
            match std::str::from_utf8(&buf[at..filled]) {
                Ok(text) => {
                    non_ascii += text.bytes().filter(|&b| b >= 0xc0).count() as u64;
                    at = filled;
                }
                Err(e) => {
                    let valid = &buf[at..at + e.valid_up_to()];
                    non_ascii += valid.iter().filter(|&&b| b >= 0xc0).count() as u64;
                    match e.error_len() {
                        Some(len) => {
                            invalid += 1;
                            at += e.valid_up_to() + len;
                        }
                        // A character cut off by the end of what was read: carried over, or
                        // at the end of the file, invalid.
                        None if n > 0 => {
                            let start = at + e.valid_up_to();
                            buf.copy_within(start..filled, 0);
                            carry = filled - start;
                            at = filled;
                        }
                        None => {
                            invalid += 1;
                            at = filled;
                        }
                    }
                }
            }
        }
        if n == 0 {
            return Ok(Scan {
                non_ascii,
                invalid,
                legacy: detector.guess(None, chardetng::Utf8Detection::Deny),
                lone_cr,
            });
        }
    }
}

/// Picks the delimiter under which the sample's rows most consistently have the header's
/// number of columns (more than one); a one-column file gets a comma.
fn sniff_delimiter(sample: &str, truncated: bool) -> u8 {
    let mut best = (0usize, 0usize, b',');
    for d in DELIMITERS {
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(d)
            .has_headers(false)
            .flexible(true)
            .from_reader(sample.as_bytes());
        let mut counts: Vec<usize> = reader
            .records()
            .take(100)
            .map_while(|r| r.ok())
            .filter(|r| !r.iter().all(|f| f.trim().is_empty()))
            .map(|r| r.len())
            .collect();
        if truncated && counts.len() > 1 {
            counts.pop(); // the last row may be cut off
        }
        let Some(&header) = counts.first() else {
            continue;
        };
        if header < 2 {
            continue;
        }
        let consistent = counts.iter().filter(|&&n| n == header).count();
        if (consistent, header) > (best.0, best.1) {
            best = (consistent, header, d);
        }
    }
    best.2
}

/// Whether the first line break outside quotes is a CR not followed by LF (classic Mac files).
fn ends_lines_with_cr_only(sample: &str) -> bool {
    let mut quoted = false;
    let mut chars = sample.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' => quoted = !quoted,
            '\n' if !quoted => return false,
            '\r' if !quoted => return chars.peek() != Some(&'\n'),
            _ => {}
        }
    }
    false
}

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
            let takes = || {
                value.len() <= 32 && field.is_some_and(|f| super::import::reads_as_value(f, value))
            };
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

/// How many line breaks (LF) a value holds.
fn line_breaks(v: &str) -> u64 {
    v.bytes().filter(|&b| b == b'\n').count() as u64
}

/// The refusal of a file with binary data in it (NUL bytes, and not UTF-16).
fn not_a_text_file(name: &str) -> Error {
    Error::Refused(format!(
        "'{name}' is not a text file (it contains binary data); choose a CSV file."
    ))
}

/// An encoding as reports name it, and as the import dialog's list begins its names: UTF-8
/// with or without its byte-order mark (`bom`, its length), Windows and Mac code pages as
/// their makers name them, the others by their WHATWG names.
fn label_of(enc: &'static Encoding, bom: usize) -> &'static str {
    if enc == UTF_8 {
        return if bom > 0 { "UTF-8 with BOM" } else { "UTF-8" };
    }
    match enc.name() {
        "windows-874" => "Windows-874",
        "windows-1250" => "Windows-1250",
        "windows-1251" => "Windows-1251",
        "windows-1252" => "Windows-1252",
        "windows-1253" => "Windows-1253",
        "windows-1254" => "Windows-1254",
        "windows-1255" => "Windows-1255",
        "windows-1256" => "Windows-1256",
        "windows-1257" => "Windows-1257",
        "windows-1258" => "Windows-1258",
        "macintosh" => "Mac Roman",
        "x-mac-cyrillic" => "Mac Cyrillic",
        "IBM866" => "DOS 866",
        other => other,
    }
}

/// A delimiter as reports name it: "comma", or a `sep=` line's or the user's other choice
/// quoted.
pub fn delimiter_label(d: char) -> String {
    match d {
        ',' => "comma".to_owned(),
        ';' => "semicolon".to_owned(),
        '\t' => "tab".to_owned(),
        '|' => "vertical bar".to_owned(),
        other => format!("'{other}'"),
    }
}

/// The same in a sentence's plural: "commas", "'#' characters".
fn delimiter_plural(d: char) -> String {
    match d {
        ',' | ';' | '\t' | '|' => format!("{}s", delimiter_label(d)),
        other => format!("'{other}' characters"),
    }
}

/// Excel's first line `sep=;` (any one delimiter, quoted or not): the delimiter it names.
fn sep_directive(sample: &str) -> Option<u8> {
    let first = sample.split(['\r', '\n']).next()?;
    let first = first
        .strip_prefix('"')
        .and_then(|f| f.strip_suffix('"'))
        .unwrap_or(first);
    let (directive, delimiter) = first.split_at_checked(4)?;
    match delimiter.as_bytes() {
        [d] if directive.eq_ignore_ascii_case("sep=") && can_delimit(*d) => Some(*d),
        _ => None,
    }
}

/// A file without a byte-order mark whose NUL bytes are the high halves of UTF-16 code units
/// (text of mostly Latin letters) and which decodes to text: its UTF-16 encoding.
fn utf16_without_bom(head: &[u8]) -> Option<&'static Encoding> {
    let even = &head[..head.len() & !1];
    let nuls = |odd: usize| {
        even.iter()
            .skip(odd)
            .step_by(2)
            .filter(|&&b| b == 0)
            .count()
    };
    let enc = if nuls(1) > nuls(0) {
        UTF_16LE
    } else {
        UTF_16BE
    };
    // A unit that is not text (a lone surrogate, the sample's end cutting a pair) is allowed
    // now and then (two, or one in a hundred characters): a damaged row is reported as such;
    // a binary file has them everywhere, and control characters too.
    let (text, _) = enc.decode_without_bom_handling(even);
    let (mut chars, mut broken) = (0usize, 0usize);
    for c in text.chars() {
        chars += 1;
        broken += usize::from(c == '\u{fffd}');
        if c.is_control() && !matches!(c, '\t' | '\r' | '\n') {
            return None;
        }
    }
    (text.contains(['\n', '\r']) && (broken <= 2 || broken * 100 <= chars)).then_some(enc)
}

/// A value that marks a yes in a spreadsheet column of ticks.
pub fn is_mark(value: &str) -> bool {
    matches!(
        value.trim(),
        "x" | "X" | "\u{2713}" | "\u{2714}" | "\u{2611}"
    )
}

/// The Active and Inactive columns whose values in the sample (the file's start, `skip` lines
/// of which come before the rows) are marks ("x", a tick) or empty, with at least one of each:
/// such a column says yes with a mark and no with nothing. In any other column an empty cell
/// says nothing (with "Update existing", the stored state stays).
fn marked_columns(sample: &str, delimiter: u8, skip: usize, columns: &[Column]) -> Vec<usize> {
    let flags: Vec<usize> = (0..columns.len())
        .filter(|&i| matches!(columns[i].field, Some(Field::Active | Field::Inactive)))
        .collect();
    if flags.is_empty() {
        return flags;
    }
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(sample.as_bytes());
    // Per column: seen a mark, seen an empty cell, seen anything else.
    let mut seen = vec![(false, false, false); flags.len()];
    for record in reader.records().skip(skip).map_while(|r| r.ok()) {
        if record.iter().all(|v| v.trim().is_empty()) {
            continue;
        }
        for (k, &i) in flags.iter().enumerate() {
            let value = record.get(i).unwrap_or_default();
            match (value.trim().is_empty(), is_mark(value)) {
                (true, _) => seen[k].1 = true,
                (false, true) => seen[k].0 = true,
                (false, false) => seen[k].2 = true,
            }
        }
    }
    flags
        .into_iter()
        .zip(seen)
        .filter(|(_, (mark, empty, other))| *mark && *empty && !*other)
        .map(|(i, _)| i)
        .collect()
}

/// Whether one of `columns` feeds `field`.
pub fn has(columns: &[Column], field: Field) -> bool {
    columns.iter().any(|c| c.field == Some(field))
}

/// The header of the column that feeds `field` (for messages), or the field's own name.
pub fn header_of(columns: &[Column], field: Field) -> String {
    columns
        .iter()
        .find(|c| c.field == Some(field))
        .map_or_else(|| field.header().to_owned(), |c| c.header.clone())
}

/// The header of the column a row's value for `field` came from: the column it `fell_back`
/// to (see [`SourceRow::fell_back`]), or the field's own.
pub fn header_in(columns: &[Column], fell_back: &[(Field, usize)], field: Field) -> String {
    match fell_back.iter().find(|(f, _)| *f == field) {
        Some(&(_, i)) => columns[i].header.clone(),
        None => header_of(columns, field),
    }
}

/// A failure to read on in `path`, after the row on `line` (0: in the header): a row that runs
/// on past [`MAX_ROW`], a read error of the file, or (in the header) CSV it cannot read.
fn read_failure(path: &Path, e: csv::Error, line: u64) -> Error {
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

trait Rewind {
    fn rewind_to_start(&mut self, path: &Path) -> Result<()>;
}

impl Rewind for File {
    fn rewind_to_start(&mut self, path: &Path) -> Result<()> {
        use std::io::Seek;
        self.rewind().map_err(io_error("read", path))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_map_with_synonyms_ignoring_case_spaces_and_punctuation() {
        for (h, f) in [
            ("Name", Field::Name),
            ("Customer name", Field::Name),
            ("COMPANY", Field::Name),
            ("Customer", Field::Name),
            ("customer_id", Field::CustomerId),
            ("Customer-ID", Field::CustomerId),
            ("Slug", Field::CustomerId),
            ("Zip code", Field::Zip),
            ("Postal code", Field::Zip),
            ("Postcode", Field::Zip),
            ("Town", Field::City),
            ("Website", Field::Url),
            ("Web", Field::Url),
            ("Notes", Field::Comment),
            ("Status", Field::Validity),
            ("Valid", Field::Validity),
            ("Active?", Field::Active),
            ("Customer #", Field::CustomerId),
            ("Account #", Field::CustomerId),
            ("Client No.", Field::CustomerId),
            ("companyNumber", Field::CustomerId),
        ] {
            assert_eq!(Field::from_header(h), Some(f), "{h}");
        }
        assert_eq!(Field::from_header("Revenue"), None);
        // A US address's state is no validity, and no other field.
        assert_eq!(Field::from_header("State"), None);
        assert_eq!(Field::from_header("Billing State/Province"), None);
        // Street, ZIP and country as CRM and Microsoft exports name them.
        for (h, f) in [
            ("Billing Street", Field::Street),
            ("Billing Zip/Postal Code", Field::Zip),
            ("Business Postal Code", Field::Zip),
            ("Mailing City", Field::City),
            ("Shipping Country", Field::Country),
            ("Country/Region", Field::Country),
            ("Business Country/Region", Field::Country),
            ("Website URL", Field::Url),
            ("Company Domain Name", Field::Url),
        ] {
            assert_eq!(Field::from_header(h), Some(f), "{h}");
        }
        // A prefix alone is no field, and it names an address only.
        assert_eq!(Field::from_header("Billing"), None);
        assert_eq!(Field::from_header("Billing ID"), None);
        assert_eq!(Field::from_header("Billing Status"), None);
        assert_eq!(Field::from_header("Domain"), None);
        for (h, f) in [
            ("Address 1: Street 1", Field::Street),
            ("Address 1: ZIP/Postal Code", Field::Zip),
            ("Address 1: Country/Region", Field::Country),
            ("Town/City", Field::City),
            ("Organization Name", Field::Name),
            ("Business Name", Field::Name), // Syncro's customers
            ("Site Name", Field::Name),
            ("Company ID", Field::CustomerId),
            ("Cust #", Field::CustomerId),
            ("Straße", Field::Street),
            ("Kundennummer", Field::CustomerId),
            ("Firma", Field::Name),
            ("Webseite", Field::Url),
            ("Bemerkung", Field::Comment),
            ("Aktiv", Field::Active),
            ("Inactive", Field::Inactive),
            ("archived", Field::Inactive),
            ("country_name", Field::Country),
        ] {
            assert_eq!(Field::from_header(h), Some(f), "{h}");
        }
    }

    /// Hands out one byte per read, so every CR falls at the end of a read.
    struct Trickle<'a>(&'a [u8]);

    impl Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            let n = buf.len().min(self.0.len()).min(1);
            buf[..n].copy_from_slice(&self.0[..n]);
            self.0 = &self.0[n..];
            Ok(n)
        }
    }

    /// That `layer` turns each input into its expected output, whether it is read whole or a
    /// few bytes at a time from a source that hands out one byte per read.
    fn assert_reads_across_every_read_boundary<'a, R: Read>(
        layer: impl Fn(Box<dyn Read + 'a>) -> R,
        cases: &[(&'a [u8], &'a [u8])],
    ) {
        for &(input, expected) in cases {
            for out_len in [1, 2, 7] {
                let mut reader = layer(Box::new(Trickle(input)));
                let (mut got, mut chunk) = (Vec::new(), vec![0; out_len]);
                loop {
                    let n = reader.read(&mut chunk).unwrap();
                    if n == 0 {
                        break;
                    }
                    got.extend_from_slice(&chunk[..n]);
                }
                assert_eq!(got, expected, "{input:?} read {out_len} at a time");
            }
            let mut whole = Vec::new();
            layer(Box::new(input)).read_to_end(&mut whole).unwrap();
            assert_eq!(whole, expected, "{input:?} read whole");
        }
    }

    #[test]
    fn lone_crs_become_lfs_and_crlf_stays_across_every_read_boundary() {
        let cases: [(&[u8], &[u8]); 6] = [
            (b"a\rb\r", b"a\nb\n"),
            (b"a\r\rb", b"a\n\nb"),
            (b"\"x\r\ny\"\rz\r\n", b"\"x\r\ny\"\nz\r\n"),
            (b"\r", b"\n"),
            (b"\r\n", b"\r\n"),
            (b"", b""),
        ];
        assert_reads_across_every_read_boundary(LoneCrToLf::new, &cases);
    }

    /// In a file whose lines end in LF or CRLF, a lone CR ends a line only outside quotes.
    #[test]
    fn outside_quotes_a_lone_cr_ends_a_line_across_every_read_boundary() {
        let cases: [(&[u8], &[u8]); 5] = [
            (b"a,b\r\nc,d\re,f\n", b"a,b\r\nc,d\ne,f\n"),
            (b"a,\"x\ry\"\rb\r", b"a,\"x\ry\"\nb\n"),
            (b"\"\"\"q\"\"\r\"\r", b"\"\"\"q\"\"\r\"\n"),
            (b"x\r\n\r\r\n", b"x\r\n\n\r\n"),
            // A quote inside an unquoted value is a character like any: the CR after is lone.
            (
                b"A,12\" rack\rB,\"q\"\"\r\"\r",
                b"A,12\" rack\nB,\"q\"\"\r\"\n",
            ),
        ];
        assert_reads_across_every_read_boundary(|r| LoneCrToLf::outside_quotes(r, b','), &cases);
    }

    /// A BOM at the start of a line goes, wherever a read ends; any other EF byte stays.
    #[test]
    fn boms_that_start_lines_are_dropped_across_every_read_boundary() {
        let cases: [(&[u8], &[u8]); 6] = [
            (b"a\n\xef\xbb\xbf\"b\n\",c\n", b"a\n\"b\n\",c\n"),
            (b"\xef\xbb\xbfx\n\xef\xbb\xbf", b"x\n"),
            (b"a\xef\xbb\xbfb\n", b"a\xef\xbb\xbfb\n"),
            (b"a\n\xef\xbb", b"a\n\xef\xbb"),
            (b"a\n\xef\xbc\xa1\n\xef", b"a\n\xef\xbc\xa1\n\xef"),
            (b"", b""),
        ];
        assert_reads_across_every_read_boundary(MidBoms::new, &cases);
    }

    #[test]
    fn line_endings_are_told_apart_outside_quotes() {
        assert!(ends_lines_with_cr_only("a,b\r1,\"x\ny\"\r"));
        assert!(!ends_lines_with_cr_only("a,\"b\rc\"\n1,2\n"));
        assert!(!ends_lines_with_cr_only("a,b\r\n1,2\r\n"));
        assert!(!ends_lines_with_cr_only("Name"));
    }

    #[test]
    fn an_excel_sep_line_is_read_only_when_it_names_one_delimiter() {
        for (sample, expected) in [
            ("sep=;\r\nName;City", Some(b';')),
            ("\"sep=,\"\nName", Some(b',')),
            ("SEP=\t\nName", Some(b'\t')),
            ("sep=|", Some(b'|')),
            ("sep=\nName", None),
            ("sep=;;\nName", None),
            ("sep=x\nName", None),
            ("sep=\"\nName", None),
            ("separator,Name\n", None),
            ("Name,sep=;\n", None),
            ("sep=é\n", None),
        ] {
            assert_eq!(sep_directive(sample), expected, "{sample:?}");
        }
    }

    #[test]
    fn the_delimiter_is_the_one_that_splits_rows_consistently() {
        assert_eq!(sniff_delimiter("a;b;c\n1;2,5;3\n", false), b';');
        assert_eq!(sniff_delimiter("a,b\n\"x;y\",2\n", false), b',');
        assert_eq!(sniff_delimiter("a\tb\n1\t2\n", false), b'\t');
        assert_eq!(sniff_delimiter("a|b|c\n1|2|3\n", false), b'|');
        assert_eq!(sniff_delimiter("Name\nacme\n", false), b',');
    }
}
