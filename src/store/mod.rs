//! The only module that names redb: table definitions, opening the database
//! with the right concurrency mode and lock wait, and typed access to the
//! tables inside one transaction.
//!
//! Every command runs in one transaction: a read-only one on a read-only open
//! (no fsync, never waits for a writer), or one write transaction on a
//! `MultiWriter` open. Each write is atomic: a crash leaves the database as it
//! was before or after it.

use crate::error::{Error, Result};
use crate::object::{Commit, Id};
use crate::tree::{NewObjects, Node, ObjectRead};
use redb::{
    AccessGuard, Builder, ConcurrencyMode, Database, ReadOnlyDatabase, ReadOnlyTable,
    ReadableDatabase, ReadableTable, Table, TableDefinition, TableError, TransactionError,
    WriteTransaction,
};
use std::cell::RefCell;
use std::collections::HashMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The version of the repository format this build writes. It also reads
/// format 1 (every tree node in `nodes`); its first writable open of such a
/// repository moves the internal nodes into `inner` (see [`upgrade`]).
pub const FORMAT_VERSION: u32 = 2;

/// Tree leaves (level 0), and in format 1 every tree node.
const NODES: TableDefinition<[u8; 32], &[u8]> = TableDefinition::new("nodes");
/// Internal tree nodes (level 1 and up). Apart from the leaves, their table
/// stays small (about one node in 50), so its few branch pages stay in the
/// page cache and a lookup costs one page read; in one table with the
/// leaves, a lookup on a big store reads a branch page too.
const INNER: TableDefinition<[u8; 32], &[u8]> = TableDefinition::new("inner");
const BLOBS: TableDefinition<[u8; 32], &[u8]> = TableDefinition::new("blobs");
const COMMITS: TableDefinition<[u8; 32], &[u8]> = TableDefinition::new("commits");
/// `heads/NAME` and `tags/NAME` to commit ids.
const REFS: TableDefinition<&str, [u8; 32]> = TableDefinition::new("refs");
/// Small named records: `format`, `HEAD`, `stage.base`, ...
const META: TableDefinition<&str, &[u8]> = TableDefinition::new("meta");
/// The staging area: key to encoded staged change.
const STAGE: TableDefinition<&str, &[u8]> = TableDefinition::new("stage");
/// (ref name, sequence number) to encoded reflog entry.
const REFLOG: TableDefinition<(&str, u64), &[u8]> = TableDefinition::new("reflog");
/// When each object was first stored (seconds since the epoch): gc's grace
/// period spares young unreachable objects.
const BORN: TableDefinition<[u8; 32], u64> = TableDefinition::new("born");

/// The object tables, for gc and fsck.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ObjectKind {
    Node,
    Blob,
    Commit,
}

enum Handle {
    Read(ReadOnlyDatabase),
    Write(Database),
}

/// An open repository database.
pub struct Store {
    path: PathBuf,
    handle: Handle,
    lock_timeout: Duration,
    /// The wall-clock time recorded as the birth of objects this process stores.
    now: u64,
    /// The result of the engine's integrity check, on an `Access::Check` open.
    engine: Option<EngineCheck>,
}

/// What the storage engine's own integrity check (redb's `check_integrity`)
/// found: it verifies the checksum of every page of the committed trees and
/// rebuilds its record of which pages are in use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EngineCheck {
    /// Every page verified and the page records matched; nothing was written.
    Clean,
    /// The engine found its own records of the file damaged (a table count
    /// or the record of pages in use did not match what the pages hold) and
    /// committed a repair. Damage it cannot repair is an error instead.
    Repaired,
}

/// How a command uses the database: whether it writes, and how much. It sets
/// the size of redb's page cache, which keeps every page it reads or writes
/// until full (redb's default is 1 GiB). A command that reads a few thousand
/// pages once gains little from that beyond the top pages of each table: the
/// operating system caches the file anyway, and each cached page is fresh
/// memory the process must fault in, a cost that grows with the store. Bulk
/// writers do gain: the pages of their transaction are written many times over
/// before it commits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    Read,
    Write,
    /// An import, a large batch, a gc.
    Bulk,
    /// fsck: a writable open, as write commands make, followed by the storage
    /// engine's integrity check (which needs the write lock, and writes only
    /// a repair); then one read of everything reachable.
    Check,
}

impl Access {
    fn writable(self) -> bool {
        self != Access::Read
    }

    fn cache_bytes(self) -> usize {
        match self {
            // The root and upper branch pages of the tables, read by every lookup.
            Access::Read | Access::Check => 256 << 10,
            // Room for a small transaction's dirty pages (half of the cache).
            Access::Write => 2 << 20,
            Access::Bulk => 32 << 20,
        }
    }
}

fn builder(access: Access) -> Builder {
    let mut b = Builder::new();
    b.set_concurrency_mode(ConcurrencyMode::MultiWriter);
    b.set_cache_size(access.cache_bytes());
    b
}

