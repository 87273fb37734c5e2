//! `clientbook bench`: fills a database with generated customers and measures what a person
//! feels — a large CSV import and export (against the sqlite3 tool on the same files), search
//! per keystroke and scrolling at any depth. Prints tables; asserts nothing.

use clientbook::sample::write_csv;
use clientbook::store::{ListQuery, Store};
use clientbook::Result;
use std::io::Write;
use std::path::Path;
use std::time::{Duration, Instant};

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

/// The process's peak resident memory so far (Linux), for "the import streams".
fn peak_memory_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

/// Times one run of the sqlite3 command-line tool, or says why it could not run.
fn time_sqlite3(args: &[&str], stdout: Option<&Path>) -> std::result::Result<Duration, String> {
    let mut cmd = std::process::Command::new("sqlite3");
    cmd.args(args);
    if let Some(out) = stdout {
        let file = std::fs::File::create(out).map_err(|e| e.to_string())?;
        cmd.stdout(file);
    }
    let t = Instant::now();
    let status = cmd
        .status()
        .map_err(|e| format!("sqlite3 could not run ({e}); install it (apt install sqlite3)"))?;
    let elapsed = t.elapsed();
    match status.success() {
        true => Ok(elapsed),
        false => Err(format!("sqlite3 failed ({status})")),
    }
}

/// Runs the benchmark on a new database at `path` with `customers` generated customers: CSV
/// import and export against the sqlite3 tool, then search and paging on the imported data.
pub fn run(path: &Path, customers: u64, out: &mut impl Write) -> Result<()> {
    let say = |out: &mut dyn Write, line: String| {
        let _ = writeln!(out, "{line}");
        let _ = out.flush();
    };
    let secs = |d: Duration| format!("{:.2} s", d.as_secs_f64());
    // The benchmark fills a new database: it never replaces or empties a file that is there.
    if clientbook::files::database(path)?.exists {
        return Err(clientbook::Error::Refused(format!(
            "'{}' already exists; the benchmark fills a new database. Name a file that does \
             not exist, or leave out --db.",
            path.display()
        )));
    }
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(|source| clientbook::Error::Io {
        action: "create",
        path: dir.to_owned(),
        source,
    })?;
    // Its other files go in a folder of their own, removed at the end.
    let work = tempfile::Builder::new()
        .prefix(".clientbook-bench-")
        .tempdir_in(dir)
        .map_err(|source| clientbook::Error::Io {
            action: "create a folder beside",
            path: path.to_owned(),
            source,
        })?;
    let dir = work.path();
    let csv_in = dir.join("clientbook-bench.csv");
    let csv_out = dir.join("clientbook-bench-export.csv");
    let plain_db = dir.join("clientbook-bench-sqlite3.db");
    let plain_csv = dir.join("clientbook-bench-sqlite3.csv");

    let t = Instant::now();
    write_csv(&csv_in, customers)?;
    let size = std::fs::metadata(&csv_in).map(|m| m.len()).unwrap_or(0);
    say(
        out,
        format!(
            "Generated {} ({customers} customers, {:.0} MB) in {}",
            csv_in.display(),
            size as f64 / 1e6,
            secs(t.elapsed())
        ),
    );

    let store = Store::open(path)?;
    say(out, format!("Database: {}", path.display()));
    let memory_before = peak_memory_mib();
    let t = Instant::now();
    let report = clientbook::transfer::import(
        &store,
        &csv_in,
        clientbook::transfer::ImportOptions::default(),
        &mut |_| true,
    )?;
    let import_time = t.elapsed();
    // The import returns committed and searchable; its log is copied into the file after, in
    // the background. The export is timed once that is done, and the copy is shown apart.
    let t = Instant::now();
    store.wait_for_checkpoint();
    let checkpoint_time = t.elapsed();
    let t = Instant::now();
    let exported = clientbook::transfer::export(
        &store,
        &ListQuery::default(),
        &csv_out,
        clientbook::transfer::ExportOptions::default(),
    )?;
    let export_time = t.elapsed();
    let sqlite_import = time_sqlite3(
        &[
            plain_db.to_str().unwrap_or_default(),
            &format!(".import --csv {} t", csv_in.display()),
        ],
        None,
    );
    let sqlite_export = time_sqlite3(
        &[
            "-csv",
            "-header",
            plain_db.to_str().unwrap_or_default(),
            "SELECT * FROM t",
        ],
        Some(&plain_csv),
    );
    say(out, String::new());
    say(
        out,
        "CSV, 1 file                        Clientbook      sqlite3     ratio   target".into(),
    );
    let ratio = |ours: Duration, theirs: &std::result::Result<Duration, String>| match theirs {
        Ok(t) => (
            secs(*t),
            format!("{:.2}x", ours.as_secs_f64() / t.as_secs_f64()),
        ),
        Err(e) => (e.clone(), "-".into()),
    };
    let (theirs, r) = ratio(import_time, &sqlite_import);
    say(
        out,
        format!(
            "  import ({} rows, validated,   {:>10} {:>12} {:>9}   <= 2.0x",
            report.inserted,
            secs(import_time),
            theirs,
            r
        ),
    );
    say(out, "    indexed and searchable)".into());
    say(
        out,
        format!(
            "    then, in the background: the log copied into the file in {}",
            secs(checkpoint_time)
        ),
    );
    let (theirs, r) = ratio(export_time, &sqlite_export);
    say(
        out,
        format!(
            "  export ({exported} rows)            {:>10} {:>12} {:>9}   <= 1.0x",
            secs(export_time),
            theirs,
            r
        ),
    );
    if let (Some(before), Some(after)) = (memory_before, peak_memory_mib()) {
        say(
            out,
            format!(
                "  peak memory: {after:.0} MiB (before the import: {before:.0} MiB; the file is {:.0} MB)",
                size as f64 / 1e6
            ),
        );
    }
    for f in [&csv_in, &csv_out, &plain_csv, &plain_db] {
        let _ = std::fs::remove_file(f);
    }
    say(out, String::new());

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

    // Undo of the import, offered by its toast: the customers it added go again.
    if let Some(token) = report.undo {
        let t = Instant::now();
        let undone = store.undo_import(token)?;
        say(out, String::new());
        say(
            out,
            format!(
                "Undo of the import: {} customers removed in {}",
                undone.removed,
                secs(t.elapsed())
            ),
        );
    }
    Ok(())
}
