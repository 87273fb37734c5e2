//! The customers list as a virtualised table sees it: any window of rows at any position of a
//! filtered, searched and sorted list, with no `OFFSET` over large tables.
//!
//! * **The plain list** (no search) pages by keyset. Reaching row 999,000 works through a sparse
//!   index of the view: one pass over the sort index records the key of every [`STEP`]-th row
//!   ("anchors"); a window at position `p` is a keyset query after anchor `p / STEP` that skips
//!   fewer than `STEP` rows.
//! * **A search** orders its FTS5 matches by the *rank table* of the sort: the position of every
//!   row in that sort order, kept in memory (4 bytes per row) and built in the same pass as the
//!   plain list's anchors. Ordering matches is then a lookup per match — no row is read until
//!   the page is known — so a search costs what decoding its FTS5 matches costs. With very many
//!   matches it is cheaper still to walk the sort index in order and keep rows that the in-Rust
//!   matcher accepts, stopping at the page's end; that plan (and, before a rank table exists,
//!   sorting the joined matches) is used for the first page only. Deeper windows use the
//!   search's full ordered row list.
//!
//! View indexes are cached per query and rebuilt when the data changes, here or in another
//! process. They are built on a connection of their own, so a long build never delays a window;
//! a build for a newer query interrupts one for an older query.

use super::customers::{from_row, StoredCustomer, COLUMNS, STORED_COLUMNS};
use super::search::SearchQuery;
use super::{lock, Store};
use crate::error::Result;
use crate::model::Customer;
use rusqlite::{params_from_iter, types::Value, Connection, InterruptHandle, OptionalExtension};
use serde::{Deserialize, Serialize};
use std::cmp::Ordering;
use std::sync::{Arc, Mutex};

/// Rows between two anchors: a plain window skips at most this many index entries.
const STEP: u64 = 256;
/// How a search's first page is found (see the module docs).
#[derive(Debug, Clone, Copy)]
pub(super) struct SearchTuning {
    /// Below this many FTS matches the first page orders them (cost grows with the matches);
    /// from here on matches are dense enough that walking the list in order finds a page sooner.
    pub few_matches: i64,
    /// The same threshold once a rank table exists: ordering matches is then a lookup per
    /// match, so far more of them are ordered rather than walked to.
    pub few_ranked_matches: i64,
    /// How far the walk goes before giving up on clustered matches and sorting them after all.
    pub max_walk: usize,
}

impl Default for SearchTuning {
    fn default() -> Self {
        SearchTuning {
            few_matches: 3_000,
            few_ranked_matches: 25_000,
            max_walk: 30_000,
        }
    }
}

impl SearchTuning {
    fn few_matches(&self, ranked: bool) -> i64 {
        if ranked {
            self.few_ranked_matches
        } else {
            self.few_matches
        }
    }
}
/// Largest window one call returns.
pub const MAX_WINDOW: u64 = 1_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ActiveFilter {
    #[default]
    All,
    Active,
    Inactive,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SortKey {
    #[default]
    Name,
    CustomerId,
    City,
    Country,
}

/// What the list shows: search text, active filter, service filter and sort order.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct ListQuery {
    pub search: String,
    pub filter: ActiveFilter,
    /// Only customers that have this service of the catalogue (by name).
    pub service: Option<String>,
    pub sort: SortKey,
    pub descending: bool,
}

/// A slice of the list. `total` is known once the view's index exists (see [`Store::view_total`]).
#[derive(Debug, Clone, Serialize)]
pub struct Window {
    pub start: u64,
    pub total: Option<u64>,
    pub rows: Vec<Customer>,
}

/// The position of one row in sort order: its sort key and its customer ID.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Cursor {
    key: String,
    id: String,
}

impl Cursor {
    /// The order SQLite uses: the key byte-wise (BINARY), the ID ignoring ASCII case (NOCASE).
    fn cmp(&self, other: &Cursor) -> Ordering {
        self.key
            .cmp(&other.key)
            .then_with(|| cmp_id(&self.id, &other.id))
    }
}