/// Runs `f`, turning a panic inside the storage engine into a corruption
/// report: some damaged files make redb panic rather than return an error.
fn guarded<T>(what: &str, f: impl FnOnce() -> Result<T>) -> Result<T> {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(r) => r,
        Err(panic) => {
            let msg = panic
                .downcast_ref::<String>()
                .map(String::as_str)
                .or_else(|| panic.downcast_ref::<&str>().copied())
                .unwrap_or("unknown failure");
            // Rust's own wording for unreachable!() starts "internal error",
            // which would read as a kvgit bug; the damage is in the file.
            let msg = msg.trim_start_matches("internal error: ");
            Err(Error::Corrupt(format!(
                "the storage engine failed while {what} ({msg}); the file is damaged"
            )))
        }
    }
}

fn db_error(path: &Path, e: redb::DatabaseError) -> Error {
    match e {
        redb::DatabaseError::Storage(s) => storage_error(s),
        redb::DatabaseError::UpgradeRequired(v) => Error::Unreadable(format!(
            "{} uses storage format {v}, which this build cannot read",
            path.display()
        )),
        other => Error::Io(format!("cannot open {}: {other}", path.display())),
    }
}

fn storage_error(e: redb::StorageError) -> Error {
    match e {
        redb::StorageError::Corrupted(msg) => Error::Corrupt(msg),
        redb::StorageError::Io(io) if io.kind() == std::io::ErrorKind::UnexpectedEof => {
            Error::Corrupt(format!("the database file is truncated ({io})"))
        }
        redb::StorageError::Io(io) if io.kind() == std::io::ErrorKind::InvalidData => {
            Error::Corrupt(format!("the database file is damaged ({io})"))
        }
        other => Error::Io(format!("storage error: {other}")),
    }
}

impl From<redb::StorageError> for Error {
    fn from(e: redb::StorageError) -> Error {
        storage_error(e)
    }
}

impl From<redb::TableError> for Error {
    fn from(e: redb::TableError) -> Error {
        match e {
            redb::TableError::Storage(s) => storage_error(s),
            other => Error::Corrupt(format!("unexpected table layout: {other}")),
        }
    }
}

impl From<redb::CommitError> for Error {
    fn from(e: redb::CommitError) -> Error {
        match e {
            redb::CommitError::Storage(s) => storage_error(s),
            other => Error::Io(format!("commit failed: {other}")),
        }
    }
}

impl From<TransactionError> for Error {
    fn from(e: TransactionError) -> Error {
        match e {
            TransactionError::Storage(s) => storage_error(s),
            other => Error::Io(format!("transaction failed: {other}")),
        }
    }
}

impl Store {
    /// Creates a new, empty database at `path` with all tables and the format
    /// version, and `init` run inside the same transaction.
    pub fn create(
        path: &Path,
        lock_timeout: Duration,
        now: u64,
        init: impl FnOnce(&mut WriteCtx<'_>) -> Result<()>,
    ) -> Result<()> {
        let db = guarded("creating the database", || {
            builder(Access::Write)
                .create(path)
                .map_err(|e| db_error(path, e))
        })?;
        let store = Store {
            path: path.to_path_buf(),
            handle: Handle::Write(db),
            lock_timeout,
            now,
            engine: None,
        };
        store.write(|w| {
            w.meta_put("format", &FORMAT_VERSION.to_be_bytes())?;
            init(w)
        })
    }

    /// Opens an existing database. A writable `access` opens it for writing
    /// (which waits, up to `lock_timeout`, while another process is writing);
    /// `Access::Read` opens it read-only, which never waits. `Access::Check`
    /// also runs the engine's integrity check within the same wait (see
    /// [`Store::engine_check`]); damage it cannot repair, and a file the open
    /// itself fails on, are `Error::Corrupt`.
    pub fn open(path: &Path, access: Access, lock_timeout: Duration, now: u64) -> Result<Store> {
        match std::fs::metadata(path) {
            Ok(m) if m.len() == 0 => {
                return Err(Error::Corrupt(format!(
                    "{} is empty (truncated to zero bytes)",
                    path.display()
                )));
            }
            Ok(_) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(Error::Unreadable(format!(
                    "{} is missing: the repository has no database",
                    path.display()
                )));
            }
            Err(e) => return Err(Error::Io(format!("cannot read {}: {e}", path.display()))),
        }
        let mut engine = None;
        let handle = if access.writable() {
            let (db, check) = open_writable(path, access, lock_timeout)?;
            engine = check;
            Handle::Write(db)
        } else {
            match guarded("opening the database", || {
                builder(Access::Read)
                    .open_read_only(path)
                    .map_err(|e| match e {
                        redb::DatabaseError::RepairAborted => Error::Io("needs repair".into()),
                        other => db_error(path, other),
                    })
            }) {
                Ok(db) => Handle::Read(db),
                // A writer was killed: one writable open repairs the file.
                Err(Error::Io(msg)) if msg == "needs repair" => {
                    drop(open_writable(path, Access::Write, lock_timeout)?.0);
                    Handle::Read(guarded("opening the database", || {
                        builder(Access::Read)
                            .open_read_only(path)
                            .map_err(|e| db_error(path, e))
                    })?)
                }
                Err(e) => return Err(e),
            }
        };
        let store = Store {
            path: path.to_path_buf(),
            handle,
            lock_timeout,
            now,
            engine,
        };
        let version = store.read(|r| r.meta_get("format"))?;
        match version.as_deref().map(<[u8; 4]>::try_from) {
            Some(Ok(v)) if u32::from_be_bytes(v) == FORMAT_VERSION => Ok(store),
            Some(Ok(v)) if u32::from_be_bytes(v) == 1 => {
                // fsck checks the repository as it finds it.
                if matches!(access, Access::Write | Access::Bulk) {
                    store.write(upgrade)?;
                }
                Ok(store)
            }
            Some(Ok(v)) => Err(Error::Unreadable(format!(
                "{} has repository format {}, this build reads format {FORMAT_VERSION}",
                path.display(),
                u32::from_be_bytes(v)
            ))),
            _ => Err(Error::Corrupt(format!(
                "{} has no valid format version",
                path.display()
            ))),
        }
    }

