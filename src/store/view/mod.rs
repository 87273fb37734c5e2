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

mod plan;

use super::customers::{from_row, StoredCustomer, COLUMNS, STORED_COLUMNS};
use super::{lock, Store};
use crate::error::Result;
use crate::model::Customer;
use plan::{rows_by_id, Generation, Order, Ranks, Sql, ViewIndex, STEP};
pub(super) use plan::{Cache, Indexer};
use rusqlite::{params_from_iter, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use std::cmp::Ordering;
use std::sync::Arc;

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
                        concat!(
                            "SELECT id FROM customers WHERE ",
                            crate::store::lookup::by_customer_id!("?1")
                        ),
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
