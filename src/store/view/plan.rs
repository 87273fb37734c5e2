//! How a window of the list is found (see the module docs of `view`): a row's position as its
//! sort key and ID, the view index of a query (the plain list's anchors, or a search's ordered
//! rows), the rank table of a sort, the cache of both, the connection that builds them, and the
//! SQL of one query with its plans.

use super::{text, ActiveFilter, ListQuery, SearchTuning, SortKey};
use crate::error::Result;
use crate::model::Customer;
use crate::store::customers::{from_row, COLUMNS};
use crate::store::search::SearchQuery;
use rusqlite::{params_from_iter, types::Value, Connection, InterruptHandle, OptionalExtension};
use std::cmp::Ordering;
use std::sync::{Arc, Mutex};

/// Rows between two anchors: a plain window skips at most this many index entries.
pub(super) const STEP: u64 = 256;

/// The position of one row in sort order: its sort key and its customer ID.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Cursor {
    pub(super) key: String,
    pub(super) id: String,
}

impl Cursor {
    /// The order SQLite uses: the key byte-wise (BINARY), the ID ignoring ASCII case (NOCASE).
    pub(super) fn cmp(&self, other: &Cursor) -> Ordering {
        self.key
            .cmp(&other.key)
            .then_with(|| cmp_id(&self.id, &other.id))
    }
}

/// Customer IDs as the NOCASE column orders them: ASCII case ignored.
pub(super) fn cmp_id(a: &str, b: &str) -> Ordering {
    a.bytes()
        .map(|b| b.to_ascii_lowercase())
        .cmp(b.bytes().map(|b| b.to_ascii_lowercase()))
}

pub(super) enum Order {
    /// Plain list: `anchors[i]` is the cursor of the row at position `(i + 1) * STEP - 1`.
    Anchors(Vec<Cursor>),
    /// Search: every matching row id, in order.
    Rows(Vec<i64>),
}

pub(super) struct ViewIndex {
    pub(super) total: u64,
    pub(super) order: Order,
}

pub(super) type Generation = (u64, i64);

/// Marks, in a rank, a row that the active filter hides.
pub(super) const INACTIVE: u32 = 1 << 31;

/// The rank of a rowid that has no row.
pub(super) const NO_ROW: u32 = u32::MAX;

/// Rowids beyond this get no rank table (it would be mostly holes); searches then sort joins.
pub(super) const MAX_RANKED_ROWID: i64 = 1 << 26;

/// Where every row sits in one sort order (ascending, unfiltered): `rank[rowid]`, with
/// [`INACTIVE`] set for rows that are not active, [`NO_ROW`] for rowids without a row.
pub(super) struct Ranks {
    pub(super) sort: SortKey,
    pub(super) rank: Vec<u32>,
}