    /// What the storage engine's integrity check found, on an `Access::Check`
    /// open; `None` on any other.
    pub fn engine_check(&self) -> Option<EngineCheck> {
        self.engine
    }

    /// Runs `f` in one read transaction.
    pub fn read<T>(&self, f: impl FnOnce(&ReadCtx) -> Result<T>) -> Result<T> {
        self.read_with(NodeCache::default(), f)
    }

    /// Like [`Store::read`], for a walk that reads each tree node once (the
    /// diff of two trees): decoded nodes are not kept, so memory follows the
    /// nodes in use, not every node read (fewer page faults on big stores).
    pub fn read_once<T>(&self, f: impl FnOnce(&ReadCtx) -> Result<T>) -> Result<T> {
        self.read_with(NodeCache::off(), f)
    }

    fn read_with<T>(&self, cache: NodeCache, f: impl FnOnce(&ReadCtx) -> Result<T>) -> Result<T> {
        guarded("reading", || {
            let txn = match &self.handle {
                Handle::Read(db) => db.begin_read()?,
                Handle::Write(db) => db.begin_read()?,
            };
            let inner = match txn.open_table(INNER) {
                Ok(t) => Some(t),
                // Format 1: every node is in `nodes`.
                Err(TableError::TableDoesNotExist(_)) => None,
                Err(e) => return Err(e.into()),
            };
            let ctx = ReadCtx {
                nodes: txn.open_table(NODES)?,
                inner,
                blobs: txn.open_table(BLOBS)?,
                commits: txn.open_table(COMMITS)?,
                refs: txn.open_table(REFS)?,
                meta: txn.open_table(META)?,
                stage: txn.open_table(STAGE)?,
                reflog: txn.open_table(REFLOG)?,
                cache,
            };
            f(&ctx)
        })
    }

