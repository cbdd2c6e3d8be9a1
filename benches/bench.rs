//! `kvgit-bench`: times whole `kvgit` processes against floors measured in the
//! same run, and prints markdown tables of medians and ratios.
//!
//! ```text
//! cargo build --release --bins
//! target/release/kvgit-bench --keys 10000,100000 --runs 5 --git-keys 10000
//! ```
//!
//! It runs the `kvgit` binary that sits next to itself (so build both with
//! `--bins`). Every measurement is a whole process, timed from spawn to exit,
//! on both sides: the floors are modes of this same binary (`noop`,
//! `floor-load`, `floor-get`, `floor-put`, `floor-range`) that do the minimum
//! with raw redb, so they pay process start-up too. Each measurement is one
//! untimed warm-up run (under `/usr/bin/time -f %M` when present, for peak
//! memory) followed by `--runs` timed runs, the sides alternating, each run
//! preceded by an untimed `sync`. See BENCHMARKS.md for results.
//!
//! Workloads, at N keys `user/%08d` with 100-byte string values (`--keys`):
//! 1. bulk load: `kvgit import F` of N JSON lines, and `kvgit batch --file F`
//!    of N `set` lines, each into a fresh repository, against one redb write
//!    transaction inserting the same pairs into a fresh file;
//! 2. `kvgit get KEY`, against a read-only redb open and one lookup;
//! 3. one-key commit: `kvgit batch` with one `set`, against a writable redb
//!    open, one insert and one commit; plus the bytes each commit adds;
//! 4. `kvgit log --oneline`, `kvgit diff HEAD~1 HEAD` and `kvgit --version`,
//!    against an empty process;
//! 5. `kvgit ls user/00001` (1,000 keys), against a raw redb range scan;
//! 6. two branches with 100 keys changed on each: `kvgit diff main b --stat`,
//!    `kvgit merge b --dry-run`, and a real `kvgit merge` (of a branch made
//!    afresh for each run), against an empty process.
//!
//! Once per run, in their own repositories:
//! 7. `kvgit log --oneline` of 10,000 commits (fewer if making them would take
//!    over a minute here; see `bench_log`);
//! 8. `kvgit gc` after 1,000 commits of 10 keys and a `reset --hard HEAD~500`,
//!    at each of `--gc-keys`;
//! 9. with `--git-keys`: the same workloads done with git, one file per key,
//!    against kvgit, both timed in the same run.

use anyhow::{Context, Result, bail, ensure};
use redb::{Builder, ConcurrencyMode, ReadableDatabase, TableDefinition};
use serde::Deserialize;
use std::ffi::OsString;
use std::fmt::Write as _;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

const USAGE: &str = "\
usage: kvgit-bench [--keys N[,N...]] [--runs R] [--gc-keys N[,N...]] [--git-keys N[,N...]]
                   [--log-commits C] [--kvgit PATH]

  --keys         key counts to measure, at least 2000 each (default 100000)
  --runs         timed runs per measurement, after one warm-up (default 5)
  --gc-keys      key counts for the gc workload (default 10000,100000)
  --git-keys     key counts at which to compare with git as a key-value store
                 (default: none, no comparison; needs `git` and `sh` on PATH)
  --log-commits  commits in the `log` repository (default 10000, or 2000 when
                 a probe says 10000 would take over a minute)
  --kvgit        the kvgit binary (default: `kvgit` next to this program)

Build first with `cargo build --release --bins`. Internal modes used as floors:
  kvgit-bench noop | floor-load FILE N | floor-get FILE KEY | floor-put FILE KEY VALUE
              | floor-range FILE PREFIX";

/// The table the floor programs use: key -> 100-byte value.
const FLOOR_TABLE: TableDefinition<&str, &[u8]> = TableDefinition::new("kv");

/// Length of every value, in bytes.
const VALUE_LEN: usize = 100;

/// The smallest key count the workloads work with (see `Options::parse`).
const MIN_KEYS: u64 = 2_000;

