//! `clientbook bench`: fills a database with generated customers and measures what a person
//! feels — search per keystroke and scrolling at any depth. Prints a table; asserts nothing.

use crate::error::Result;
use crate::model::{ValidCustomer, Validity};
use crate::store::{ListQuery, Store};
use std::io::Write;
use std::path::Path;
use std::time::{Duration, Instant};

const FIRSTS: &[&str] = &[
    "Acme",
    "Alpen",
    "Nord",
    "Süd",
    "Blue",
    "Bright",
    "Müller",
    "Schmidt",
    "Zürich",
    "Berg",
    "Delta",
    "Omega",
    "Nova",
    "Apex",
    "Cedar",
    "Harbor",
    "Ísland",
    "Łódź",
    "Crystal",
    "Falcon",
    "Granite",
    "Horizon",
    "Iron",
    "Juniper",
    "Kestrel",
    "Lumen",
    "Maple",
    "North",
    "Orbit",
    "Pioneer",
    "Quantum",
    "River",
    "Summit",
    "Tiger",
    "Union",
    "Vertex",
    "Willow",
    "Xenon",
    "Yellow",
    "Zenith",
    "東京",
    "Αθηνά",
    "Café",
    "Økologisk",
    "Société",
    "Brandt",
    "Koch",
    "Wolf",
];
const SECONDS: &[&str] = &[
    "Systems",
    "Consulting",
    "Logistik",
    "Bau",
    "Software",
    "Dental",
    "Legal",
    "Media",
    "Partners",
    "Holdings",
    "Technik",
    "Finance",
    "Energy",
    "Foods",
    "Health",
    "Labs",
    "Design",
    "Motors",
    "Textil",
    "Versand",
    "Immobilien",
    "Networks",
    "Security",
    "Print",
    "Travel",
];
const FORMS: &[&str] = &[
    "GmbH", "AG", "Ltd", "Inc", "BV", "SARL", "KG", "LLC", "Oy", "AB",
];
const CITIES: &[(&str, &str)] = &[
    ("Berlin", "DE"),
    ("München", "DE"),
    ("Hamburg", "DE"),
    ("Köln", "DE"),
    ("Zürich", "CH"),
    ("Genève", "CH"),
    ("Wien", "AT"),
    ("Graz", "AT"),
    ("Paris", "FR"),
    ("Lyon", "FR"),
    ("London", "GB"),
    ("Manchester", "GB"),
    ("Amsterdam", "NL"),
    ("Rotterdam", "NL"),
    ("København", "DK"),
    ("Stockholm", "SE"),
    ("Oslo", "NO"),
    ("Helsinki", "FI"),
    ("Warszawa", "PL"),
    ("Kraków", "PL"),
    ("Praha", "CZ"),
    ("Madrid", "ES"),
    ("Sevilla", "ES"),
    ("Lisboa", "PT"),
    ("Roma", "IT"),
    ("Milano", "IT"),
    ("New York", "US"),
    ("Austin", "US"),
    ("Toronto", "CA"),
    ("Tokyo", "JP"),
    ("Sydney", "AU"),
    ("São Paulo", "BR"),
];

/// What one keystroke sends: one- and two-letter prefixes, words, two-word prefixes, a miss.
pub const QUERIES: &[&str] = &[
    "a",
    "m",
    "z",
    "ö",
    "ac",
    "be",
    "mü",
    "sy",
    "acme",
    "acm co",
    "berlin",
    "zür gm",
    "nova la",
    "東",
    "café",
    "koch 12",
    "summit security",
    "x",
    "qq",
    "nothing-matches-this",
];

/// A deterministic customer number `i` (the same for the same `i`, on every machine).
pub fn generated_customer(i: u64) -> (String, ValidCustomer) {
    let mut rng = fastrand::Rng::with_seed(i);
    let name = format!(
        "{} {} {}",
        FIRSTS[rng.usize(..FIRSTS.len())],
        SECONDS[rng.usize(..SECONDS.len())],
        FORMS[rng.usize(..FORMS.len())]
    );
    let (city, country) = CITIES[rng.usize(..CITIES.len())];
    let id = format!("{}-{i}", crate::model::slug::slugify(&name));
    let customer = ValidCustomer {
        customer_id: Some(id.clone()),
        street: Some(format!(
            "{} Street {}",
            SECONDS[rng.usize(..SECONDS.len())],
            rng.u32(1..300)
        )),
        zip: Some(format!("{:05}", rng.u32(1000..99999))),
        city: Some(city.to_owned()),
        country: Some(country.to_owned()),
        url: Some(format!("https://{}.example", id)),
        comment: None,
        validity: if rng.u8(..20) == 0 {
            Validity::Invalid
        } else {
            Validity::Valid
        },
        name,
    };
    (id, customer)
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i]
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

fn measure(runs: usize, mut f: impl FnMut() -> Result<()>) -> Result<Vec<Duration>> {
    let mut times = Vec::with_capacity(runs);
    for _ in 0..runs {
        let t = Instant::now();
        f()?;
        times.push(t.elapsed());
    }
    times.sort();
    Ok(times)
}

/// Runs the benchmark on a new database at `path` with `customers` generated customers.
pub fn run(path: &Path, customers: u64, out: &mut impl Write) -> Result<()> {
    let say = |out: &mut dyn Write, line: String| {
        let _ = writeln!(out, "{line}");
        let _ = out.flush();
    };
    let _ = std::fs::remove_file(path);
    let store = Store::open(path)?;
    say(out, format!("Database: {}", path.display()));

    let t = Instant::now();
    store.insert_many((1..=customers).map(generated_customer))?;
    say(
        out,
        format!(
            "Generated and inserted {customers} customers in {:.1} s",
            t.elapsed().as_secs_f64()
        ),
    );

    let all = ListQuery::default();
    let t = Instant::now();
    let total = store.view_total(&all)?;
    say(
        out,
        format!(
            "Opened the full list ({total} rows, scroll index built) in {}",
            ms(t.elapsed())
        ),
    );

    say(out, String::new());
    say(
        out,
        "Search, per keystroke (first 50 rows shown)            p50        p99     matches".into(),
    );
    let mut all_first = Vec::new();
    for q in QUERIES {
        let query = ListQuery {
            search: (*q).to_owned(),
            ..Default::default()
        };
        let times = measure(30, || store.window(&query, 0, 50).map(|_| ()))?;
        all_first.extend_from_slice(&times);
        let t = Instant::now();
        let matches = store.view_total(&query)?;
        let total_time = t.elapsed();
        say(
            out,
            format!(
                "  {:<22} {:>12} {:>12} {:>10}   (full count + scroll index {})",
                format!("{q:?}"),
                ms(percentile(&times, 0.5)),
                ms(percentile(&times, 0.99)),
                matches,
                ms(total_time)
            ),
        );
    }
    all_first.sort();
    say(
        out,
        format!(
            "  {:<22} {:>12} {:>12}   target p99 <= 16 ms",
            "all queries",
            ms(percentile(&all_first, 0.5)),
            ms(percentile(&all_first, 0.99))
        ),
    );

    say(out, String::new());
    say(
        out,
        "Page of 50 rows at depth                               p50        p99".into(),
    );
    store.view_total(&all)?;
    for depth in [0, total / 2, total.saturating_sub(1_000)] {
        let times = measure(200, || store.window(&all, depth, 50).map(|_| ()))?;
        say(
            out,
            format!(
                "  {:<22} {:>12} {:>12}   target <= 5 ms",
                depth,
                ms(percentile(&times, 0.5)),
                ms(percentile(&times, 0.99))
            ),
        );
    }
    Ok(())
}