    /// Runs `f` in one write transaction, committed if `f` returns `Ok`.
    pub fn write<T>(&self, f: impl FnOnce(&mut WriteCtx<'_>) -> Result<T>) -> Result<T> {
        let Handle::Write(db) = &self.handle else {
            return Err(Error::Io("internal: write on a read-only open".into()));
        };
        guarded("writing", || {
            let txn = begin_write(db, self.lock_timeout)?;
            let out = {
                let mut ctx = WriteCtx::new(&txn, self.now)?;
                f(&mut ctx)?
            };
            txn.commit()?;
            Ok(out)
        })
    }

    /// The size of the database file in bytes.
    pub fn file_size(&self) -> Result<u64> {
        Ok(std::fs::metadata(&self.path)?.len())
    }

    /// Rewrites the object tables in key order (so their pages are full) and
    /// compacts the file, giving space freed by deletions back to the system.
    pub fn compact(&mut self) -> Result<()> {
        let Handle::Write(db) = &mut self.handle else {
            return Err(Error::Io("internal: compact on a read-only open".into()));
        };
        guarded("compacting", || {
            let txn = begin_write(db, self.lock_timeout)?;
            for def in [NODES, INNER, BLOBS, COMMITS] {
                let scratch: TableDefinition<[u8; 32], &[u8]> = TableDefinition::new("scratch");
                {
                    let old = txn.open_table(def)?;
                    let mut fresh = txn.open_table(scratch)?;
                    for item in old.range::<[u8; 32]>(..)? {
                        let (k, v) = item?;
                        fresh.insert(k.value(), v.value())?;
                    }
                }
                txn.delete_table(def)?;
                txn.rename_table(scratch, def)?;
            }
            txn.commit()?;
            // compact() fails while another process reads; a later gc retries.
            for _ in 0..20 {
                match db.compact() {
                    Ok(_) => return Ok(()),
                    Err(redb::CompactionError::TransactionInProgress) => {
                        std::thread::sleep(Duration::from_millis(50));
                    }
                    Err(e) => return Err(Error::Io(format!("compaction failed: {e}"))),
                }
            }
            Ok(())
        })
    }
}

/// Inserts a content-addressed object unless it is stored already, recording
/// when it was born.
fn insert_new(
    table: &mut Table<'_, [u8; 32], &'static [u8]>,
    born: &mut Table<'_, [u8; 32], u64>,
    now: u64,
    id: &Id,
    bytes: &[u8],
) -> Result<()> {
    if table.get(&id.0)?.is_none() {
        table.insert(&id.0, bytes)?;
        born.insert(&id.0, now)?;
    }
    Ok(())
}

fn open_writable(
    path: &Path,
    access: Access,
    timeout: Duration,
) -> Result<(Database, Option<EngineCheck>)> {
    // In MultiWriter mode open() blocks while another process is inside a
    // write transaction and has no non-blocking form, and check_integrity()
    // waits for the write lock the same way, so both run on a helper thread
    // that is abandoned (and ends with the process) on timeout.
    let (tx, rx) = std::sync::mpsc::channel();
    let owned = path.to_path_buf();
    std::thread::spawn(move || {
        let verified = if access == Access::Check {
            guarded("checking the database", || verify_pages(&owned))
        } else {
            Ok(())
        };
        let result = verified
            .and_then(|()| {
                guarded("opening the database", || {
                    builder(access)
                        .open(&owned)
                        .map_err(|e| db_error(&owned, e))
                })
            })
            .and_then(|db| {
                if access != Access::Check {
                    return Ok((db, None));
                }
                // The handle is dropped inside the guard when the check fails:
                // redb may panic closing a file it found damaged.
                guarded("checking the database", move || {
                    let mut db = db;
                    match db.check_integrity() {
                        Ok(true) => Ok((db, Some(EngineCheck::Clean))),
                        Ok(false) => Ok((db, Some(EngineCheck::Repaired))),
                        Err(e) => Err(integrity_error(&owned, e)),
                    }
                })
            });
        let _ = tx.send(result);
    });
    match rx.recv_timeout(timeout) {
        Ok(result) => result,
        Err(std::sync::mpsc::RecvTimeoutError::Timeout) => Err(Error::Busy(timeout)),
        // The helper ended without an answer: a panic outside the guards.
        Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => Err(Error::Corrupt(
            "the storage engine failed while opening the database; the file is damaged".into(),
        )),
    }
}

/// Checks, writing nothing, what `check_integrity()` checks before it repairs:
/// the checksum of every page of the committed trees, and that the data
/// tables' pages are within the file and used once.
///
/// A writable open marks the file as in use before anything is checked, and
/// a plain one may panic on a damaged page; so fsck first opens with redb's
/// integrity check on open, whose repair reads and verifies everything and
/// only then writes, and stops it through the repair callback. The repair
/// reports progress 0.6 once every checksum verified and 0.9 once the data
/// tables' pages are accounted for; stopping there ends the open with
/// `RepairAborted`, which here means the checks passed.
fn verify_pages(path: &Path) -> Result<()> {
    let mut b = builder(Access::Check);
    b.set_check_integrity_on_open(true);
    b.set_repair_callback(|session| {
        if session.progress() >= 0.9 {
            session.abort();
        }
    });
    match b.open(path) {
        Err(redb::DatabaseError::RepairAborted) => Ok(()),
        // A file never committed to opens without a repair: nothing to verify.
        Ok(db) => {
            drop(db);
            Ok(())
        }
        Err(e) => Err(integrity_error(path, e)),
    }
}

/// The error of a failed `check_integrity()`: damage the engine found and
/// could not repair is corruption whatever form redb reports it in.
fn integrity_error(path: &Path, e: redb::DatabaseError) -> Error {
    match e {
        redb::DatabaseError::Storage(redb::StorageError::Corrupted(msg)) => {
            Error::Corrupt(format!(
                "the storage engine's integrity check found damage it cannot repair (redb: {})",
                msg.replace('\n', " ")
            ))
        }
        other => db_error(path, other),
    }
}

fn begin_write(db: &Database, timeout: Duration) -> Result<WriteTransaction> {
    let deadline = Instant::now() + timeout;
    let mut pause = Duration::from_micros(200);
    loop {
        match db.try_begin_write() {
            Ok(txn) => return Ok(txn),
            Err(TransactionError::WouldBlock) => {
                let now = Instant::now();
                if now >= deadline {
                    return Err(Error::Busy(timeout));
                }
                // Lock wait: back off up to 10 ms between attempts.
                std::thread::sleep(pause.min(deadline - now));
                pause = (pause * 2).min(Duration::from_millis(10));
            }
            Err(e) => return Err(e.into()),
        }
    }
}

/// Read access shared by read and write transactions.
pub trait Reader: ObjectRead {
    fn commit(&self, id: &Id) -> Result<Commit>;
    fn has_commit(&self, id: &Id) -> Result<bool>;
    /// Commit ids in `[low, high]` (for abbreviated-id lookups).
    fn commit_ids_between(&self, low: [u8; 32], high: [u8; 32], limit: usize) -> Result<Vec<Id>>;
    fn ref_get(&self, name: &str) -> Result<Option<Id>>;
    /// All refs whose name starts with `prefix`, in name order.
    fn refs_with_prefix(&self, prefix: &str) -> Result<Vec<(String, Id)>>;
    fn meta_get(&self, key: &str) -> Result<Option<Vec<u8>>>;
    fn stage_get(&self, key: &str) -> Result<Option<Vec<u8>>>;
    fn stage_all(&self) -> Result<Vec<(String, Vec<u8>)>>;
    fn stage_is_empty(&self) -> Result<bool>;
    /// The reflog of `name`, oldest first.
    fn reflog(&self, name: &str) -> Result<Vec<(u64, Vec<u8>)>>;
    /// Names of every ref that has a reflog.
    fn reflog_names(&self) -> Result<Vec<String>>;
    /// The chunk ids of a chunk-list blob (empty for a data blob), checking
    /// that the blob exists; only a chunk list is read whole.
    fn blob_children(&self, id: &Id) -> Result<Vec<Id>>;
}

/// Decoded tree nodes read in one transaction, so that a node read twice (a
/// merge reads the paths to the changed keys in three trees) is decoded once.
/// Bounded: when full it starts over, so that a walk of the whole store (an
/// import, fsck, export) holds at most `CACHED_NODES` decoded nodes.
struct NodeCache {
    map: RefCell<HashMap<Id, Arc<Node>>>,
    capacity: usize,
}

/// About 4 KiB each decoded: at most 8 MiB.
const CACHED_NODES: usize = 2048;

impl Default for NodeCache {
    fn default() -> NodeCache {
        NodeCache {
            map: RefCell::default(),
            capacity: CACHED_NODES,
        }
    }
}

impl NodeCache {
    /// A cache that keeps nothing.
    fn off() -> NodeCache {
        NodeCache {
            map: RefCell::default(),
            capacity: 0,
        }
    }