/// Customer IDs as the NOCASE column orders them: ASCII case ignored.
fn cmp_id(a: &str, b: &str) -> Ordering {
    a.bytes()
        .map(|b| b.to_ascii_lowercase())
        .cmp(b.bytes().map(|b| b.to_ascii_lowercase()))
}

enum Order {
    /// Plain list: `anchors[i]` is the cursor of the row at position `(i + 1) * STEP - 1`.
    Anchors(Vec<Cursor>),
    /// Search: every matching row id, in order.
    Rows(Vec<i64>),
}

struct ViewIndex {
    total: u64,
    order: Order,
}

type Generation = (u64, i64);

/// Marks, in a rank, a row that the active filter hides.
const INACTIVE: u32 = 1 << 31;
/// The rank of a rowid that has no row.
const NO_ROW: u32 = u32::MAX;
/// Rowids beyond this get no rank table (it would be mostly holes); searches then sort joins.
const MAX_RANKED_ROWID: i64 = 1 << 26;

/// Where every row sits in one sort order (ascending, unfiltered): `rank[rowid]`, with
/// [`INACTIVE`] set for rows that are not active, [`NO_ROW`] for rowids without a row.
struct Ranks {
    sort: SortKey,
    rank: Vec<u32>,
}

impl Ranks {
    /// The sort position of `rowid` if the filter shows it.
    fn of(&self, rowid: i64, filter: ActiveFilter) -> Option<u32> {
        let r = *self.rank.get(usize::try_from(rowid).ok()?)?;
        let active = r & INACTIVE == 0;
        match (r, filter) {
            (NO_ROW, _) => None,
            (_, ActiveFilter::Active) if !active => None,
            (_, ActiveFilter::Inactive) if active => None,
            _ => Some(r & !INACTIVE),
        }
    }

    /// `rowids` that the filter shows, in list order, keeping only the first `limit`.
    fn order(&self, rowids: &[i64], sql: &Sql, limit: usize) -> Vec<i64> {
        let mut ranked: Vec<(u32, i64)> = rowids
            .iter()
            .filter_map(|&id| self.of(id, sql.active).map(|r| (r, id)))
            .collect();
        if sql.descending {
            ranked.iter_mut().for_each(|(r, _)| *r = !*r);
        }
        if ranked.len() > limit {
            ranked.select_nth_unstable(limit);
            ranked.truncate(limit);
        }
        ranked.sort_unstable();
        ranked.into_iter().map(|(_, id)| id).collect()
    }
}

#[derive(Default)]
pub(super) struct Cache {
    view: Mutex<Option<(ListQuery, Generation, Arc<ViewIndex>)>>,
    ranks: Mutex<Option<(Generation, Arc<Ranks>)>>,
}

/// The connection view indexes are built on, and what it is building.
pub(super) struct Indexer {
    conn: Mutex<Connection>,
    interrupt: InterruptHandle,
    building: Mutex<Option<ListQuery>>,
}

impl Indexer {
    pub(super) fn new(conn: Connection) -> Indexer {
        Indexer {
            interrupt: conn.get_interrupt_handle(),
            conn: Mutex::new(conn),
            building: Mutex::new(None),
        }
    }
}

/// The SQL pieces of one query, built only from fixed strings; user text travels as parameters.
struct Sql {
    tuning: SearchTuning,
    sort: SortKey,
    key: &'static str,
    active: ActiveFilter,
    /// The active filter's condition, and the service filter's (its id is an integer).
    filter: String,
    /// A service filter is on: the rank table (which knows only the active filter) cannot
    /// order this view, so its index is the full ordered row list.
    by_service: bool,
    search: SearchQuery,
    descending: bool,
}