fn main() -> std::process::ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("kvgit-bench: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

fn run(args: &[String]) -> Result<()> {
    let words: Vec<&str> = args.iter().map(String::as_str).collect();
    match words.as_slice() {
        ["noop"] => Ok(()),
        ["floor-load", file, n] => floor_load(Path::new(file), n.parse().context("N")?),
        ["floor-get", file, key] => floor_get(Path::new(file), key),
        ["floor-put", file, key, value] => floor_put(Path::new(file), key, value),
        ["floor-range", file, prefix] => floor_range(Path::new(file), prefix),
        ["-h" | "--help", ..] => {
            println!("{USAGE}");
            Ok(())
        }
        _ => run_benchmarks(&Options::parse(&words)?),
    }
}

// ---------------------------------------------------------------------------
// The data set

/// The key of the i-th pair: `user/00000042`.
fn key(i: u64) -> String {
    format!("user/{i:08}")
}

/// A 100-byte value for key `i`; `version` makes later writes differ. Only
/// letters, digits and `-`, so it needs no quoting in a batch line.
fn value(i: u64, version: u64) -> String {
    let mut v = format!("v{version}-{i:08}-");
    while v.len() < VALUE_LEN {
        v.push('x');
    }
    v
}

// ---------------------------------------------------------------------------
// The floors: what raw redb costs for the same work, as whole processes

fn floor_builder() -> Builder {
    let mut b = Builder::new();
    b.set_concurrency_mode(ConcurrencyMode::MultiWriter);
    b
}

/// Creates `file` and inserts N pairs in one write transaction.
fn floor_load(file: &Path, n: u64) -> Result<()> {
    let db = floor_builder().create(file)?;
    let tx = db.begin_write()?;
    {
        let mut table = tx.open_table(FLOOR_TABLE)?;
        for i in 0..n {
            table.insert(key(i).as_str(), value(i, 0).as_bytes())?;
        }
    }
    tx.commit()?;
    Ok(())
}

/// Opens `file` read-only and prints the value of one key.
fn floor_get(file: &Path, key: &str) -> Result<()> {
    let db = floor_builder().open_read_only(file)?;
    let tx = db.begin_read()?;
    let table = tx.open_table(FLOOR_TABLE)?;
    let found = table.get(key)?.context("key not found")?;
    let mut out = std::io::stdout().lock();
    out.write_all(found.value())?;
    out.write_all(b"\n")?;
    Ok(())
}

/// Opens `file` writable and inserts one key in one committed transaction.
fn floor_put(file: &Path, key: &str, value: &str) -> Result<()> {
    let db = floor_builder().open(file)?;
    let tx = db.begin_write()?;
    {
        let mut table = tx.open_table(FLOOR_TABLE)?;
        table.insert(key, value.as_bytes())?;
    }
    tx.commit()?;
    Ok(())
}

/// Opens `file` read-only and prints every key that starts with `prefix`, one
/// a line, from a range scan: what `kvgit ls PREFIX` prints.
fn floor_range(file: &Path, prefix: &str) -> Result<()> {
    let db = floor_builder().open_read_only(file)?;
    let tx = db.begin_read()?;
    let table = tx.open_table(FLOOR_TABLE)?;
    let mut out = BufWriter::new(std::io::stdout().lock());
    for entry in table.range(prefix..)? {
        let (k, _) = entry?;
        if !k.value().starts_with(prefix) {
            break;
        }
        writeln!(out, "{}", k.value())?;
    }
    out.flush()?;
    Ok(())
}

// ---------------------------------------------------------------------------
// Options

struct Options {
    keys: Vec<u64>,
    runs: usize,
    gc_keys: Vec<u64>,
    git_keys: Vec<u64>,
    /// `None`: 10,000, or 2,000 if a probe says 10,000 would take too long.
    log_commits: Option<usize>,
    kvgit: PathBuf,
}

/// Parses `10000,100_000` into numbers.
fn key_counts(text: &str, flag: &str) -> Result<Vec<u64>> {
    text.split(',')
        .map(|n| n.trim().replace('_', "").parse())
        .collect::<Result<_, _>>()
        .with_context(|| format!("{flag} takes numbers like 10000,100000"))
}

impl Options {
    fn parse(words: &[&str]) -> Result<Options> {
        let here = std::env::current_exe().context("cannot find this program's path")?;
        let mut opts = Options {
            keys: vec![100_000],
            runs: 5,
            gc_keys: vec![10_000, 100_000],
            git_keys: Vec::new(),
            log_commits: None,
            kvgit: here
                .parent()
                .context("this program has no directory")?
                .join("kvgit"),
        };
        let mut it = words.iter();
        while let Some(word) = it.next() {
            let mut arg = || {
                it.next()
                    .with_context(|| format!("{word} needs a value\n{USAGE}"))
            };
            match *word {
                "--keys" => opts.keys = key_counts(arg()?, word)?,
                "--gc-keys" => opts.gc_keys = key_counts(arg()?, word)?,
                "--git-keys" => opts.git_keys = key_counts(arg()?, word)?,
                "--runs" => opts.runs = arg()?.parse().context("--runs takes a number")?,
                "--log-commits" => {
                    opts.log_commits =
                        Some(arg()?.parse().context("--log-commits takes a number")?);
                }
                "--kvgit" => opts.kvgit = PathBuf::from(arg()?),
                other => bail!("unknown argument '{other}'\n{USAGE}"),
            }
        }
        ensure!(opts.runs >= 1, "--runs must be at least 1");
        // The two-branch and `ls` workloads need keys user/00001000..user/00001999
        // and 100 keys a side spread over the key space.
        ensure!(
            [&opts.keys, &opts.gc_keys, &opts.git_keys]
                .iter()
                .all(|counts| counts.iter().all(|&n| n >= MIN_KEYS)),
            "key counts must be at least {MIN_KEYS}"
        );
        ensure!(
            opts.log_commits.is_none_or(|c| c >= 2),
            "--log-commits must be at least 2"
        );
        ensure!(
            opts.kvgit.is_file(),
            "no kvgit binary at {}: run `cargo build --release --bins` first",
            opts.kvgit.display()
        );
        Ok(opts)
    }
}

// ---------------------------------------------------------------------------
// Running and timing processes

/// An empty directory used as `XDG_CONFIG_HOME` for every child, so no user
/// config file applies.
static CHILD_CONFIG_HOME: OnceLock<PathBuf> = OnceLock::new();

/// A process to run: program, arguments and working directory.
struct Proc {
    program: PathBuf,
    args: Vec<OsString>,
    cwd: PathBuf,
    /// A git or `sh` process: gets a cleared environment (see `command`).
    git: bool,
}

/// Settings for every git process, as `-c` flags: an identity, and no
/// automatic `gc` or maintenance (which would otherwise start packing the
/// 100k loose objects of a bulk load in the background, in later runs).
const GIT_FLAGS: [&str; 8] = [
    "-c",
    "user.name=kvgit-bench",
    "-c",
    "user.email=kvgit-bench@example.invalid",
    "-c",
    "gc.auto=0",
    "-c",
    "maintenance.auto=false",
];

impl Proc {
    fn new(program: &Path, cwd: &Path, args: &[&dyn AsRef<std::ffi::OsStr>]) -> Proc {
        Proc {
            program: program.to_path_buf(),
            args: args.iter().map(|a| a.as_ref().to_os_string()).collect(),
            cwd: cwd.to_path_buf(),
            git: false,
        }
    }

    /// `git GIT_FLAGS ARGS` in `cwd`.
    fn git(cwd: &Path, args: &[&str]) -> Proc {
        Proc {
            program: "git".into(),
            args: GIT_FLAGS.iter().chain(args).map(OsString::from).collect(),
            cwd: cwd.to_path_buf(),
            git: true,
        }
    }

    /// `sh -c SCRIPT` in `cwd`, for git workloads of two commands (such as
    /// `git add` then `git commit`), timed as one; `sh` costs about as much as
    /// an empty process (the `noop` floor, about 1 ms).
    fn sh(cwd: &Path, script: &str) -> Proc {
        Proc {
            program: "sh".into(),
            args: vec!["-c".into(), script.into()],
            cwd: cwd.to_path_buf(),
            git: true,
        }
    }

    /// The command line, for messages.
    fn shown(&self) -> String {
        let mut s = self.program.display().to_string();
        for a in &self.args {
            s.push(' ');
            s.push_str(&a.to_string_lossy());
        }
        s
    }

    /// A `Command` running `program` directly, or under `wrapper` (the
    /// `/usr/bin/time` arguments) when given.
    fn command(&self, wrapper: Option<&[OsString]>) -> Command {
        let mut cmd = match wrapper {
            None => Command::new(&self.program),
            Some(w) => {
                let mut c = Command::new(&w[0]);
                c.args(&w[1..]).arg(&self.program);
                c
            }
        };
        cmd.args(&self.args).current_dir(&self.cwd);
        if self.git {
            // Git gets a cleared environment: only PATH, an empty HOME (so no
            // ~/.gitconfig) and no system config; settings come from GIT_FLAGS.
            cmd.env_clear()
                .env("PATH", std::env::var_os("PATH").unwrap_or_default())
                .env("LC_ALL", "C")
                .env("GIT_CONFIG_NOSYSTEM", "1");
            if let Some(home) = CHILD_CONFIG_HOME.get() {
                cmd.env("HOME", home);
            }
            return cmd;
        }
        // The same environment for every process: no user config, no
        // inherited repository or namespace, a fixed author, no colour.
        for var in [
            "KVGIT_DIR",
            "KVGIT_NS",
            "KVGIT_LOCK_TIMEOUT",
            "KVGIT_AUTHOR_DATE",
        ] {
            cmd.env_remove(var);
        }
        if let Some(xdg) = CHILD_CONFIG_HOME.get() {
            cmd.env("XDG_CONFIG_HOME", xdg);
        }
        cmd.env("KVGIT_AUTHOR_NAME", "kvgit-bench")
            .env("NO_COLOR", "1");
        cmd
    }

    /// Runs the process, fails unless it exits 0, and returns its wall time.
    fn run(&self, wrapper: Option<&[OsString]>) -> Result<(Duration, Output)> {
        let mut cmd = self.command(wrapper);
        let start = Instant::now();
        let out = cmd
            .output()
            .with_context(|| format!("cannot run {}", self.shown()))?;
        let elapsed = start.elapsed();
        ensure!(
            out.status.success(),
            "`{}` (in {}) failed with {}:\n{}",
            self.shown(),
            self.cwd.display(),
            out.status,
            String::from_utf8_lossy(&out.stderr)
        );
        Ok((elapsed, out))
    }
}

/// `/usr/bin/time` when it is GNU time (knows `-f %M` and `-o`).
fn find_gnu_time(scratch: &Path) -> Option<PathBuf> {
    let time = PathBuf::from("/usr/bin/time");
    let probe = scratch.join("time-probe");
    let ok = Command::new(&time)
        .args(["-f", "%M", "-o"])
        .arg(&probe)
        .arg("true")
        .output()
        .is_ok_and(|o| o.status.success());
    let parsed = std::fs::read_to_string(&probe).is_ok_and(|s| s.trim().parse::<u64>().is_ok());
    (ok && parsed).then_some(time)
}

/// The results of one measurement.
#[derive(Clone)]
struct Timing {
    /// Wall times of the timed runs, sorted.
    times: Vec<Duration>,
    /// Peak resident memory of the warm-up run, in KiB, if measured.
    peak_kib: Option<u64>,
}

impl Timing {
    fn median(&self) -> Duration {
        let t = &self.times;
        let mid = t.len() / 2;
        if t.len() % 2 == 1 {
            t[mid]
        } else {
            (t[mid - 1] + t[mid]) / 2
        }
    }

    fn min(&self) -> Duration {
        self.times[0]
    }
}

/// A check of one run's output (run index, output).
type Check<'a> = Box<dyn FnMut(usize, &Output) -> Result<()> + 'a>;

/// Runs `sync` (untimed) so that the writeback of data written before a run
/// (by earlier runs, or by other programs) does not land on the run's own
/// fsyncs. Skipped if there is no `sync` program.
fn settle() {
    let _ = Command::new("sync").status();
}

/// One side of a comparison: how to prepare each run and check its output.
struct Side<'a> {
    /// Runs before run `i` (0 is the warm-up), untimed; returns the process.
    prepare: Box<dyn FnMut(usize) -> Result<Proc> + 'a>,
    /// Looks at the output of run `i`, untimed.
    check: Check<'a>,
}