    fn get(&self, id: &Id) -> Option<Arc<Node>> {
        self.map.borrow().get(id).cloned()
    }

    fn insert(&self, id: Id, node: Arc<Node>) {
        if self.capacity == 0 {
            return;
        }
        let mut map = self.map.borrow_mut();
        if map.len() >= self.capacity {
            map.clear();
        }
        map.insert(id, node);
    }

    fn remove(&self, id: &Id) {
        self.map.borrow_mut().remove(id);
    }
}

fn verified<'a>(kind: &str, id: &Id, bytes: &'a [u8]) -> Result<&'a [u8]> {
    if Id::of(bytes) != *id {
        return Err(Error::Corrupt(format!(
            "{kind} {} does not match its hash",
            id.short()
        )));
    }
    Ok(bytes)
}

macro_rules! impl_reader {
    ($ty:ty) => {
        impl ObjectRead for $ty {
            fn node(&self, id: &Id, level: u8) -> Result<Arc<Node>> {
                let node = match self.cache.get(id) {
                    Some(n) => n,
                    None => {
                        let guard = self.node_bytes(id, level > 0)?.ok_or_else(|| {
                            Error::Corrupt(format!("tree node {} is missing", id.short()))
                        })?;
                        self.decode_node(id, guard)?
                    }
                };
                if node.level != level {
                    return Err(Error::Corrupt(format!(
                        "tree node {} is at level {}, where level {level} was expected",
                        id.short(),
                        node.level
                    )));
                }
                Ok(node)
            }

            fn root(&self, id: &Id) -> Result<Arc<Node>> {
                if let Some(n) = self.cache.get(id) {
                    return Ok(n);
                }
                // Any tree of more than a few dozen keys has an internal root.
                let guard = match self.node_bytes(id, true)? {
                    Some(g) => g,
                    None => self.node_bytes(id, false)?.ok_or_else(|| {
                        Error::Corrupt(format!("tree node {} is missing", id.short()))
                    })?,
                };
                self.decode_node(id, guard)
            }

            fn blob(&self, id: &Id) -> Result<Vec<u8>> {
                let guard = self
                    .blobs
                    .get(&id.0)?
                    .ok_or_else(|| Error::Corrupt(format!("blob {} is missing", id.short())))?;
                Ok(verified("blob", id, guard.value())?.to_vec())
            }
        }

        impl $ty {
            fn decode_node(
                &self,
                id: &Id,
                guard: AccessGuard<'_, &'static [u8]>,
            ) -> Result<Arc<Node>> {
                let node = Arc::new(Node::decode(id, verified("tree node", id, guard.value())?)?);
                self.cache.insert(*id, node.clone());
                Ok(node)
            }
        }

        impl Reader for $ty {
            fn commit(&self, id: &Id) -> Result<Commit> {
                let guard = self
                    .commits
                    .get(&id.0)?
                    .ok_or_else(|| Error::Corrupt(format!("commit {} is missing", id.short())))?;
                Commit::decode(verified("commit", id, guard.value())?)
                    .map_err(|e| Error::Corrupt(format!("commit {}: {e}", id.short())))
            }

            fn has_commit(&self, id: &Id) -> Result<bool> {
                Ok(self.commits.get(&id.0)?.is_some())
            }

            fn commit_ids_between(
                &self,
                low: [u8; 32],
                high: [u8; 32],
                limit: usize,
            ) -> Result<Vec<Id>> {
                let mut out = Vec::new();
                for item in self.commits.range(low..=high)?.take(limit) {
                    let (k, _) = item?;
                    out.push(Id(k.value()));
                }
                Ok(out)
            }

            fn ref_get(&self, name: &str) -> Result<Option<Id>> {
                Ok(self.refs.get(name)?.map(|g| Id(g.value())))
            }

            fn refs_with_prefix(&self, prefix: &str) -> Result<Vec<(String, Id)>> {
                let mut out = Vec::new();
                for item in self.refs.range(prefix..)? {
                    let (k, v) = item?;
                    if !k.value().starts_with(prefix) {
                        break;
                    }
                    out.push((k.value().to_string(), Id(v.value())));
                }
                Ok(out)
            }

            fn meta_get(&self, key: &str) -> Result<Option<Vec<u8>>> {
                Ok(self.meta.get(key)?.map(|g| g.value().to_vec()))
            }

            fn stage_get(&self, key: &str) -> Result<Option<Vec<u8>>> {
                Ok(self.stage.get(key)?.map(|g| g.value().to_vec()))
            }

            fn stage_all(&self) -> Result<Vec<(String, Vec<u8>)>> {
                let mut out = Vec::new();
                for item in self.stage.range::<&str>(..)? {
                    let (k, v) = item?;
                    out.push((k.value().to_string(), v.value().to_vec()));
                }
                Ok(out)
            }

            fn stage_is_empty(&self) -> Result<bool> {
                Ok(self.stage.first()?.is_none())
            }

            fn reflog_names(&self) -> Result<Vec<String>> {
                let mut out: Vec<String> = Vec::new();
                for item in self.reflog.range::<(&str, u64)>(..)? {
                    let (k, _) = item?;
                    let name = k.value().0;
                    if out.last().is_none_or(|l| l != name) {
                        out.push(name.to_string());
                    }
                }
                Ok(out)
            }

            fn blob_children(&self, id: &Id) -> Result<Vec<Id>> {
                let guard = self
                    .blobs
                    .get(&id.0)?
                    .ok_or_else(|| Error::Corrupt(format!("blob {} is missing", id.short())))?;
                let bytes = guard.value();
                if bytes.first() != Some(&crate::tree::BLOB_LIST) {
                    return Ok(Vec::new());
                }
                let bytes = verified("blob", id, bytes)?;
                if (bytes.len() - 1) % 32 != 0 {
                    return Err(Error::Corrupt(format!(
                        "blob {} has a torn chunk list",
                        id.short()
                    )));
                }
                Ok(bytes[1..]
                    .chunks(32)
                    .map(|c| Id(c.try_into().expect("chunks of 32")))
                    .collect())
            }

            fn reflog(&self, name: &str) -> Result<Vec<(u64, Vec<u8>)>> {
                let mut out = Vec::new();
                for item in self.reflog.range((name, 0)..=(name, u64::MAX))? {
                    let (k, v) = item?;
                    out.push((k.value().1, v.value().to_vec()));
                }
                Ok(out)
            }
        }
    };
}

