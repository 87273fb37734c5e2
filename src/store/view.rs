//! The customers list as a virtualised table sees it: any window of rows at any position of a
//! filtered, searched and sorted list, with keyset paging only.
//!
//! Reaching row 999,000 without `OFFSET 999000` works through a sparse index of the view: one
//! pass over the sort index records the key of every [`STEP`]-th row ("anchors"), and a window at
//! position `p` is a keyset query after anchor `p / STEP` that skips fewer than `STEP` rows. The
//! index is cached per query and rebuilt when the data changes (here or in another process).

use super::customers::{from_row, COLUMNS};
use super::search::SearchQuery;
use super::Store;
use crate::error::Result;
use crate::model::Customer;
use rusqlite::{params_from_iter, types::Value, Connection};
use serde::{Deserialize, Serialize};
use std::cmp::Ordering;
use std::sync::{Arc, Mutex};

/// Rows between two anchors: a window costs at most this many skipped index entries.
const STEP: u64 = 256;
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

/// What the list shows: search text, active filter and sort order.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct ListQuery {
    pub search: String,
    pub filter: ActiveFilter,
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
        self.key.cmp(&other.key).then_with(|| {
            let a = self.id.bytes().map(|b| b.to_ascii_lowercase());
            a.cmp(other.id.bytes().map(|b| b.to_ascii_lowercase()))
        })
    }
}

struct ViewIndex {
    total: u64,
    /// `anchors[i]` is the cursor of the row at position `(i + 1) * STEP - 1`.
    anchors: Vec<Cursor>,
}

type Generation = (u64, i64);

#[derive(Default)]
pub(super) struct Cache(Mutex<Option<(ListQuery, Generation, Arc<ViewIndex>)>>);

/// The SQL pieces of one query, built only from fixed strings; user text travels as parameters.
struct Sql {
    key: &'static str,
    filter: String,
    params: Vec<Value>,
    descending: bool,
}

impl Sql {
    fn new(q: &ListQuery) -> Sql {
        let key = match q.sort {
            SortKey::Name => "c.name_key",
            SortKey::CustomerId => "c.customer_id",
            SortKey::City => "c.city_key",
            SortKey::Country => "c.country",
        };
        let mut filter = match q.filter {
            ActiveFilter::All => "1".to_owned(),
            ActiveFilter::Active => "c.validity = 'valid'".to_owned(),
            ActiveFilter::Inactive => "c.validity <> 'valid'".to_owned(),
        };
        let mut params = Vec::new();
        let search = SearchQuery::parse(&q.search);
        if !search.is_empty() {
            filter.push_str(
                " AND c.id IN (SELECT rowid FROM customers_fts WHERE customers_fts MATCH ?)",
            );
            params.push(Value::Text(search.to_fts()));
        }
        Sql {
            key,
            filter,
            params,
            descending: q.descending,
        }
    }

    fn by_id(&self) -> bool {
        self.key == "c.customer_id"
    }

    /// `WHERE` condition for rows strictly after (or, with `before`, strictly before) `cursor`.
    fn beyond(&self, cursor: &Cursor, before: bool, params: &mut Vec<Value>) -> String {
        let op = if self.descending != before { "<" } else { ">" };
        params.push(Value::Text(cursor.id.clone()));
        if self.by_id() {
            format!("c.customer_id {op} ?")
        } else {
            params.insert(params.len() - 1, Value::Text(cursor.key.clone()));
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
            Cursor { key: String::new(), ..a.clone() }.cmp(&Cursor { key: String::new(), ..b.clone() })
        } else {
            a.cmp(b)
        };
        if self.descending {
            ord.reverse()
        } else {
            ord
        }
    }