impl<'a> Side<'a> {
    fn new(prepare: impl FnMut(usize) -> Result<Proc> + 'a) -> Side<'a> {
        Side {
            prepare: Box::new(prepare),
            check: Box::new(|_, _| Ok(())),
        }
    }

    fn checked(mut self, check: impl FnMut(usize, &Output) -> Result<()> + 'a) -> Side<'a> {
        self.check = Box::new(check);
        self
    }
}

/// Everything a measurement needs from the run: scratch dir, run count, and
/// `/usr/bin/time` if present.
struct Bench {
    scratch: PathBuf,
    runs: usize,
    time: Option<PathBuf>,
}

impl Bench {
    /// Measures kvgit against its floor: one untimed warm-up of each, then
    /// `runs` timed runs, alternating kvgit and floor so that a change in
    /// machine load affects both alike.
    fn compare(&self, kvgit: Side<'_>, floor: Side<'_>) -> Result<(Timing, Timing)> {
        let mut timings = self.measure(vec![kvgit, floor])?.into_iter();
        match (timings.next(), timings.next()) {
            (Some(kvgit), Some(floor)) => Ok((kvgit, floor)),
            _ => bail!("internal error: measure returned fewer than two timings"),
        }
    }

    /// Measures one or more sides: one untimed warm-up of each, then `runs`
    /// timed runs of each, the sides taking turns within every run.
    fn measure(&self, mut sides: Vec<Side<'_>>) -> Result<Vec<Timing>> {
        let mut peaks = Vec::new();
        for side in &mut sides {
            peaks.push(self.warm_up(side)?);
        }
        let mut times = vec![Vec::new(); sides.len()];
        for i in 1..=self.runs {
            for (side, t) in sides.iter_mut().zip(&mut times) {
                let proc = (side.prepare)(i)?;
                settle();
                let (elapsed, out) = proc.run(None)?;
                (side.check)(i, &out)?;
                t.push(elapsed);
            }
        }
        Ok(times
            .into_iter()
            .zip(peaks)
            .map(|(mut times, peak_kib)| {
                times.sort();
                Timing { times, peak_kib }
            })
            .collect())
    }

    /// The untimed warm-up run, under `/usr/bin/time` for its peak memory
    /// when present (time's own start-up would distort a timing, which is why
    /// only this run uses it).
    fn warm_up(&self, side: &mut Side<'_>) -> Result<Option<u64>> {
        let proc = (side.prepare)(0)?;
        settle();
        let Some(time) = &self.time else {
            let (_, out) = proc.run(None)?;
            (side.check)(0, &out)?;
            return Ok(None);
        };
        let mem_file = self.scratch.join("peak-kib");
        let wrapper: [OsString; 5] = [
            time.into(),
            "-f".into(),
            "%M".into(),
            "-o".into(),
            mem_file.clone().into(),
        ];
        let (_, out) = proc.run(Some(&wrapper))?;
        (side.check)(0, &out)?;
        let kib = std::fs::read_to_string(&mem_file)?
            .trim()
            .parse()
            .context("unreadable /usr/bin/time output")?;
        Ok(Some(kib))
    }
}

// ---------------------------------------------------------------------------
// The workloads

/// One row of the results table.
struct Row {
    keys: u64,
    workload: String,
    kvgit: Timing,
    floor_name: &'static str,
    floor: Timing,
}

/// Sizes measured at one key count. Growths are signed: redb can shrink its
/// file when the end of it becomes free.
struct Sizes {
    keys: u64,
    /// File size and allocated bytes of kvgit.redb after the bulk load.
    repo_after_load: (u64, u64),
    /// The same for the raw redb file.
    floor_after_load: (u64, u64),
    commits: usize,
    /// Growth of kvgit.redb over the timed one-key commits, in bytes.
    kvgit_file_growth: i64,
    /// Growth of redb's allocated pages in kvgit.redb over the same commits.
    kvgit_alloc_growth: i64,
    floor_file_growth: i64,
    floor_alloc_growth: i64,
}

fn file_size(path: &Path) -> Result<u64> {
    Ok(std::fs::metadata(path)
        .with_context(|| format!("cannot stat {}", path.display()))?
        .len())
}

/// Bytes in redb's allocated pages: the space the data really takes, without
/// the file's growth granularity. Opens the file writable, which is safe here
/// because no other process has it open between runs.
fn allocated_bytes(path: &Path) -> Result<u64> {
    let db = floor_builder()
        .open(path)
        .with_context(|| format!("cannot open {}", path.display()))?;
    let tx = db.begin_write()?;
    let stats = tx.stats()?;
    tx.abort()?;
    Ok(stats.allocated_pages() * stats.page_size() as u64)
}

/// File size and allocated bytes of a redb file.
fn space(path: &Path) -> Result<(u64, u64)> {
    Ok((file_size(path)?, allocated_bytes(path)?))
}

fn growth(before: (u64, u64), after: (u64, u64)) -> (i64, i64) {
    (
        after.0 as i64 - before.0 as i64,
        after.1 as i64 - before.1 as i64,
    )
}

/// A fresh repository at `repo` (made by an untimed `kvgit init`).
fn fresh_repo(kvgit: &Path, repo: &Path) -> Result<()> {
    if repo.exists() {
        std::fs::remove_dir_all(repo)?;
    }
    std::fs::create_dir_all(repo)?;
    kv(kvgit, repo, &[&"init"])?;
    Ok(())
}

/// Runs `kvgit ARGS` in `repo`, untimed, for setting up a workload; fails
/// unless it exits 0.
fn kv(kvgit: &Path, repo: &Path, args: &[&dyn AsRef<std::ffi::OsStr>]) -> Result<Output> {
    Ok(Proc::new(kvgit, repo, args).run(None)?.1)
}

/// Runs `git ARGS` in `dir`, untimed, for setting up a workload.
fn git(dir: &Path, args: &[&str]) -> Result<Output> {
    Ok(Proc::git(dir, args).run(None)?.1)
}

/// Writes a batch file of `set` lines giving each of `keys` its value of
/// `version`.
fn write_batch(path: &Path, keys: impl IntoIterator<Item = u64>, version: u64) -> Result<()> {
    let mut text = String::new();
    for k in keys {
        let _ = writeln!(text, "set {} {}", key(k), value(k, version));
    }
    std::fs::write(path, text)?;
    Ok(())
}

/// The 100 keys that `main` changes in the two-branch workloads: the first of
/// every N/100, spread over the whole key space.
fn main_keys(n: u64) -> impl Iterator<Item = u64> {
    let step = n / 100;
    (0..100).map(move |i| i * step)
}

/// The 100 keys the other branch changes: the middle of every N/100, so the
/// two sides never touch the same key and the merge has no conflict.
fn branch_keys(n: u64) -> impl Iterator<Item = u64> {
    let step = n / 100;
    (0..100).map(move |i| i * step + step / 2)
}

/// Prepares real merge run `i` in `repo`, untimed: main back to the tag
/// `base`, a new branch `mI` from there, and one `batch` of 100 new values on
/// each side. Returns the branch's name.
fn prepare_kvgit_merge(kvgit: &Path, repo: &Path, dir: &Path, n: u64, i: usize) -> Result<String> {
    let branch = format!("m{i}");
    let file = dir.join("merge.batch");
    kv(kvgit, repo, &[&"reset", &"--hard", &"base"])?;
    kv(kvgit, repo, &[&"branch", &branch, &"base"])?;
    write_batch(&file, main_keys(n), 3000 + i as u64)?;
    kv(kvgit, repo, &[&"batch", &"--file", &file])?;
    write_batch(&file, branch_keys(n), 4000 + i as u64)?;
    kv(
        kvgit,
        repo,
        &[&"batch", &"--branch", &branch, &"--file", &file],
    )?;
    Ok(branch)
}

/// Number of lines in a process's output.
fn line_count(out: &[u8]) -> usize {
    out.iter().filter(|&&b| b == b'\n').count()
}

/// The prefix `ls` lists: keys user/00001000 to user/00001999.
const LS_PREFIX: &str = "user/00001";

/// Labels of the rows whose growth from the smallest to the largest key count
/// the report shows (SPEC: diff and merge flat within 2x from 10k to 1M).
const LS_ROW: &str = "`ls user/00001` (1000 keys)";
const DIFF_ROW: &str = "`diff main b --stat` (100 keys changed on each branch)";
const DRY_MERGE_ROW: &str = "`merge b --dry-run` (100 keys changed on each branch)";
const MERGE_ROW: &str = "`merge mI` (real; 100 keys changed on each branch)";
const FLAT_ROWS: [&str; 4] = [LS_ROW, DIFF_ROW, DRY_MERGE_ROW, MERGE_ROW];

/// Runs every workload at `n` keys in `dir`; appends to `rows`.
fn bench_keys(
    bench: &Bench,
    kvgit: &Path,
    n: u64,
    dir: &Path,
    rows: &mut Vec<Row>,
) -> Result<Sizes> {
    let me = std::env::current_exe()?;
    let repo = dir.join("repo");
    let db = repo.join(".kvgit").join("kvgit.redb");
    let floor_db = dir.join("floor.redb");
    let progress = |what: &str| eprintln!("[{n} keys] {what}");

    // The input files: N `set` lines for `batch`, N JSON lines for `import`
    // (written once, untimed).
    let batch_file = dir.join("load.batch");
    let jsonl_file = dir.join("load.jsonl");
    {
        let mut batch = BufWriter::new(std::fs::File::create(&batch_file)?);
        let mut jsonl = BufWriter::new(std::fs::File::create(&jsonl_file)?);
        for i in 0..n {
            let (k, v) = (key(i), value(i, 0));
            writeln!(batch, "set {k} {v}")?;
            writeln!(jsonl, r#"{{"key":"{k}","type":"string","value":"{v}"}}"#)?;
        }
        batch.flush()?;
        jsonl.flush()?;
    }
    let n_text = n.to_string();
    // The floor: a redb insert of the same pairs into a fresh file.
    let floor_load = || {
        Side::new(|_| {
            if floor_db.exists() {
                std::fs::remove_file(&floor_db)?;
            }
            Ok(Proc::new(&me, dir, &[&"floor-load", &floor_db, &n_text]))
        })
    };

    // 1a. Bulk load with `import` of JSON Lines, into a scratch repository.
    progress("bulk load: import");
    let import_repo = dir.join("import-repo");
    let (import, floor) = bench.compare(
        Side::new(|_| {
            fresh_repo(kvgit, &import_repo)?;
            Ok(Proc::new(
                kvgit,
                &import_repo,
                &[&"import", &jsonl_file, &"-m", &"load"],
            ))
        }),
        floor_load(),
    )?;
    std::fs::remove_dir_all(&import_repo)?;
    std::fs::remove_file(&jsonl_file)?;
    rows.push(Row {
        keys: n,
        workload: format!("bulk load: `import` of {n} JSON lines"),
        kvgit: import,
        floor_name: "redb insert, 1 txn",
        floor,
    });

    // 1b. Bulk load with `batch`; this repository is the one the later
    // workloads use.
    progress("bulk load: batch");
    let (load, floor) = bench.compare(
        Side::new(|_| {
            fresh_repo(kvgit, &repo)?;
            Ok(Proc::new(
                kvgit,
                &repo,
                &[&"batch", &"--file", &batch_file, &"-m", &"load"],
            ))
        }),
        floor_load(),
    )?;
    std::fs::remove_file(&batch_file)?;
    let repo_after_load = space(&db)?;
    let floor_after_load = space(&floor_db)?;
    rows.push(Row {
        keys: n,
        workload: format!("bulk load: `batch --file` of {n} sets"),
        kvgit: load,
        floor_name: "redb insert, 1 txn",
        floor,
    });

    // 2. Get one key, checking the value printed.
    progress("get");
    let get_key = key(12345 % n);
    let expected = format!("{}\n", value(12345 % n, 0));
    let expect_value = |_: usize, out: &Output| prints(out, &expected, &get_key);
    let (get, floor_get) = bench.compare(
        Side::new(|_| Ok(Proc::new(kvgit, &repo, &[&"get", &get_key]))).checked(expect_value),
        Side::new(|_| Ok(Proc::new(&me, dir, &[&"floor-get", &floor_db, &get_key])))
            .checked(expect_value),
    )?;
    rows.push(Row {
        keys: n,
        workload: format!("`get {get_key}`"),
        kvgit: get,
        floor_name: "redb read-only open + get",
        floor: floor_get,
    });

    // 3. One-key commit, a new value each run. Space is measured just before
    // the first timed run and after the last.
    progress("one-key commit");
    let commit_key = key(42 % n);
    let commit_file = dir.join("one.batch");
    let mut kvgit_before = (0, 0);
    let mut floor_before = (0, 0);
    let (commit, floor_commit) = bench.compare(
        Side::new(|i| {
            if i == 1 {
                kvgit_before = space(&db)?;
            }
            let line = format!("set {commit_key} {}\n", value(42 % n, i as u64 + 1));
            std::fs::write(&commit_file, line)?;
            let message = format!("commit {i}");
            Ok(Proc::new(
                kvgit,
                &repo,
                &[&"batch", &"--file", &commit_file, &"-m", &message],
            ))
        }),
        Side::new(|i| {
            if i == 1 {
                floor_before = space(&floor_db)?;
            }
            let v = value(42 % n, i as u64 + 1);
            Ok(Proc::new(
                &me,
                dir,
                &[&"floor-put", &floor_db, &commit_key, &v],
            ))
        }),
    )?;
    let (kvgit_file_growth, kvgit_alloc_growth) = growth(kvgit_before, space(&db)?);
    let (floor_file_growth, floor_alloc_growth) = growth(floor_before, space(&floor_db)?);
    rows.push(Row {
        keys: n,
        workload: format!("one-key commit: `batch` of `set {commit_key}`"),
        kvgit: commit,
        floor_name: "redb writable open + insert + commit",
        floor: floor_commit,
    });

    // 4. History, diff and bare start-up, against an empty process.
    progress("log, diff, --version");
    let noop = || Side::new(|_| Ok(Proc::new(&me, dir, &[&"noop"])));
    // The load, the warm-up commit and the timed commits.
    let commits = bench.runs + 2;
    let (log, floor) = bench.compare(
        Side::new(|_| Ok(Proc::new(kvgit, &repo, &[&"log", &"--oneline"]))).checked(|_, out| {
            let lines = line_count(&out.stdout);
            ensure!(lines == commits, "log --oneline printed {lines} lines");
            Ok(())
        }),
        noop(),
    )?;
    rows.push(Row {
        keys: n,
        workload: format!("`log --oneline` ({commits} commits)"),
        kvgit: log,
        floor_name: "empty process",
        floor,
    });
    let (diff, floor) = bench.compare(
        Side::new(|_| Ok(Proc::new(kvgit, &repo, &[&"diff", &"HEAD~1", &"HEAD"]))).checked(
            |_, out| {
                ensure!(
                    out.stdout.starts_with(b"~ user/"),
                    "diff printed {:?}",
                    String::from_utf8_lossy(&out.stdout)
                );
                Ok(())
            },
        ),
        noop(),
    )?;
    rows.push(Row {
        keys: n,
        workload: "`diff HEAD~1 HEAD` (1 key changed)".into(),
        kvgit: diff,
        floor_name: "empty process",
        floor,
    });
    let (version, floor) = bench.compare(
        Side::new(|_| Ok(Proc::new(kvgit, &repo, &[&"--version"]))),
        noop(),
    )?;
    rows.push(Row {
        keys: n,
        workload: "`--version` (kvgit start-up)".into(),
        kvgit: version,
        floor_name: "empty process",
        floor,
    });

    // 5. `ls` of a 1,000-key prefix, against a raw redb range scan of the
    // same keys; both must print the same 1,000 lines.
    progress("ls");
    let expect_listing = |_: usize, out: &Output| {
        ensure!(
            line_count(&out.stdout) == 1000 && out.stdout.starts_with(b"user/00001000\n"),
            "ls {LS_PREFIX} printed {} lines",
            line_count(&out.stdout)
        );
        Ok(())
    };
    let (ls, floor) = bench.compare(
        Side::new(|_| Ok(Proc::new(kvgit, &repo, &[&"ls", &LS_PREFIX]))).checked(expect_listing),
        Side::new(|_| {
            Ok(Proc::new(
                &me,
                dir,
                &[&"floor-range", &floor_db, &LS_PREFIX],
            ))
        })
        .checked(expect_listing),
    )?;
    rows.push(Row {
        keys: n,
        workload: LS_ROW.into(),
        kvgit: ls,
        floor_name: "redb read-only open + range scan",
        floor,
    });

    // 6. Two branches with 100 keys changed on each, made untimed: branch `b`
    // from here (tagged `base`), one `batch` of 100 keys on main and one
    // `batch --branch b` of 100 other keys.
    progress("diff and merge of two branches");
    let ours = dir.join("ours.batch");
    let theirs = dir.join("theirs.batch");
    kv(kvgit, &repo, &[&"tag", &"base"])?;
    kv(kvgit, &repo, &[&"branch", &"b"])?;
    write_batch(&ours, main_keys(n), 1000)?;
    kv(
        kvgit,
        &repo,
        &[&"batch", &"--file", &ours, &"-m", &"100 keys on main"],
    )?;
    write_batch(&theirs, branch_keys(n), 2000)?;
    kv(
        kvgit,
        &repo,
        &[
            &"batch",
            &"--branch",
            &"b",
            &"--file",
            &theirs,
            &"-m",
            &"100 keys on b",
        ],
    )?;
    let (diff, floor) = bench.compare(
        Side::new(|_| {
            Ok(Proc::new(
                kvgit,
                &repo,
                &[&"diff", &"main", &"b", &"--stat"],
            ))
        })
        .checked(|_, out| {
            let text = String::from_utf8_lossy(&out.stdout);
            ensure!(
                text.contains("200 keys changed: 0 added, 200 modified, 0 removed"),
                "diff --stat printed {text:?}"
            );
            Ok(())
        }),
        noop(),
    )?;
    rows.push(Row {
        keys: n,
        workload: DIFF_ROW.into(),
        kvgit: diff,
        floor_name: "empty process",
        floor,
    });
    let (dry_merge, floor) = bench.compare(
        Side::new(|_| Ok(Proc::new(kvgit, &repo, &[&"merge", &"b", &"--dry-run"]))).checked(
            |_, out| {
                let text = String::from_utf8_lossy(&out.stdout);
                ensure!(
                    text.contains("100 key(s) touched, 0 conflict(s)"),
                    "merge --dry-run printed {text:?}"
                );
                Ok(())
            },
        ),
        noop(),
    )?;
    rows.push(Row {
        keys: n,
        workload: DRY_MERGE_ROW.into(),
        kvgit: dry_merge,
        floor_name: "empty process",
        floor,
    });
    // One real `merge b`, timed once (it cannot repeat as it is), then `get`
    // checks that a key changed on `b` arrived on main.
    let probe_key = branch_keys(n).nth(37).unwrap_or_default();
    settle();
    let (first_merge, _) =
        Proc::new(kvgit, &repo, &[&"merge", &"b", &"-m", &"merge b"]).run(None)?;
    let got = kv(kvgit, &repo, &[&"get", &key(probe_key)])?.stdout;
    ensure!(
        got == format!("{}\n", value(probe_key, 2000)).as_bytes(),
        "after merge b, get {} printed {:?}",
        key(probe_key),
        String::from_utf8_lossy(&got)
    );
    // Repeated real merges, for a median: before each run (and
    // untimed) main goes back to `base` with `reset --hard`, and a new branch
    // `mI` and 100 new values on each side are committed, so every run merges
    // objects it has never seen. After each run, `get` checks that a key
    // changed on the branch arrived on main.
    let (merge, floor) = bench.compare(
        Side::new(|i| {
            let branch = prepare_kvgit_merge(kvgit, &repo, dir, n, i)?;
            Ok(Proc::new(
                kvgit,
                &repo,
                &[&"merge", &branch, &"-m", &"merge"],
            ))
        })
        .checked(|i, _| {
            let got = kv(kvgit, &repo, &[&"get", &key(probe_key)])?.stdout;
            let want = format!("{}\n", value(probe_key, 4000 + i as u64));
            ensure!(
                got == want.as_bytes(),
                "after merge m{i}, get {} printed {:?}",
                key(probe_key),
                String::from_utf8_lossy(&got)
            );
            Ok(())
        }),
        noop(),
    )?;
    rows.push(Row {
        keys: n,
        workload: "`merge b` (real, the first merge of `b`: 1 run, no warm-up)".into(),
        kvgit: Timing {
            times: vec![first_merge],
            peak_kib: None,
        },
        floor_name: "empty process",
        floor: floor.clone(),
    });
    rows.push(Row {
        keys: n,
        workload: MERGE_ROW.into(),
        kvgit: merge,
        floor_name: "empty process",
        floor,
    });

    Ok(Sizes {
        keys: n,
        repo_after_load,
        floor_after_load,
        commits: bench.runs,
        kvgit_file_growth,
        kvgit_alloc_growth,
        floor_file_growth,
        floor_alloc_growth,
    })
}

// ---------------------------------------------------------------------------
// History: `log` of many commits, and `gc`

/// Commits in the `log` repository, as SPEC section 7 asks.
const LOG_COMMITS: usize = 10_000;
/// Commits made first, to estimate how long LOG_COMMITS would take.
const LOG_PROBE_COMMITS: usize = 200;
/// Longest the making of LOG_COMMITS may take, by that estimate...
const LOG_BUDGET: Duration = Duration::from_secs(60);
/// ... else the history has this many commits.
const LOG_FALLBACK_COMMITS: usize = 2_000;
/// Keys in the `log` repository; commit `c` changes key `c mod LOG_KEYS`.
const LOG_KEYS: u64 = 100;

/// How the `log` repository was made.
struct LogHistory {
    commits: usize,
    /// Mean wall time of one `kvgit batch` commit in the probe.
    per_commit: Duration,
    /// Wall time of making all the commits.
    build: Duration,
}

/// `log --oneline` of a long history, in a repository of its own. There is no
/// faster way to make 10,000 commits than 10,000 `kvgit batch` processes, so
/// the first LOG_PROBE_COMMITS of them time the rate; if 10,000 would take
/// longer than LOG_BUDGET the history stops at LOG_FALLBACK_COMMITS (and the
/// report says so). `--log-commits` sets the number instead.
fn bench_log(
    bench: &Bench,
    kvgit: &Path,
    forced: Option<usize>,
    dir: &Path,
    rows: &mut Vec<Row>,
) -> Result<LogHistory> {
    let me = std::env::current_exe()?;
    let repo = dir.join("log-repo");
    let file = dir.join("log.batch");
    fresh_repo(kvgit, &repo)?;
    let commit = |c: usize| -> Result<()> {
        let k = c as u64 % LOG_KEYS;
        std::fs::write(&file, format!("set {} {}\n", key(k), value(k, c as u64)))?;
        let message = format!("commit {c}");
        kv(kvgit, &repo, &[&"batch", &"--file", &file, &"-m", &message])?;
        Ok(())
    };
    let start = Instant::now();
    let probe = forced.unwrap_or(LOG_COMMITS).min(LOG_PROBE_COMMITS);
    for c in 0..probe {
        commit(c)?;
    }
    let per_commit = start.elapsed() / probe as u32;
    let commits = forced.unwrap_or(if per_commit * LOG_COMMITS as u32 <= LOG_BUDGET {
        LOG_COMMITS
    } else {
        LOG_FALLBACK_COMMITS
    });
    eprintln!(
        "[log] {probe} commits took {} each; making {commits} in all",
        fmt_time(per_commit)
    );
    for c in probe..commits {
        commit(c)?;
    }
    let build = start.elapsed();

    let (log, floor) = bench.compare(
        Side::new(|_| Ok(Proc::new(kvgit, &repo, &[&"log", &"--oneline"]))).checked(|_, out| {
            let lines = line_count(&out.stdout);
            ensure!(lines == commits, "log --oneline printed {lines} lines");
            Ok(())
        }),
        Side::new(|_| Ok(Proc::new(&me, dir, &[&"noop"]))),
    )?;
    rows.push(Row {
        keys: LOG_KEYS,
        workload: format!("`log --oneline` ({commits} commits)"),
        kvgit: log,
        floor_name: "empty process",
        floor,
    });
    std::fs::remove_dir_all(&repo)?;
    Ok(LogHistory {
        commits,
        per_commit,
        build,
    })
}

/// Commits of history made before `gc`...
const GC_COMMITS: usize = 1_000;
/// ... each changing this many keys.
const GC_KEYS_PER_COMMIT: u64 = 10;

/// Object counts in `kvgit gc --json` (see docs/json.md).
#[derive(Deserialize, Clone, Copy, PartialEq, Debug)]
struct GcCounts {
    commits: u64,
    nodes: u64,
    blobs: u64,
    bytes: u64,
}

impl GcCounts {
    fn objects(&self) -> u64 {
        self.commits + self.nodes + self.blobs
    }
}

/// The parts of `kvgit gc --json` the report shows.
#[derive(Deserialize, Clone, Copy, PartialEq, Debug)]
struct GcReport {
    removed: GcCounts,
    reachable: GcCounts,
    file_size_before: u64,
    file_size_after: u64,
}

/// The results of the `gc` workload at one key count.
struct GcResult {
    keys: u64,
    gc: Timing,
    report: GcReport,
    /// Wall time of making the GC_COMMITS commits.
    build: Duration,
}

/// Copies directory `from` to `to`, recursively.
fn copy_dir(from: &Path, to: &Path) -> Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_dir(&entry.path(), &target)?;
        } else {
            std::fs::copy(entry.path(), &target)?;
        }
    }
    Ok(())
}