impl Sql {
    fn new(conn: &Connection, q: &ListQuery, tuning: SearchTuning) -> Result<Sql> {
        let active = match q.filter {
            ActiveFilter::All => "1",
            ActiveFilter::Active => "c.validity = 'valid'",
            ActiveFilter::Inactive => "c.validity <> 'valid'",
        };
        let filter = match &q.service {
            None => active.to_owned(),
            Some(name) => {
                let (id, _) = super::services::service_id(conn, name)?;
                format!(
                    "{active} AND EXISTS (SELECT 1 FROM customer_services cs \
                     WHERE cs.service_id = {id} AND cs.customer_ref = c.id)"
                )
            }
        };
        Ok(Sql {
            tuning,
            sort: q.sort,
            active: q.filter,
            key: match q.sort {
                SortKey::Name => "c.name_key",
                SortKey::CustomerId => "c.customer_id",
                SortKey::City => "c.city_key",
                SortKey::Country => "c.country",
            },
            filter,
            by_service: q.service.is_some(),
            search: SearchQuery::parse(&q.search),
            descending: q.descending,
        })
    }

    fn by_id(&self) -> bool {
        self.key == "c.customer_id"
    }

    /// `WHERE` condition for rows strictly after (or, with `before`, strictly before) `cursor`.
    fn beyond(&self, cursor: &Cursor, before: bool, params: &mut Vec<Value>) -> String {
        let op = if self.descending != before { "<" } else { ">" };
        if self.by_id() {
            params.push(Value::Text(cursor.id.clone()));
            format!("c.customer_id {op} ?")
        } else {
            params.push(Value::Text(cursor.key.clone()));
            params.push(Value::Text(cursor.id.clone()));
            format!("({}, c.customer_id) {op} (?, ?)", self.key)
        }
    }

    fn order(&self) -> String {
        let dir = if self.descending { "DESC" } else { "ASC" };
        if self.by_id() {
            format!("ORDER BY c.customer_id {dir}")
        } else {
            format!("ORDER BY {} {dir}, c.customer_id {dir}", self.key)
        }
    }

    fn cmp(&self, a: &Cursor, b: &Cursor) -> Ordering {
        let ord = if self.by_id() {
            cmp_id(&a.id, &b.id)
        } else {
            a.cmp(b)
        };
        if self.descending {
            ord.reverse()
        } else {
            ord
        }
    }

    /// All matching rows, in order, joined from FTS5 (cost grows with the number of matches).
    fn matches_sql(&self, columns: &str) -> String {
        format!(
            "SELECT {columns} FROM customers_fts f JOIN customers c ON c.id = f.rowid \
             WHERE customers_fts MATCH ?1 AND {} {}",
            self.filter,
            self.order()
        )
    }

