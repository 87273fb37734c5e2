//! Sample customers that look like real ones — names in several scripts and forms, cities of
//! several countries, addresses and web sites — generated from a number, for the benchmark and
//! for tests of large files: the same number always gives the same customer.

use crate::error::Result;
use crate::model::{ValidCustomer, Validity};
use std::path::Path;

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

/// Writes `customers` generated customers as a CSV file with every column the exporter writes.
pub fn write_csv(path: &Path, customers: u64) -> Result<()> {
    let io = |source| crate::Error::Io {
        action: "write",
        path: path.to_owned(),
        source,
    };
    let file = std::fs::File::create(path).map_err(io)?;
    let mut csv = csv::Writer::from_writer(std::io::BufWriter::with_capacity(1 << 20, file));
    let columns = crate::transfer::export::COLUMNS;
    csv.write_record(columns.iter().map(|f| f.header()))
        .map_err(|e| io(e.into()))?;
    for i in 1..=customers {
        let (id, c) = generated_customer(i);
        let opt = |v: &Option<String>| v.clone().unwrap_or_default();
        // Created some time in 2015–2024, last updated at the same moment of 2025.
        let (month, day, hour, minute) = (1 + i % 12, 1 + i % 28, i % 24, (i / 24) % 60);
        let moment = format!(
            "{month:02}-{day:02}T{hour:02}:{minute:02}:{:02}.000Z",
            i % 60
        );
        csv.write_record([
            id.as_str(),
            &c.name,
            &opt(&c.street),
            &opt(&c.zip),
            &opt(&c.city),
            &opt(&c.country),
            &opt(&c.url),
            &format!("Generated customer {i}"),
            c.validity.as_str(),
            "no",
            "",
            "",
            "",
            "",
            &format!("{}-{moment}", 2015 + i % 10),
            &format!("2025-{moment}"),
        ])
        .map_err(|e| io(e.into()))?;
    }
    csv.flush().map_err(io)
}