/// `gc` of a repository with GC_COMMITS commits of history, made once,
/// untimed: N keys loaded with one `batch`, then GC_COMMITS `batch` commits of
/// 10 keys each (spread over the key space), then `reset --hard HEAD~500` and
/// so half of that history unreachable. Each run copies that repository
/// (untimed) and runs `gc --prune-older-than now --expire-reflog now --json`
/// on the copy; every run must report the same counts.
fn bench_gc(bench: &Bench, kvgit: &Path, n: u64, dir: &Path) -> Result<GcResult> {
    let template = dir.join("gc-template");
    let copy = dir.join("gc-run");
    let file = dir.join("gc.batch");
    fresh_repo(kvgit, &template)?;
    write_batch(&file, 0..n, 0)?;
    kv(
        kvgit,
        &template,
        &[&"batch", &"--file", &file, &"-m", &"load"],
    )?;
    eprintln!("[gc, {n} keys] making {GC_COMMITS} commits");
    let start = Instant::now();
    for c in 0..GC_COMMITS as u64 {
        // 7919 is prime, so these keys are all different while c * 10 < N.
        let keys = (0..GC_KEYS_PER_COMMIT).map(|j| (c * GC_KEYS_PER_COMMIT + j) * 7919 % n);
        write_batch(&file, keys, c + 1)?;
        let message = format!("commit {c}");
        kv(
            kvgit,
            &template,
            &[&"batch", &"--file", &file, &"-m", &message],
        )?;
    }
    let build = start.elapsed();
    let back = format!("HEAD~{}", GC_COMMITS / 2);
    kv(kvgit, &template, &[&"reset", &"--hard", &back])?;

    eprintln!("[gc, {n} keys] gc");
    let mut report: Option<GcReport> = None;
    let gc_side = Side::new(|_| {
        if copy.exists() {
            std::fs::remove_dir_all(&copy)?;
        }
        copy_dir(&template, &copy)?;
        Ok(Proc::new(
            kvgit,
            &copy,
            &[
                &"gc",
                &"--prune-older-than",
                &"now",
                &"--expire-reflog",
                &"now",
                &"--json",
            ],
        ))
    })
    .checked(|_, out| {
        let this: GcReport = serde_json::from_slice(&out.stdout).context("gc --json")?;
        ensure!(
            this.removed.commits == (GC_COMMITS / 2) as u64,
            "gc removed {} commits, not {}",
            this.removed.commits,
            GC_COMMITS / 2
        );
        if let Some(first) = report {
            ensure!(first == this, "gc reported {this:?} after {first:?}");
        }
        report = Some(this);
        Ok(())
    });
    let gc = bench
        .measure(vec![gc_side])?
        .pop()
        .context("internal error: no gc timing")?;
    std::fs::remove_dir_all(&copy)?;
    std::fs::remove_dir_all(&template)?;
    Ok(GcResult {
        keys: n,
        gc,
        report: report.context("internal error: no gc report")?,
        build,
    })
}

