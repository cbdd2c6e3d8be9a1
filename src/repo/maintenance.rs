//! gc, eviction and fsck on a repository.

use super::{EngineCheck, Repo, Signature};
use crate::error::{Error, Result};
use crate::fsck::{self, FsckReport};
use crate::gc::{self, EvictPlan, GcReport, Waterline};
use crate::merge::{StrategyFlags, state};

#[derive(Debug, Clone, Default)]
pub struct GcRun {
    pub report: GcReport,
    pub size_before: u64,
    pub size_after: u64,
}

impl Repo {
    /// Removes unreachable objects stored before `cutoff` (seconds since
    /// the epoch), then compacts the file.
    pub fn gc(
        &mut self,
        cutoff: u64,
        expire_reflog_before: Option<i64>,
        dry_run: bool,
    ) -> Result<GcRun> {
        let size_before = self.store.file_size()?;
        let report = self
            .store
            .write(|w| gc::collect(w, cutoff, expire_reflog_before, dry_run))?;
        if !dry_run && report.removed.objects() > 0 {
            self.store.compact()?;
        }
        Ok(GcRun {
            report,
            size_before,
            size_after: self.store.file_size()?,
        })
    }

    /// High and low water from the config, if `gc.high-water` is set.
    pub fn configured_waterline(&self) -> Result<Option<Waterline>> {
        let size = |key: &str| -> Result<Option<u64>> {
            self.config
                .get(key)
                .map(|v| crate::config::size_of_value(v).map_err(Error::Unreadable))
                .transpose()
        };
        let Some(high) = size("gc.high-water")? else {
            return Ok(None);
        };
        let low = size("gc.low-water")?.unwrap_or(high / 5 * 4);
        Ok(Some(Waterline {
            high,
            low,
            protect: self.configured_protect(),
        }))
    }

    /// The globs of `gc.protect`.
    pub fn configured_protect(&self) -> Vec<String> {
        self.config
            .get("gc.protect")
            .and_then(|v| v.as_array())
            .map(|a| {
                a.iter()
                    .filter_map(|g| g.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Evicts the coldest keys of the current branch if its live data is
    /// over high water.
    pub fn evict(&self, water: &Waterline, sig: &Signature, dry_run: bool) -> Result<EvictPlan> {
        let attrs = self.attributes(StrategyFlags::default())?;
        self.store.write(|w| {
            if !dry_run {
                state::refuse_during_merge(w, "evict keys")?;
            }
            gc::evict(w, &attrs, water, &sig.author, sig.time, dry_run)
        })
    }

    /// The eviction that runs after a commit when `gc.high-water` is set.
    pub fn auto_evict(&self, sig: &Signature) -> Result<Option<EvictPlan>> {
        match self.configured_waterline()? {
            Some(water) => {
                let plan = self.evict(&water, sig, false)?;
                Ok(plan.commit.is_some().then_some(plan))
            }
            None => Ok(None),
        }
    }

    /// The live data of the current branch: key lengths plus encoded value lengths.
    pub fn live_size(&self) -> Result<u64> {
        self.store.read(|r| {
            let root = super::tree_of(r, crate::refs::head_commit(r)?)?;
            Ok(gc::live_keys(r, root)?.iter().map(|(_, s)| s).sum())
        })
    }

    /// Checks everything reachable. On a repository opened with
    /// `Access::Check` the report also carries the storage engine's own
    /// check, and a repair it made is the first problem listed.
    pub fn fsck(&self) -> Result<FsckReport> {
        let mut report = self.store.read(|r| fsck::check(r))?;
        report.storage = self.store.engine_check();
        if report.storage == Some(EngineCheck::Repaired) {
            report.problems.insert(0, fsck::repaired_problem());
        }
        Ok(report)
    }
}
