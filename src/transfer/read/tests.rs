//! Unit tests of reading: headers and synonyms, encodings, delimiters, line endings, streams.

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
        // Street, ZIP and country as CRM and Microsoft exports name them.
        ("Billing Street", Field::Street),
        ("Billing Zip/Postal Code", Field::Zip),
        ("Business Postal Code", Field::Zip),
        ("Mailing City", Field::City),
        ("Shipping Country", Field::Country),
        ("Country/Region", Field::Country),
        ("Business Country/Region", Field::Country),
        ("Website URL", Field::Url),
        ("Company Domain Name", Field::Url),
        // Dynamics' "Address 1:" columns, other tools' own names, and German ones.
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
    for h in [
        "Revenue",
        // A US address's state is no validity, and no other field.
        "State",
        "Billing State/Province",
        // A prefix alone is no field, and it names an address only.
        "Billing",
        "Billing ID",
        "Billing Status",
        "Domain",
    ] {
        assert_eq!(Field::from_header(h), None, "{h}");
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