// ---------------------------------------------------------------------------
// Git used as a key-value store (issue 5): one file per key

/// One row of the comparison with git.
struct GitRow {
    keys: u64,
    workload: &'static str,
    kvgit_cmd: &'static str,
    kvgit: Timing,
    git_cmd: &'static str,
    git: Timing,
}

/// Writes one file per key into the work tree `tree`: `user/00000042`
/// holding the value of `version` and a newline, as `kvgit get` prints it.
fn write_files(tree: &Path, keys: impl IntoIterator<Item = u64>, version: u64) -> Result<()> {
    std::fs::create_dir_all(tree.join("user"))?;
    for k in keys {
        std::fs::write(tree.join(key(k)), format!("{}\n", value(k, version)))?;
    }
    Ok(())
}

/// `git add PATHS && git commit -q -m MESSAGE` as one `sh -c` process, with
/// GIT_FLAGS on both.
fn git_commit(tree: &Path, paths: &str, message: &str) -> Proc {
    let flags = GIT_FLAGS.join(" ");
    Proc::sh(
        tree,
        &format!("git {flags} add {paths} && git {flags} commit -q -m '{message}'"),
    )
}

/// Prepares real merge run `i` in the git work tree, untimed, as
/// `prepare_kvgit_merge` does in kvgit: main back to the tag `base`, a new
/// branch `mI` from there, one commit of 100 new files' contents on each
/// side. Returns the branch's name.
fn prepare_git_merge(tree: &Path, n: u64, i: usize) -> Result<String> {
    let branch = format!("m{i}");
    git(tree, &["reset", "-q", "--hard", "base"])?;
    write_files(tree, main_keys(n), 3000 + i as u64)?;
    git_commit(tree, "-A", "100 keys on main").run(None)?;
    git(tree, &["checkout", "-q", "-b", &branch, "base"])?;
    write_files(tree, branch_keys(n), 4000 + i as u64)?;
    git_commit(tree, "-A", "100 keys on the branch").run(None)?;
    git(tree, &["checkout", "-q", "main"])?;
    Ok(branch)
}