    /// Up to `limit` rows after `after` (or from the start), skipping `skip` of them.
    fn page(
        &self,
        conn: &Connection,
        after: Option<&Cursor>,
        skip: u64,
        limit: u64,
    ) -> Result<Vec<Customer>> {
        let mut params = self.params.clone();
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

    /// One pass over the view in order, keeping every STEP-th cursor.
    fn index(&self, conn: &Connection) -> Result<ViewIndex> {
        let sql = format!(
            "SELECT {}, c.customer_id FROM customers c WHERE {} {}",
            self.key,
            self.filter,
            self.order()
        );
        let mut stmt = conn.prepare_cached(&sql)?;
        let mut rows = stmt.query(params_from_iter(self.params.iter()))?;
        let mut total = 0u64;
        let mut anchors = Vec::new();
        while let Some(row) = rows.next()? {
            total += 1;
            if total % STEP == 0 {
                anchors.push(Cursor {
                    key: row.get(0)?,
                    id: row.get(1)?,
                });
            }
        }
        Ok(ViewIndex { total, anchors })
    }

    /// The cursor of one customer if it is part of this view.
    fn cursor_of(&self, conn: &Connection, customer_id: &str) -> Result<Option<Cursor>> {
        let mut params = self.params.clone();
        params.push(Value::Text(customer_id.to_owned()));
        let sql = format!(
            "SELECT {}, c.customer_id FROM customers c WHERE {} AND c.customer_id = ?",
            self.key, self.filter
        );
        let mut stmt = conn.prepare_cached(&sql)?;
        let mut rows = stmt.query(params_from_iter(params))?;
        Ok(match rows.next()? {
            Some(row) => Some(Cursor {
                key: row.get(0)?,
                id: row.get(1)?,
            }),
            None => None,
        })
    }

    /// How many rows of the view lie strictly between `after` (or the start) and `before`.
    fn count_between(&self, conn: &Connection, after: Option<&Cursor>, before: &Cursor) -> Result<u64> {
        let mut params = self.params.clone();
        let mut cond = format!("{} AND {}", self.filter, self.beyond(before, true, &mut params));
        if let Some(a) = after {
            cond = format!("{cond} AND {}", self.beyond(a, false, &mut params));
        }
        let sql = format!("SELECT count(*) FROM customers c WHERE {cond}");
        Ok(conn.query_row(&sql, params_from_iter(params), |r| r.get::<_, i64>(0))? as u64)
    }
}

impl Store {
    /// Rows `start .. start + limit` of the list. The first window of a view is served straight
    /// from the sort index, so a keystroke in the search box shows results before the view's
    /// total is known; later windows use (and if needed build) the view's index.
    pub fn window(&self, q: &ListQuery, start: u64, limit: u64) -> Result<Window> {
        let sql = Sql::new(q);
        let limit = limit.min(MAX_WINDOW);
        if start == 0 {
            let cached = self.cached_index(q)?;
            let rows = self.read(|c| sql.page(c, None, 0, limit))?;
            return Ok(Window {
                start,
                total: cached.map(|i| i.total),
                rows,
            });
        }
        let index = self.index(q)?;
        let start = start.min(index.total);
        let block = (start / STEP) as usize;
        let after = block.checked_sub(1).map(|b| &index.anchors[b]);
        let rows = self.read(|c| sql.page(c, after, start % STEP, limit))?;
        Ok(Window {
            start,
            total: Some(index.total),
            rows,
        })
    }

    /// Calls `f` for every customer of the list in order, streaming (for the CLI and exports).
    pub fn scan(&self, q: &ListQuery, mut f: impl FnMut(&Customer) -> Result<()>) -> Result<()> {
        let sql = Sql::new(q);
        self.read(|c| {
            let query = format!(
                "SELECT {COLUMNS} FROM customers c WHERE {} {}",
                sql.filter,
                sql.order()
            );
            let mut stmt = c.prepare(&query)?;
            let mut rows = stmt.query(params_from_iter(sql.params.iter()))?;
            while let Some(row) = rows.next()? {
                f(&from_row(row)?)?;
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
        let sql = Sql::new(q);
        let index = self.index(q)?;
        self.read(|c| {
            let Some(cursor) = sql.cursor_of(c, customer_id)? else {
                return Ok(None);
            };
            let block = index
                .anchors
                .partition_point(|a| sql.cmp(a, &cursor) == Ordering::Less);
            let after = block.checked_sub(1).map(|b| &index.anchors[b]);
            let before_in_block = match index.anchors.get(block) {
                Some(a) if sql.cmp(a, &cursor) == Ordering::Equal => STEP - 1,
                _ => sql.count_between(c, after, &cursor)?,
            };
            Ok(Some(block as u64 * STEP + before_in_block))
        })
    }

    fn cached_index(&self, q: &ListQuery) -> Result<Option<Arc<ViewIndex>>> {
        let generation = self.generation()?;
        let cache = self.views.0.lock().unwrap_or_else(|p| p.into_inner());
        Ok(match &*cache {
            Some((query, gen, index)) if query == q && *gen == generation => Some(index.clone()),
            _ => None,
        })
    }

    fn index(&self, q: &ListQuery) -> Result<Arc<ViewIndex>> {
        if let Some(index) = self.cached_index(q)? {
            return Ok(index);
        }
        let generation = self.generation()?;
        let index = Arc::new(self.read(|c| Sql::new(q).index(c))?);
        *self.views.0.lock().unwrap_or_else(|p| p.into_inner()) =
            Some((q.clone(), generation, index.clone()));
        Ok(index)
    }
}