/// The tables of one read transaction.
pub struct ReadCtx {
    nodes: ReadOnlyTable<[u8; 32], &'static [u8]>,
    /// `None` in a format 1 repository, which keeps every node in `nodes`.
    inner: Option<ReadOnlyTable<[u8; 32], &'static [u8]>>,
    blobs: ReadOnlyTable<[u8; 32], &'static [u8]>,
    commits: ReadOnlyTable<[u8; 32], &'static [u8]>,
    refs: ReadOnlyTable<&'static str, [u8; 32]>,
    meta: ReadOnlyTable<&'static str, &'static [u8]>,
    stage: ReadOnlyTable<&'static str, &'static [u8]>,
    reflog: ReadOnlyTable<(&'static str, u64), &'static [u8]>,
    cache: NodeCache,
}

/// The tables of one write transaction.
pub struct WriteCtx<'t> {
    nodes: Table<'t, [u8; 32], &'static [u8]>,
    inner: Table<'t, [u8; 32], &'static [u8]>,
    blobs: Table<'t, [u8; 32], &'static [u8]>,
    commits: Table<'t, [u8; 32], &'static [u8]>,
    refs: Table<'t, &'static str, [u8; 32]>,
    meta: Table<'t, &'static str, &'static [u8]>,
    stage: Table<'t, &'static str, &'static [u8]>,
    reflog: Table<'t, (&'static str, u64), &'static [u8]>,
    cache: NodeCache,
    born: Table<'t, [u8; 32], u64>,
    now: u64,
}