/// The same workloads in kvgit and in git, at `n` keys, each pair timed
/// alternately in this run. Git's worktree holds one file per key; git runs
/// with a cleared environment and GIT_FLAGS, and with its defaults otherwise
/// (among them: loose objects and refs are not fsynced).
fn bench_git(
    bench: &Bench,
    kvgit: &Path,
    n: u64,
    dir: &Path,
    rows: &mut Vec<GitRow>,
) -> Result<()> {
    let repo = dir.join("kv");
    let tree = dir.join("git");
    let load = dir.join("load.batch");
    let progress = |what: &str| eprintln!("[git, {n} keys] {what}");
    write_batch(&load, 0..n, 0)?;
    write_files(&tree, 0..n, 0)?;

    // 1. Bulk load: N `set` lines into a fresh kvgit repository; N files added
    // and committed into a fresh `.git` (the files stay, as the batch file
    // does: writing either is untimed).
    progress("bulk load");
    let (kvgit_load, git_load) = bench.compare(
        Side::new(|_| {
            fresh_repo(kvgit, &repo)?;
            Ok(Proc::new(
                kvgit,
                &repo,
                &[&"batch", &"--file", &load, &"-m", &"load"],
            ))
        }),
        Side::new(|_| {
            let dot_git = tree.join(".git");
            if dot_git.exists() {
                std::fs::remove_dir_all(&dot_git)?;
            }
            git(&tree, &["init", "-q", "-b", "main"])?;
            Ok(git_commit(&tree, "-A", "load"))
        }),
    )?;
    rows.push(GitRow {
        keys: n,
        workload: "bulk load into a fresh repository",
        kvgit_cmd: "`batch --file F` (N `set` lines)",
        kvgit: kvgit_load,
        git_cmd: "`git add -A && git commit` (N files)",
        git: git_load,
    });

    // 2. Get one key.
    progress("get");
    let get_key = key(12345 % n);
    let git_path = format!("HEAD:{get_key}");
    let expected = format!("{}\n", value(12345 % n, 0));
    let expect_value = |_: usize, out: &Output| prints(out, &expected, &get_key);
    let (kvgit_get, git_get) = bench.compare(
        Side::new(|_| Ok(Proc::new(kvgit, &repo, &[&"get", &get_key]))).checked(expect_value),
        Side::new(|_| Ok(Proc::git(&tree, &["cat-file", "-p", &git_path]))).checked(expect_value),
    )?;
    rows.push(GitRow {
        keys: n,
        workload: "get one key",
        kvgit_cmd: "`get KEY`",
        kvgit: kvgit_get,
        git_cmd: "`git cat-file -p HEAD:KEY`",
        git: git_get,
    });

    // 3. One-key commit: a new value of user/00000042 each run, written
    // untimed (to the batch file, or to the key's file).
    progress("one-key commit");
    let one = dir.join("one.batch");
    let (kvgit_commit, git_commit_timing) = bench.compare(
        Side::new(|i| {
            write_batch(&one, [42], i as u64 + 1)?;
            let message = format!("commit {i}");
            Ok(Proc::new(
                kvgit,
                &repo,
                &[&"batch", &"--file", &one, &"-m", &message],
            ))
        }),
        Side::new(|i| {
            write_files(&tree, [42], i as u64 + 1)?;
            Ok(git_commit(&tree, &key(42), &format!("commit {i}")))
        }),
    )?;
    rows.push(GitRow {
        keys: n,
        workload: "one-key commit",
        kvgit_cmd: "`batch --file F` (1 `set`)",
        kvgit: kvgit_commit,
        git_cmd: "`git add FILE && git commit`",
        git: git_commit_timing,
    });

    // 4. Diff of two branches with 100 keys changed on each, made untimed as
    // in `bench_keys` (tag `base`, branch `b`, one commit on each side).
    progress("diff of two branches");
    let ours = dir.join("ours.batch");
    let theirs = dir.join("theirs.batch");
    kv(kvgit, &repo, &[&"tag", &"base"])?;
    kv(kvgit, &repo, &[&"branch", &"b"])?;
    write_batch(&ours, main_keys(n), 1000)?;
    kv(kvgit, &repo, &[&"batch", &"--file", &ours])?;
    write_batch(&theirs, branch_keys(n), 2000)?;
    kv(
        kvgit,
        &repo,
        &[&"batch", &"--branch", &"b", &"--file", &theirs],
    )?;
    git(&tree, &["tag", "base"])?;
    git(&tree, &["branch", "b"])?;
    write_files(&tree, main_keys(n), 1000)?;
    git_commit(&tree, "-A", "100 keys on main").run(None)?;
    git(&tree, &["checkout", "-q", "b"])?;
    write_files(&tree, branch_keys(n), 2000)?;
    git_commit(&tree, "-A", "100 keys on b").run(None)?;
    git(&tree, &["checkout", "-q", "main"])?;
    let (kvgit_diff, git_diff) = bench.compare(
        Side::new(|_| {
            Ok(Proc::new(
                kvgit,
                &repo,
                &[&"diff", &"main", &"b", &"--stat"],
            ))
        })
        .checked(|_, out| {
            let text = String::from_utf8_lossy(&out.stdout);
            ensure!(text.contains("200 keys changed"), "diff printed {text:?}");
            Ok(())
        }),
        Side::new(|_| Ok(Proc::git(&tree, &["diff", "--stat", "main", "b"]))).checked(|_, out| {
            let text = String::from_utf8_lossy(&out.stdout);
            ensure!(
                text.contains(" 200 files changed"),
                "git diff printed {text:?}"
            );
            Ok(())
        }),
    )?;
    rows.push(GitRow {
        keys: n,
        workload: "diff of two branches, 100 keys changed on each",
        kvgit_cmd: "`diff main b --stat`",
        kvgit: kvgit_diff,
        git_cmd: "`git diff --stat main b`",
        git: git_diff,
    });

    // 5. A real merge of a fresh branch each run (see `prepare_kvgit_merge`
    // and `prepare_git_merge`), checked by reading a key the branch changed.
    progress("merge");
    let probe_key = branch_keys(n).nth(37).unwrap_or_default();
    let (kvgit_merge, git_merge) = bench.compare(
        Side::new(|i| {
            let branch = prepare_kvgit_merge(kvgit, &repo, dir, n, i)?;
            Ok(Proc::new(
                kvgit,
                &repo,
                &[&"merge", &branch, &"-m", &"merge"],
            ))
        })
        .checked(|i, _| {
            let got = kv(kvgit, &repo, &[&"get", &key(probe_key)])?.stdout;
            ensure!(got == format!("{}\n", value(probe_key, 4000 + i as u64)).as_bytes());
            Ok(())
        }),
        Side::new(|i| {
            let branch = prepare_git_merge(&tree, n, i)?;
            Ok(Proc::git(&tree, &["merge", "-q", "--no-edit", &branch]))
        })
        .checked(|i, _| {
            let path = format!("HEAD:{}", key(probe_key));
            let got = git(&tree, &["cat-file", "-p", &path])?.stdout;
            ensure!(got == format!("{}\n", value(probe_key, 4000 + i as u64)).as_bytes());
            Ok(())
        }),
    )?;
    rows.push(GitRow {
        keys: n,
        workload: "merge of two branches, 100 keys changed on each",
        kvgit_cmd: "`merge mI`",
        kvgit: kvgit_merge,
        git_cmd: "`git merge --no-edit mI`",
        git: git_merge,
    });
    Ok(())
}