impl Ranks {
    /// The sort position of `rowid` if the filter shows it.
    pub(super) fn of(&self, rowid: i64, filter: ActiveFilter) -> Option<u32> {
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
    pub(super) fn order(&self, rowids: &[i64], sql: &Sql, limit: usize) -> Vec<i64> {
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
pub(in crate::store) struct Cache {
    pub(super) view: Mutex<Option<(ListQuery, Generation, Arc<ViewIndex>)>>,
    pub(super) ranks: Mutex<Option<(Generation, Arc<Ranks>)>>,
}

/// The connection view indexes are built on, and what it is building.
pub(in crate::store) struct Indexer {
    pub(super) conn: Mutex<Connection>,
    pub(super) interrupt: InterruptHandle,
    pub(super) building: Mutex<Option<ListQuery>>,
}

impl Indexer {
    pub(in crate::store) fn new(conn: Connection) -> Indexer {
        Indexer {
            interrupt: conn.get_interrupt_handle(),
            conn: Mutex::new(conn),
            building: Mutex::new(None),
        }
    }
}

/// The SQL pieces of one query, built only from fixed strings; user text travels as parameters.
pub(super) struct Sql {
    pub(super) tuning: SearchTuning,
    pub(super) sort: SortKey,
    pub(super) key: &'static str,
    pub(super) active: ActiveFilter,
    /// The active filter's condition, and the service filter's (its id is an integer).
    pub(super) filter: String,
    /// A service filter is on: the rank table (which knows only the active filter) cannot
    /// order this view, so its index is the full ordered row list.
    pub(super) by_service: bool,
    pub(super) search: SearchQuery,
    pub(super) descending: bool,
}

impl Sql {
    pub(super) fn new(conn: &Connection, q: &ListQuery, tuning: SearchTuning) -> Result<Sql> {
        let active = match q.filter {
            ActiveFilter::All => "1",
            ActiveFilter::Active => "c.validity = 'valid'",
            ActiveFilter::Inactive => "c.validity <> 'valid'",
        };
        let filter = match &q.service {
            None => active.to_owned(),
            Some(name) => {
                let (id, _) = crate::store::lookup::service_id(conn, name)?;
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

    pub(super) fn by_id(&self) -> bool {
        self.key == "c.customer_id"
    }

    /// `WHERE` condition for rows strictly after (or, with `before`, strictly before) `cursor`.
    pub(super) fn beyond(&self, cursor: &Cursor, before: bool, params: &mut Vec<Value>) -> String {
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

    pub(super) fn order(&self) -> String {
        let dir = if self.descending { "DESC" } else { "ASC" };
        if self.by_id() {
            format!("ORDER BY c.customer_id {dir}")
        } else {
            format!("ORDER BY {} {dir}, c.customer_id {dir}", self.key)
        }
    }

    pub(super) fn cmp(&self, a: &Cursor, b: &Cursor) -> Ordering {
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

    /// `columns` of the rows that `cond` keeps, in list order.
    pub(super) fn listed_sql(&self, columns: &str, cond: &str) -> String {
        format!(
            "SELECT {columns} FROM customers c WHERE {cond} {}",
            self.order()
        )
    }

    /// All matching rows, in order, joined from FTS5 (cost grows with the number of matches).
    pub(super) fn matches_sql(&self, columns: &str) -> String {
        format!(
            "SELECT {columns} FROM customers_fts f JOIN customers c ON c.id = f.rowid \
             WHERE customers_fts MATCH ?1 AND {} {}",
            self.filter,
            self.order()
        )
    }

    /// Plain list: up to `limit` rows after `after` (or from the start), skipping `skip`.
    pub(super) fn plain_page(
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
        let sql = format!("{} LIMIT ? OFFSET ?", self.listed_sql(COLUMNS, &cond));
        let mut stmt = conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(params_from_iter(params), from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Search: the first `limit` rows, by whichever plan is cheap for this query.
    pub(super) fn search_first_page(
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
    pub(super) fn fts_rowids(&self, conn: &Connection, limit: Option<i64>) -> Result<Vec<i64>> {
        let mut stmt = conn.prepare_cached(
            "SELECT rowid FROM customers_fts WHERE customers_fts MATCH ?1 LIMIT ?2",
        )?;
        let rows = stmt.query_map((self.search.to_fts(), limit.unwrap_or(-1)), |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Walks the list in order keeping matching rows; a dense match fills the page within a few
    /// rows. `None` when the matches lie too far down the list (clustered) to be worth walking to.
    pub(super) fn walk(&self, conn: &Connection, limit: u64) -> Result<Option<Vec<i64>>> {
        let sql = self.listed_sql("c.id, c.customer_id, c.name_key, c.city_key", &self.filter);
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
    pub(super) fn search_index(
        &self,
        conn: &Connection,
        ranks: Option<&Ranks>,
    ) -> Result<ViewIndex> {
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
    pub(super) fn rows_index(&self, conn: &Connection) -> Result<ViewIndex> {
        if !self.search.is_empty() {
            return self.search_index(conn, None);
        }
        let mut stmt = conn.prepare_cached(&self.listed_sql("c.id", &self.filter))?;
        let ids = stmt.query_map([], |r| r.get(0))?;
        let ids = ids.collect::<rusqlite::Result<Vec<i64>>>()?;
        Ok(ViewIndex {
            total: ids.len() as u64,
            order: Order::Rows(ids),
        })
    }

    /// One pass over every row in list order: the plain list's anchors (of the rows the filter
    /// shows) and the sort's rank table.
    pub(super) fn plain_index(&self, conn: &Connection) -> Result<(ViewIndex, Option<Ranks>)> {
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
    pub(super) fn cursor_of(&self, conn: &Connection, customer_id: &str) -> Result<Option<Cursor>> {
        let sql = format!(
            "SELECT {}, c.customer_id FROM customers c WHERE {} AND c.{}",
            self.key,
            self.filter,
            crate::store::lookup::by_customer_id!("?1")
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
    pub(super) fn count_between(
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
pub(super) fn rows_by_id(conn: &Connection, ids: &[i64]) -> Result<Vec<Customer>> {
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