    /// Plain list: up to `limit` rows after `after` (or from the start), skipping `skip`.
    fn plain_page(
        &self,
        conn: &Connection,
        after: Option<&Cursor>,
        skip: u64,
        limit: u64,
    ) -> Result<Vec<Customer>> {
        let mut params = Vec::new();
        let mut cond = self.filter.clone();
        if let Some(cursor) = after {
            cond = format!("{cond} AND {}", self.beyond(cursor, false, &mut params));
        }
        params.push(Value::Integer(limit as i64));
        params.push(Value::Integer(skip as i64));
        let sql = format!(
            "SELECT {COLUMNS} FROM customers c WHERE {cond} {} LIMIT ? OFFSET ?",
            self.order()
        );
        let mut stmt = conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(params_from_iter(params), from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Search: the first `limit` rows, by whichever plan is cheap for this query.
    fn search_first_page(
        &self,
        conn: &Connection,
        ranks: Option<&Ranks>,
        limit: u64,
    ) -> Result<Vec<Customer>> {
        let few = self.tuning.few_matches(ranks.is_some());
        let rowids = self.fts_rowids(conn, Some(few))?;
        if rowids.len() as i64 >= few {
            if let Some(ids) = self.walk(conn, limit)? {
                return rows_by_id(conn, &ids);
            }
        }
        if let Some(ranks) = ranks {
            let rowids = match rowids.len() as i64 >= few {
                true => self.fts_rowids(conn, None)?,
                false => rowids,
            };
            return rows_by_id(conn, &ranks.order(&rowids, self, limit as usize));
        }
        let sql = format!("{} LIMIT ?2", self.matches_sql(COLUMNS));
        let mut stmt = conn.prepare_cached(&sql)?;
        let rows = stmt.query_map((self.search.to_fts(), limit as i64), from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The rowids FTS5 matches (at most `limit`), in rowid order; reads no customer row.
    fn fts_rowids(&self, conn: &Connection, limit: Option<i64>) -> Result<Vec<i64>> {
        let mut stmt = conn.prepare_cached(
            "SELECT rowid FROM customers_fts WHERE customers_fts MATCH ?1 LIMIT ?2",
        )?;
        let rows = stmt.query_map((self.search.to_fts(), limit.unwrap_or(-1)), |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Walks the list in order keeping matching rows; a dense match fills the page within a few
    /// rows. `None` when the matches lie too far down the list (clustered) to be worth walking to.
    fn walk(&self, conn: &Connection, limit: u64) -> Result<Option<Vec<i64>>> {
        let sql = format!(
            "SELECT c.id, c.customer_id, c.name_key, c.city_key FROM customers c WHERE {} {}",
            self.filter,
            self.order()
        );
        let mut stmt = conn.prepare_cached(&sql)?;
        let mut rows = stmt.query([])?;
        let mut ids = Vec::new();
        let mut walked = 0;
        while let Some(row) = rows.next()? {
            if self
                .search
                .matches(text(row, 1)?, text(row, 2)?, text(row, 3)?)
            {
                ids.push(row.get(0)?);
                if ids.len() as u64 >= limit {
                    break;
                }
            }
            walked += 1;
            if walked >= self.tuning.max_walk {
                return Ok(None);
            }
        }
        Ok(Some(ids))
    }

    /// A search's full ordered row list: its FTS5 matches put in order by the rank table, or,
    /// without one, by joining every match to its row.
    fn search_index(&self, conn: &Connection, ranks: Option<&Ranks>) -> Result<ViewIndex> {
        let ids = match ranks {
            Some(ranks) => ranks.order(&self.fts_rowids(conn, None)?, self, usize::MAX),
            None => {
                let mut stmt = conn.prepare_cached(&self.matches_sql("c.id"))?;
                let ids = stmt.query_map([self.search.to_fts()], |r| r.get(0))?;
                ids.collect::<rusqlite::Result<Vec<i64>>>()?
            }
        };
        Ok(ViewIndex {
            total: ids.len() as u64,
            order: Order::Rows(ids),
        })
    }

    /// The full ordered row list of a service-filtered view (with or without a search): the
    /// customers of one service are typically few, and the service index finds them.
    fn rows_index(&self, conn: &Connection) -> Result<ViewIndex> {
        if !self.search.is_empty() {
            return self.search_index(conn, None);
        }
        let sql = format!(
            "SELECT c.id FROM customers c WHERE {} {}",
            self.filter,
            self.order()
        );
        let mut stmt = conn.prepare_cached(&sql)?;
        let ids = stmt.query_map([], |r| r.get(0))?;
        let ids = ids.collect::<rusqlite::Result<Vec<i64>>>()?;
        Ok(ViewIndex {
            total: ids.len() as u64,
            order: Order::Rows(ids),
        })
    }

    /// One pass over every row in list order: the plain list's anchors (of the rows the filter
    /// shows) and the sort's rank table.
    fn plain_index(&self, conn: &Connection) -> Result<(ViewIndex, Option<Ranks>)> {
        let max_rowid: i64 =
            conn.query_row("SELECT coalesce(max(id), 0) FROM customers", [], |r| {
                r.get(0)
            })?;
        let mut rank =
            (max_rowid <= MAX_RANKED_ROWID).then(|| vec![NO_ROW; max_rowid as usize + 1]);
        let sql = format!(
            "SELECT c.id, c.validity = 'valid', {}, c.customer_id FROM customers c {}",
            self.key,
            self.order()
        );
        let mut stmt = conn.prepare_cached(&sql)?;
        let mut rows = stmt.query([])?;
        let (mut seen, mut total) = (0u32, 0u64);
        let mut anchors = Vec::new();
        while let Some(row) = rows.next()? {
            let id: i64 = row.get(0)?;
            let active: bool = row.get(1)?;
            if let Some(slot) = rank.as_mut().and_then(|r| r.get_mut(id as usize)) {
                *slot = seen | if active { 0 } else { INACTIVE };
            }
            seen += 1;
            let shown = match self.active {
                ActiveFilter::All => true,
                ActiveFilter::Active => active,
                ActiveFilter::Inactive => !active,
            };
            if shown {
                total += 1;
                if total % STEP == 0 {
                    anchors.push(Cursor {
                        key: row.get(2)?,
                        id: row.get(3)?,
                    });
                }
            }
        }
        let ranks = rank.map(|mut rank| {
            if self.descending {
                // Positions were counted in descending order; the table holds ascending ones.
                for r in rank.iter_mut().filter(|r| **r != NO_ROW) {
                    *r = (seen - 1 - (*r & !INACTIVE)) | (*r & INACTIVE);
                }
            }
            Ranks {
                sort: self.sort,
                rank,
            }
        });
        Ok((
            ViewIndex {
                total,
                order: Order::Anchors(anchors),
            },
            ranks,
        ))
    }

    /// The cursor of one customer if the plain view shows it.
    fn cursor_of(&self, conn: &Connection, customer_id: &str) -> Result<Option<Cursor>> {
        let sql = format!(
            "SELECT {}, c.customer_id FROM customers c WHERE {} AND c.customer_id = ?",
            self.key, self.filter
        );
        let mut stmt = conn.prepare_cached(&sql)?;
        Ok(stmt
            .query_row([customer_id], |row| {
                Ok(Cursor {
                    key: row.get(0)?,
                    id: row.get(1)?,
                })
            })
            .optional()?)
    }

    /// How many rows of the plain view lie strictly between `after` (or the start) and `before`.
    fn count_between(
        &self,
        conn: &Connection,
        after: Option<&Cursor>,
        before: &Cursor,
    ) -> Result<u64> {
        let mut params = Vec::new();
        let mut cond = format!(
            "{} AND {}",
            self.filter,
            self.beyond(before, true, &mut params)
        );
        if let Some(a) = after {
            cond = format!("{cond} AND {}", self.beyond(a, false, &mut params));
        }
        let sql = format!("SELECT count(*) FROM customers c WHERE {cond}");
        Ok(conn.query_row(&sql, params_from_iter(params), |r| r.get::<_, i64>(0))? as u64)
    }
}

/// Full rows for `ids`, in the order given.
fn rows_by_id(conn: &Connection, ids: &[i64]) -> Result<Vec<Customer>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM customers c WHERE c.id = ?1"
    ))?;
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        // A row deleted since the index was built is simply skipped.
        if let Some(c) = stmt.query_row([id], from_row).optional()? {
            out.push(c);
        }
    }
    Ok(out)
}

impl Store {
    /// Test hook: lowers the thresholds between the search plans so that small fixtures
    /// exercise every plan (`few_matches` applies with and without a rank table).
    #[doc(hidden)]
    pub fn with_search_tuning(mut self, few_matches: i64, max_walk: usize) -> Store {
        self.tuning = SearchTuning {
            few_matches,
            few_ranked_matches: few_matches,
            max_walk,
        };
        self
    }

    /// Rows `start .. start + limit` of the list. The first window of a view needs no index, so
    /// a keystroke in the search box shows results before the view's total is known; deeper
    /// windows use (and if needed build) the view's index.
    pub fn window(&self, q: &ListQuery, start: u64, limit: u64) -> Result<Window> {
        let sql = self.read(|c| Sql::new(c, q, self.tuning))?;
        let limit = limit.min(MAX_WINDOW);
        let index = if start == 0 {
            let generation = self.generation()?;
            match self.cached_at(q, generation) {
                Some(index) => index,
                None => {
                    let ranks = match sql.by_service {
                        false => self.cached_ranks(q.sort, generation),
                        true => None,
                    };
                    let rows = self.read(|c| match sql.search.is_empty() {
                        true => sql.plain_page(c, None, 0, limit),
                        false => sql.search_first_page(c, ranks.as_deref(), limit),
                    })?;
                    return Ok(Window {
                        start,
                        total: None,
                        rows,
                    });
                }
            }
        } else {
            self.index(q)?
        };
        let start = start.min(index.total);
        let rows = self.read(|c| match &index.order {
            Order::Anchors(anchors) => {
                let after = ((start / STEP) as usize)
                    .checked_sub(1)
                    .map(|b| &anchors[b]);
                sql.plain_page(c, after, start % STEP, limit)
            }
            Order::Rows(ids) => {
                let end = (start + limit).min(ids.len() as u64);
                rows_by_id(c, &ids[start as usize..end as usize])
            }
        })?;
        Ok(Window {
            start,
            total: Some(index.total),
            rows,
        })
    }

    /// Calls `f` for every customer of the list in order, streaming (for the CLI).
    pub fn scan(&self, q: &ListQuery, mut f: impl FnMut(&Customer) -> Result<()>) -> Result<()> {
        self.scan_in(q, true, COLUMNS, |row| f(&from_row(row)?))
    }

    /// Every customer `q` lists, in the order they were added, as stored (borrowed from the
    /// row being read): what an export writes. Reading the table front to back instead of
    /// jumping through a sort index, and copying no string, is what makes a million-row export
    /// take a second or two.
    pub fn scan_in_added_order(
        &self,
        q: &ListQuery,
        mut f: impl FnMut(&StoredCustomer) -> Result<()>,
    ) -> Result<()> {
        self.scan_in(q, false, STORED_COLUMNS, |row| {
            f(&StoredCustomer::from_row(row)?)
        })
    }

    fn scan_in(
        &self,
        q: &ListQuery,
        sorted: bool,
        columns: &str,
        mut f: impl FnMut(&rusqlite::Row) -> Result<()>,
    ) -> Result<()> {
        self.read(|c| {
            let sql = Sql::new(c, q, self.tuning)?;
            let order = match sorted {
                true => sql.order(),
                false => "ORDER BY c.id".to_owned(),
            };
            let (query, params) = if sql.search.is_empty() {
                let query = format!(
                    "SELECT {columns} FROM customers c WHERE {} {order}",
                    sql.filter,
                );
                (query, vec![])
            } else {
                let query = format!(
                    "SELECT {columns} FROM customers_fts f JOIN customers c ON c.id = f.rowid \
                     WHERE customers_fts MATCH ?1 AND {} {order}",
                    sql.filter
                );
                (query, vec![sql.search.to_fts()])
            };
            let mut stmt = c.prepare(&query)?;
            let mut rows = stmt.query(params_from_iter(params))?;
            while let Some(row) = rows.next()? {
                f(row)?;
            }
            Ok(())
        })
    }

    /// How many customers the list shows; builds the view's index so any window is quick.
    pub fn view_total(&self, q: &ListQuery) -> Result<u64> {
        Ok(self.index(q)?.total)
    }

    /// Where a customer sits in the list, or `None` if the list does not show it.
    pub fn position_of(&self, q: &ListQuery, customer_id: &str) -> Result<Option<u64>> {
        let index = self.index(q)?;
        self.read(|c| match &index.order {
            Order::Rows(ids) => {
                let row: Option<i64> = c
                    .query_row(
                        "SELECT id FROM customers WHERE customer_id = ?1",
                        [customer_id],
                        |r| r.get(0),
                    )
                    .optional()?;
                Ok(row
                    .and_then(|row| ids.iter().position(|id| *id == row))
                    .map(|p| p as u64))
            }
            Order::Anchors(anchors) => {
                let sql = Sql::new(c, q, self.tuning)?;
                let Some(cursor) = sql.cursor_of(c, customer_id)? else {
                    return Ok(None);
                };
                let block = anchors.partition_point(|a| sql.cmp(a, &cursor) == Ordering::Less);
                let after = block.checked_sub(1).map(|b| &anchors[b]);
                let before_in_block = match anchors.get(block) {
                    Some(a) if sql.cmp(a, &cursor) == Ordering::Equal => STEP - 1,
                    _ => sql.count_between(c, after, &cursor)?,
                };
                Ok(Some(block as u64 * STEP + before_in_block))
            }
        })
    }

    fn cached_at(&self, q: &ListQuery, generation: Generation) -> Option<Arc<ViewIndex>> {
        let cache = self.views.view.lock().unwrap_or_else(|p| p.into_inner());
        match &*cache {
            Some((query, gen, index)) if query == q && *gen == generation => Some(index.clone()),
            _ => None,
        }
    }

    fn cached_ranks(&self, sort: SortKey, generation: Generation) -> Option<Arc<Ranks>> {
        let cache = self.views.ranks.lock().unwrap_or_else(|p| p.into_inner());
        match &*cache {
            Some((gen, ranks)) if ranks.sort == sort && *gen == generation => Some(ranks.clone()),
            _ => None,
        }
    }

    fn index(&self, q: &ListQuery) -> Result<Arc<ViewIndex>> {
        let generation = self.generation()?;
        if let Some(index) = self.cached_at(q, generation) {
            return Ok(index);
        }
        let index = match &self.indexer {
            None => self.read(|c| self.build(c, q, generation))?,
            Some(indexer) => {
                {
                    let building = indexer.building.lock().unwrap_or_else(|p| p.into_inner());
                    if building.as_ref().is_some_and(|running| running != q) {
                        indexer.interrupt.interrupt();
                    }
                }
                let conn = lock(&indexer.conn);
                if let Some(index) = self.cached_at(q, generation) {
                    return Ok(index); // built by another caller while this one waited
                }
                *indexer.building.lock().unwrap_or_else(|p| p.into_inner()) = Some(q.clone());
                let built = self.build(&conn, q, generation);
                *indexer.building.lock().unwrap_or_else(|p| p.into_inner()) = None;
                built?
            }
        };
        let index = Arc::new(index);
        *self.views.view.lock().unwrap_or_else(|p| p.into_inner()) =
            Some((q.clone(), generation, index.clone()));
        Ok(index)
    }

    /// Builds the view index of `q`, and the rank table of its sort when there is none yet.
    fn build(&self, conn: &Connection, q: &ListQuery, generation: Generation) -> Result<ViewIndex> {
        let sql = Sql::new(conn, q, self.tuning)?;
        if sql.by_service {
            return sql.rows_index(conn);
        }
        let mut ranks = self.cached_ranks(q.sort, generation);
        let plain = match ranks.is_none() || sql.search.is_empty() {
            false => None,
            true => {
                // A search needs the rank table, which the plain list's pass builds.
                let plain_q = ListQuery {
                    search: String::new(),
                    ..q.clone()
                };
                let (index, built) = Sql::new(conn, &plain_q, self.tuning)?.plain_index(conn)?;
                if let Some(built) = built {
                    let built = Arc::new(built);
                    *self.views.ranks.lock().unwrap_or_else(|p| p.into_inner()) =
                        Some((generation, built.clone()));
                    ranks = Some(built);
                }
                Some(index)
            }
        };
        match plain {
            Some(index) if sql.search.is_empty() => Ok(index),
            _ => sql.search_index(conn, ranks.as_deref()),
        }
    }
}

/// A text column borrowed from the row, without copying it.
fn text<'r>(row: &'r rusqlite::Row, i: usize) -> rusqlite::Result<&'r str> {
    Ok(row.get_ref(i)?.as_str()?)
}