// ---------------------------------------------------------------------------
// The driver and the report

/// A directory removed when dropped, also on error.
struct Scratch(PathBuf);

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn run_benchmarks(opts: &Options) -> Result<()> {
    let stamp = jiff::Timestamp::now().as_millisecond();
    let scratch =
        Scratch(std::env::temp_dir().join(format!("kvgit-bench-{}-{stamp}", std::process::id())));
    std::fs::create_dir_all(&scratch.0)?;
    // Keep the user's kvgit config out of the measurement (see `Proc::command`).
    let xdg = scratch.0.join("xdg");
    std::fs::create_dir_all(&xdg)?;
    CHILD_CONFIG_HOME
        .set(xdg)
        .expect("run_benchmarks runs once per process");

    let bench = Bench {
        scratch: scratch.0.clone(),
        runs: opts.runs,
        time: find_gnu_time(&scratch.0),
    };
    eprintln!(
        "kvgit: {}\nscratch: {}\npeak memory: {}",
        opts.kvgit.display(),
        scratch.0.display(),
        if bench.time.is_some() {
            "via /usr/bin/time"
        } else {
            "not measured (no GNU /usr/bin/time)"
        }
    );

    let load_before = load_average();
    let start = Instant::now();
    let mut results = Results {
        runs: opts.runs,
        mem: bench.time.is_some(),
        rows: Vec::new(),
        sizes: Vec::new(),
        log_rows: Vec::new(),
        log: None,
        gc: Vec::new(),
        git_rows: Vec::new(),
    };
    for &n in &opts.keys {
        let dir = scratch.0.join(format!("n{n}"));
        std::fs::create_dir_all(&dir)?;
        let sizes = bench_keys(&bench, &opts.kvgit, n, &dir, &mut results.rows)?;
        results.sizes.push(sizes);
        std::fs::remove_dir_all(&dir)?;
    }
    let log = bench_log(
        &bench,
        &opts.kvgit,
        opts.log_commits,
        &scratch.0,
        &mut results.log_rows,
    )?;
    results.log = Some(log);
    for &n in &opts.gc_keys {
        let dir = scratch.0.join(format!("gc{n}"));
        std::fs::create_dir_all(&dir)?;
        results.gc.push(bench_gc(&bench, &opts.kvgit, n, &dir)?);
        std::fs::remove_dir_all(&dir)?;
    }
    for &n in &opts.git_keys {
        let dir = scratch.0.join(format!("git{n}"));
        std::fs::create_dir_all(&dir)?;
        bench_git(&bench, &opts.kvgit, n, &dir, &mut results.git_rows)?;
        std::fs::remove_dir_all(&dir)?;
    }

    println!("{}", machine());
    println!(
        "Load average (1 min) before / after: {load_before} / {}. Whole run: {:.0} s.\n",
        load_average(),
        start.elapsed().as_secs_f64()
    );
    print!("{}", report(&results));
    Ok(())
}

/// Everything the report shows.
struct Results {
    runs: usize,
    /// Whether peak memory was measured.
    mem: bool,
    rows: Vec<Row>,
    sizes: Vec<Sizes>,
    log_rows: Vec<Row>,
    log: Option<LogHistory>,
    gc: Vec<GcResult>,
    git_rows: Vec<GitRow>,
}

/// CPUs, CPU model and kernel, from /proc where available.
fn machine() -> String {
    let cpus = std::thread::available_parallelism().map_or(0, |n| n.get());
    let model = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|info| {
            info.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split_once(':'))
                .map(|(_, m)| m.trim().to_string())
        })
        .unwrap_or_else(|| "unknown CPU".into());
    let kernel = std::fs::read_to_string("/proc/sys/kernel/osrelease")
        .map_or_else(|_| "unknown".into(), |k| k.trim().to_string());
    format!("Machine: {cpus} CPUs, {model}, kernel {kernel}.")
}

/// The 1-minute load average, to show how busy the machine was.
fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|l| l.split_whitespace().next().map(str::to_string))
        .unwrap_or_else(|| "?".into())
}

fn fmt_time(d: Duration) -> String {
    let ms = d.as_secs_f64() * 1000.0;
    if ms < 10.0 {
        format!("{ms:.2} ms")
    } else if ms < 10_000.0 {
        format!("{ms:.1} ms")
    } else {
        format!("{:.2} s", ms / 1000.0)
    }
}

fn fmt_bytes(b: i64) -> String {
    let x = b as f64;
    if b.abs() < 1024 {
        format!("{b} B")
    } else if b.abs() < 1024 * 1024 {
        format!("{:.1} KiB", x / 1024.0)
    } else {
        format!("{:.1} MiB", x / 1024.0 / 1024.0)
    }
}