impl_reader!(ReadCtx);
impl_reader!(WriteCtx<'_>);

impl ReadCtx {
    /// The stored bytes of a leaf, or of an internal node if `internal`.
    fn node_bytes(
        &self,
        id: &Id,
        internal: bool,
    ) -> Result<Option<AccessGuard<'_, &'static [u8]>>> {
        let table = match &self.inner {
            Some(inner) if internal => inner,
            _ => &self.nodes,
        };
        Ok(table.get(&id.0)?)
    }
}

/// The level of encoded node bytes (`docs/format.md`); `None` if too short to say.
fn node_level(bytes: &[u8]) -> Option<u8> {
    bytes.get(1).copied()
}

/// Format 1 to 2, in one write transaction: moves the internal nodes out of
/// `nodes` into `inner`. Checked inside the transaction, so of two processes
/// opening the same old repository, the second finds the work done.
fn upgrade(w: &mut WriteCtx<'_>) -> Result<()> {
    let version = w.meta_get("format")?;
    if version.as_deref() != Some(&1u32.to_be_bytes()[..]) {
        return Ok(());
    }
    let mut moved = Vec::new();
    for item in w.nodes.range::<[u8; 32]>(..)? {
        let (k, v) = item?;
        // A node too short to have a level is left for fsck to report.
        if node_level(v.value()).is_some_and(|l| l > 0) {
            moved.push((k.value(), v.value().to_vec()));
        }
    }
    for (id, bytes) in moved {
        w.inner.insert(&id, bytes.as_slice())?;
        w.nodes.remove(&id)?;
    }
    w.meta_put("format", &FORMAT_VERSION.to_be_bytes())
}

impl<'t> WriteCtx<'t> {
    fn new(txn: &'t WriteTransaction, now: u64) -> Result<WriteCtx<'t>> {
        Ok(WriteCtx {
            nodes: txn.open_table(NODES)?,
            inner: txn.open_table(INNER)?,
            blobs: txn.open_table(BLOBS)?,
            commits: txn.open_table(COMMITS)?,
            refs: txn.open_table(REFS)?,
            meta: txn.open_table(META)?,
            stage: txn.open_table(STAGE)?,
            reflog: txn.open_table(REFLOG)?,
            cache: NodeCache::default(),
            born: txn.open_table(BORN)?,
            now,
        })
    }

    /// Stores new tree nodes and blobs; objects already present are left as they are.
    pub fn put_objects(&mut self, new: &NewObjects) -> Result<()> {
        for (id, bytes) in &new.nodes {
            let table = match node_level(bytes) {
                Some(1..) => &mut self.inner,
                _ => &mut self.nodes,
            };
            insert_new(table, &mut self.born, self.now, id, bytes)?;
        }
        for (id, bytes) in &new.blobs {
            insert_new(&mut self.blobs, &mut self.born, self.now, id, bytes)?;
        }
        Ok(())
    }

    /// The stored bytes of a leaf, or of an internal node if `internal`.
    fn node_bytes(
        &self,
        id: &Id,
        internal: bool,
    ) -> Result<Option<AccessGuard<'_, &'static [u8]>>> {
        let table = if internal { &self.inner } else { &self.nodes };
        Ok(table.get(&id.0)?)
    }

    pub fn put_commit(&mut self, commit: &Commit) -> Result<Id> {
        let bytes = commit.encode();
        let id = Id::of(&bytes);
        if self.commits.get(&id.0)?.is_none() {
            self.commits.insert(&id.0, bytes.as_slice())?;
            self.born.insert(&id.0, self.now)?;
        }
        Ok(id)
    }

    /// Every stored object of one kind, with its stored size.
    pub fn object_ids(&self, kind: ObjectKind) -> Result<Vec<(Id, u64)>> {
        let tables = match kind {
            ObjectKind::Node => vec![&self.nodes, &self.inner],
            ObjectKind::Blob => vec![&self.blobs],
            ObjectKind::Commit => vec![&self.commits],
        };
        let mut out = Vec::new();
        for table in tables {
            for item in table.range::<[u8; 32]>(..)? {
                let (k, v) = item?;
                out.push((Id(k.value()), v.value().len() as u64));
            }
        }
        Ok(out)
    }

    /// When an object was stored; `None` for objects older than the record.
    pub fn born(&self, id: &Id) -> Result<Option<u64>> {
        Ok(self.born.get(&id.0)?.map(|g| g.value()))
    }

    /// Deletes an object and its birth record.
    pub fn remove_object(&mut self, kind: ObjectKind, id: &Id) -> Result<()> {
        match kind {
            ObjectKind::Node => {
                self.nodes.remove(&id.0)?;
                self.inner.remove(&id.0)?
            }
            ObjectKind::Blob => self.blobs.remove(&id.0)?,
            ObjectKind::Commit => self.commits.remove(&id.0)?,
        };
        self.born.remove(&id.0)?;
        self.cache.remove(id);
        Ok(())
    }

    pub fn ref_put(&mut self, name: &str, id: &Id) -> Result<()> {
        self.refs.insert(name, &id.0)?;
        Ok(())
    }

    pub fn ref_remove(&mut self, name: &str) -> Result<()> {
        self.refs.remove(name)?;
        Ok(())
    }

    pub fn meta_put(&mut self, key: &str, value: &[u8]) -> Result<()> {
        self.meta.insert(key, value)?;
        Ok(())
    }

    pub fn meta_remove(&mut self, key: &str) -> Result<()> {
        self.meta.remove(key)?;
        Ok(())
    }

    pub fn stage_put(&mut self, key: &str, value: &[u8]) -> Result<()> {
        self.stage.insert(key, value)?;
        Ok(())
    }

    pub fn stage_remove(&mut self, key: &str) -> Result<()> {
        self.stage.remove(key)?;
        Ok(())
    }

    pub fn stage_clear(&mut self) -> Result<()> {
        self.stage.retain(|_, _| false)?;
        Ok(())
    }

    pub fn reflog_push(&mut self, name: &str, entry: &[u8]) -> Result<()> {
        let next = match self.reflog.range((name, 0)..=(name, u64::MAX))?.next_back() {
            Some(item) => item?.0.value().1 + 1,
            None => 0,
        };
        self.reflog.insert((name, next), entry)?;
        Ok(())
    }

    /// Moves the reflog of `old` to `new` (branch rename).
    pub fn reflog_rename(&mut self, old: &str, new: &str) -> Result<()> {
        let entries = self.reflog(old)?;
        for (seq, entry) in &entries {
            self.reflog.insert((new, *seq), entry.as_slice())?;
            self.reflog.remove((old, *seq))?;
        }
        Ok(())
    }

    pub fn reflog_remove(&mut self, name: &str, seq: u64) -> Result<()> {
        self.reflog.remove((name, seq))?;
        Ok(())
    }

    pub fn reflog_delete(&mut self, name: &str) -> Result<()> {
        for (seq, _) in self.reflog(name)? {
            self.reflog.remove((name, seq))?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tree::{Entry, Payload, ValRef};

    fn leaf(key: &str) -> Node {
        Node {
            level: 0,
            entries: vec![Entry {
                key: key.into(),
                payload: Payload::Value(ValRef::Inline(vec![0x92, 0x00, 0xa1, b'v'].into())),
            }],
        }
    }

    /// The message of a read that must fail as corruption.
    fn corruption(read: Result<Arc<Node>>) -> String {
        match read {
            Err(Error::Corrupt(m)) => m,
            Err(other) => panic!("not a corruption: {other}"),
            Ok(node) => panic!("read a node at level {}", node.level),
        }
    }

    #[test]
    fn nodes_are_read_from_the_table_of_their_level_and_checked_against_it() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("kvgit.redb");
        let (a, b) = (leaf("a"), leaf("b"));
        let parent = Node {
            level: 1,
            entries: ["a", "b"]
                .iter()
                .zip([&a, &b])
                .map(|(k, n)| Entry {
                    key: (*k).into(),
                    payload: Payload::Child(Id::of(&n.encode())),
                })
                .collect(),
        };
        let mut new = NewObjects::default();
        let (a_id, b_id) = (new.add_node(a.clone()), new.add_node(b));
        let parent_id = new.add_node(parent);
        Store::create(&path, Duration::from_secs(1), 0, |w| {
            w.put_objects(&new)?;
            // A leaf misfiled among the internal nodes.
            w.nodes.remove(&b_id.0)?;
            w.inner.insert(&b_id.0, stored_bytes(&new, &b_id))?;
            Ok(())
        })
        .expect("create");
        let store = Store::open(&path, Access::Read, Duration::from_secs(1), 0).expect("open");
        // Without the node cache: each lookup goes to the table.
        store
            .read_once(|r| {
                assert_eq!(r.root(&parent_id)?.level, 1);
                assert_eq!(r.root(&a_id)?.level, 0);
                assert_eq!(r.node(&a_id, 0)?.entries.len(), 1);
                // Looked up where its level says, the misfiled leaf is missing.
                assert!(corruption(r.node(&b_id, 0)).contains("is missing"));
                // Asked for as an internal node, it is found and its level refused.
                let m = corruption(r.node(&b_id, 1));
                assert!(
                    m.contains("is at level 0, where level 1 was expected"),
                    "{m}"
                );
                assert!(corruption(r.node(&parent_id, 0)).contains("is missing"));
                Ok(())
            })
            .expect("read");
        // A node from the cache has its level checked too.
        store
            .read(|r| {
                r.root(&parent_id)?;
                let m = corruption(r.node(&parent_id, 0));
                assert!(
                    m.contains("is at level 1, where level 0 was expected"),
                    "{m}"
                );
                Ok(())
            })
            .expect("read");
    }

    fn stored_bytes<'a>(new: &'a NewObjects, id: &Id) -> &'a [u8] {
        &new.nodes.iter().find(|(i, _)| i == id).expect("stored").1
    }
}