fn fmt_kib(k: Option<u64>) -> String {
    k.map_or_else(|| "-".into(), |k| fmt_bytes(k as i64 * 1024))
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// A table of kvgit-against-floor rows.
fn timing_table(s: &mut String, rows: &[Row], mem: bool) {
    let mem_head = if mem {
        " kvgit peak RSS | floor peak RSS |"
    } else {
        ""
    };
    let _ = writeln!(
        s,
        "| keys | workload | kvgit median | kvgit min | floor | floor median | ratio |{mem_head}"
    );
    let _ = writeln!(
        s,
        "|---:|---|---:|---:|---|---:|---:|{}",
        if mem { "---:|---:|" } else { "" }
    );
    for r in rows {
        let ratio = ms(r.kvgit.median()) / ms(r.floor.median());
        let _ = write!(
            s,
            "| {} | {} | {} | {} | {} | {} | {ratio:.2}x |",
            r.keys,
            r.workload,
            fmt_time(r.kvgit.median()),
            fmt_time(r.kvgit.min()),
            r.floor_name,
            fmt_time(r.floor.median()),
        );
        if mem {
            let _ = write!(
                s,
                " {} | {} |",
                fmt_kib(r.kvgit.peak_kib),
                fmt_kib(r.floor.peak_kib)
            );
        }
        s.push('\n');
    }
}

/// The markdown tables: timings, growth with N, sizes, log, gc, git.
fn report(results: &Results) -> String {
    let Results {
        runs, mem, rows, ..
    } = results;
    let (runs, mem) = (*runs, *mem);
    let mut s = String::new();
    let _ = writeln!(
        s,
        "Whole processes. Median and min over {runs} timed runs after 1 warm-up, kvgit and \
         floor runs alternating, each after an untimed `sync`; ratio = kvgit median / floor \
         median.{}\n",
        if mem {
            " Peak RSS is from the warm-up run (`/usr/bin/time -f %M`)."
        } else {
            ""
        }
    );
    timing_table(&mut s, rows, mem);

    // How the new per-N rows grow from the smallest to the largest N.
    let lo = rows.iter().map(|r| r.keys).min();
    let hi = rows.iter().map(|r| r.keys).max();
    if let (Some(lo), Some(hi)) = (lo, hi)
        && lo < hi
    {
        let _ = writeln!(
            s,
            "\nGrowth with the number of keys (SPEC: `diff` and `merge` flat within 2x from 10k \
             to 1M keys): kvgit medians at the smallest and largest key count.\n"
        );
        let _ = writeln!(
            s,
            "| workload | median at {lo} keys | median at {hi} keys | {hi} / {lo} |"
        );
        let _ = writeln!(s, "|---|---:|---:|---:|");
        for label in FLAT_ROWS {
            let at = |n: u64| rows.iter().find(|r| r.keys == n && r.workload == label);
            if let (Some(a), Some(b)) = (at(lo), at(hi)) {
                let _ = writeln!(
                    s,
                    "| {label} | {} | {} | {:.2}x |",
                    fmt_time(a.kvgit.median()),
                    fmt_time(b.kvgit.median()),
                    ms(b.kvgit.median()) / ms(a.kvgit.median())
                );
            }
        }
    }

    let _ = writeln!(
        s,
        "\nSpace, as redb's allocated 4 KiB pages and as file size (redb grows its file in \
         large steps and trims free space at its end, so file sizes are coarse): after the \
         bulk load, and added by one one-key commit (mean over the {runs} timed commits).\n"
    );
    let _ = writeln!(
        s,
        "| keys | kvgit after load: allocated / file | raw redb after load: allocated / file | kvgit per commit: allocated / file | raw redb per commit: allocated / file |"
    );
    let _ = writeln!(s, "|---:|---:|---:|---:|---:|");
    for z in &results.sizes {
        let both = |(file, alloc): (u64, u64)| {
            format!("{} / {}", fmt_bytes(alloc as i64), fmt_bytes(file as i64))
        };
        let per = |alloc: i64, file: i64| {
            let c = z.commits as i64;
            format!("{} / {}", fmt_bytes(alloc / c), fmt_bytes(file / c))
        };
        let _ = writeln!(
            s,
            "| {} | {} | {} | {} | {} |",
            z.keys,
            both(z.repo_after_load),
            both(z.floor_after_load),
            per(z.kvgit_alloc_growth, z.kvgit_file_growth),
            per(z.floor_alloc_growth, z.floor_file_growth),
        );
    }

    if let Some(log) = &results.log {
        let _ = writeln!(
            s,
            "\n`log --oneline` of a long history, in a repository of {LOG_KEYS} keys where \
             commit c sets key c mod {LOG_KEYS} (one `kvgit batch` process per commit: {} \
             commits took {:.1} s, {} each).\n",
            log.commits,
            log.build.as_secs_f64(),
            fmt_time(log.per_commit)
        );
        timing_table(&mut s, &results.log_rows, mem);
        if log.commits < LOG_COMMITS {
            for r in &results.log_rows {
                let scaled = r
                    .kvgit
                    .median()
                    .mul_f64(LOG_COMMITS as f64 / log.commits as f64);
                let _ = writeln!(
                    s,
                    "\nOnly {} commits, since 10,000 would have taken {:.0} s to make here. \
                     Scaled linearly to {LOG_COMMITS} commits (start-up included, so this \
                     overstates): {}.",
                    log.commits,
                    (log.per_commit * LOG_COMMITS as u32).as_secs_f64(),
                    fmt_time(scaled)
                );
            }
        }
    }

    if !results.gc.is_empty() {
        let _ = writeln!(
            s,
            "\n`gc --prune-older-than now --expire-reflog now` after N keys loaded, \
             {GC_COMMITS} commits of {GC_KEYS_PER_COMMIT} keys each and `reset --hard \
             HEAD~{}`; each run on a fresh copy of that repository. Median and min over {runs} \
             runs; counts from `gc --json`; per object = median / (reachable + removed \
             objects); commits x keys for contrast.\n",
            GC_COMMITS / 2
        );
        let _ = writeln!(
            s,
            "| keys | gc median | gc min | removed: commits / nodes / blobs | removed bytes | reachable objects | file before / after | per object | commits x keys | peak RSS |"
        );
        let _ = writeln!(s, "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        for g in &results.gc {
            let r = &g.report;
            let objects = r.removed.objects() + r.reachable.objects();
            let _ = writeln!(
                s,
                "| {} | {} | {} | {} / {} / {} | {} | {} | {} / {} | {:.2} µs | {} | {} |",
                g.keys,
                fmt_time(g.gc.median()),
                fmt_time(g.gc.min()),
                r.removed.commits,
                r.removed.nodes,
                r.removed.blobs,
                fmt_bytes(r.removed.bytes as i64),
                r.reachable.objects(),
                fmt_bytes(r.file_size_before as i64),
                fmt_bytes(r.file_size_after as i64),
                ms(g.gc.median()) * 1000.0 / objects as f64,
                (GC_COMMITS as u64 + 1) * g.keys,
                fmt_kib(g.gc.peak_kib),
            );
        }
        let builds: Vec<String> = results
            .gc
            .iter()
            .map(|g| format!("{:.1} s at {} keys", g.build.as_secs_f64(), g.keys))
            .collect();
        let _ = writeln!(
            s,
            "\nMaking the {GC_COMMITS} commits took {}.",
            builds.join(", ")
        );
    }

    if !results.git_rows.is_empty() {
        let _ = writeln!(
            s,
            "\nGit as a key-value store (one file per key, holding the value and a newline), \
             against kvgit on the same workload, the two alternating in every run. Git runs \
             with a cleared environment, `-c user.name=.. -c user.email=.. -c gc.auto=0 -c \
             maintenance.auto=false`, and its defaults otherwise (so it fsyncs neither loose \
             objects nor refs; kvgit fsyncs every commit). Two-command git workloads run as one \
             `sh -c` (about 1 ms of `sh` start-up). Merges: a fresh branch per run on both \
             sides. Ratio = git median / kvgit median; above 1 means kvgit is faster.\n"
        );
        let mem_head = if mem {
            " kvgit peak RSS | git peak RSS |"
        } else {
            ""
        };
        let _ = writeln!(
            s,
            "| keys | workload | kvgit | kvgit median | kvgit min | git | git median | git min | git / kvgit |{mem_head}"
        );
        let _ = writeln!(
            s,
            "|---:|---|---|---:|---:|---|---:|---:|---:|{}",
            if mem { "---:|---:|" } else { "" }
        );
        for r in &results.git_rows {
            let _ = write!(
                s,
                "| {} | {} | {} | {} | {} | {} | {} | {} | {:.2}x |",
                r.keys,
                r.workload,
                r.kvgit_cmd,
                fmt_time(r.kvgit.median()),
                fmt_time(r.kvgit.min()),
                r.git_cmd,
                fmt_time(r.git.median()),
                fmt_time(r.git.min()),
                ms(r.git.median()) / ms(r.kvgit.median())
            );
            if mem {
                let _ = write!(
                    s,
                    " {} | {} |",
                    fmt_kib(r.kvgit.peak_kib),
                    fmt_kib(r.git.peak_kib)
                );
            }
            s.push('\n');
        }
    }
    s
}

/// Checks that a `get` of `key` printed `expected`.
fn prints(out: &Output, expected: &str, key: &str) -> Result<()> {
    ensure!(
        out.stdout == expected.as_bytes(),
        "get {key} printed {:?}",
        String::from_utf8_lossy(&out.stdout)
    );
    Ok(())
}
