//! `kvgit-bench`: times whole `kvgit` processes against floors measured in the
//! same run, and prints a markdown table of medians and ratios.
//!
//! ```text
//! cargo build --release --bins
//! target/release/kvgit-bench --keys 10000,100000 --runs 5
//! ```
//!
//! It runs the `kvgit` binary that sits next to itself (so build both with
//! `--bins`). Every measurement is a whole process, timed from spawn to exit,
//! on both sides: the floors are modes of this same binary (`noop`,
//! `floor-load`, `floor-get`, `floor-put`) that do the minimum with raw redb,
//! so they pay process start-up too. Each measurement is one untimed warm-up
//! run (under `/usr/bin/time -f %M` when present, for peak memory) followed by
//! `--runs` timed runs, kvgit and floor alternating, each run preceded by an
//! untimed `sync`. See BENCHMARKS.md for results.
//!
//! Workloads, at N keys `user/%08d` with 100-byte string values:
//! 1. bulk load: `kvgit import F` of N JSON lines, and `kvgit batch --file F`
//!    of N `set` lines, each into a fresh repository, against one redb write
//!    transaction inserting the same pairs into a fresh file;
//! 2. `kvgit get KEY`, against a read-only redb open and one lookup;
//! 3. one-key commit: `kvgit batch` with one `set`, against a writable redb
//!    open, one insert and one commit; plus the bytes each commit adds;
//! 4. `kvgit log --oneline`, `kvgit diff HEAD~1 HEAD` and `kvgit --version`,
//!    against an empty process.

use anyhow::{Context, Result, bail, ensure};
use redb::{Builder, ConcurrencyMode, ReadableDatabase, TableDefinition};
use std::ffi::OsString;
use std::fmt::Write as _;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

const USAGE: &str = "\
usage: kvgit-bench [--keys N[,N...]] [--runs R] [--kvgit PATH]

  --keys   key counts to measure, e.g. 10000,100000 (default 100000)
  --runs   timed runs per measurement, after one warm-up (default 5)
  --kvgit  the kvgit binary (default: `kvgit` next to this program)

Build first with `cargo build --release --bins`. Internal modes used as floors:
  kvgit-bench noop | floor-load FILE N | floor-get FILE KEY | floor-put FILE KEY VALUE";

/// The table the floor programs use: key -> 100-byte value.
const FLOOR_TABLE: TableDefinition<&str, &[u8]> = TableDefinition::new("kv");

/// Length of every value, in bytes.
const VALUE_LEN: usize = 100;

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

// ---------------------------------------------------------------------------
// Options

struct Options {
    keys: Vec<u64>,
    runs: usize,
    kvgit: PathBuf,
}

impl Options {
    fn parse(words: &[&str]) -> Result<Options> {
        let here = std::env::current_exe().context("cannot find this program's path")?;
        let mut opts = Options {
            keys: vec![100_000],
            runs: 5,
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
                "--keys" => {
                    opts.keys = arg()?
                        .split(',')
                        .map(|n| n.trim().replace('_', "").parse())
                        .collect::<Result<_, _>>()
                        .context("--keys takes numbers like 10000,100000")?;
                }
                "--runs" => opts.runs = arg()?.parse().context("--runs takes a number")?,
                "--kvgit" => opts.kvgit = PathBuf::from(arg()?),
                other => bail!("unknown argument '{other}'\n{USAGE}"),
            }
        }
        ensure!(opts.runs >= 1, "--runs must be at least 1");
        ensure!(opts.keys.iter().all(|&n| n >= 1), "--keys must be positive");
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
}

impl Proc {
    fn new(program: &Path, cwd: &Path, args: &[&dyn AsRef<std::ffi::OsStr>]) -> Proc {
        Proc {
            program: program.to_path_buf(),
            args: args.iter().map(|a| a.as_ref().to_os_string()).collect(),
            cwd: cwd.to_path_buf(),
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
        let mut sides = [kvgit, floor];
        let mut peaks = [None, None];
        for (side, peak) in sides.iter_mut().zip(&mut peaks) {
            *peak = self.warm_up(side)?;
        }
        let mut times = [Vec::new(), Vec::new()];
        for i in 1..=self.runs {
            for (side, t) in sides.iter_mut().zip(&mut times) {
                let proc = (side.prepare)(i)?;
                settle();
                let (elapsed, out) = proc.run(None)?;
                (side.check)(i, &out)?;
                t.push(elapsed);
            }
        }
        let [mut kvgit_times, mut floor_times] = times;
        kvgit_times.sort();
        floor_times.sort();
        Ok((
            Timing {
                times: kvgit_times,
                peak_kib: peaks[0],
            },
            Timing {
                times: floor_times,
                peak_kib: peaks[1],
            },
        ))
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
    // A fresh repository at `repo` (made by an untimed `kvgit init`).
    let fresh_repo = |repo: &Path| -> Result<()> {
        if repo.exists() {
            std::fs::remove_dir_all(repo)?;
        }
        std::fs::create_dir_all(repo)?;
        Proc::new(kvgit, repo, &[&"init"]).run(None)?;
        Ok(())
    };

    // 1a. Bulk load with `import` of JSON Lines, into a scratch repository.
    progress("bulk load: import");
    let import_repo = dir.join("import-repo");
    let (import, floor) = bench.compare(
        Side::new(|_| {
            fresh_repo(&import_repo)?;
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
            fresh_repo(&repo)?;
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
    let expect_value = |_: usize, out: &Output| {
        ensure!(
            out.stdout == expected.as_bytes(),
            "get {get_key} printed {:?}",
            String::from_utf8_lossy(&out.stdout)
        );
        Ok(())
    };
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
            let lines = out.stdout.iter().filter(|&&b| b == b'\n').count();
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
    let mut rows = Vec::new();
    let mut sizes = Vec::new();
    for &n in &opts.keys {
        let dir = scratch.0.join(format!("n{n}"));
        std::fs::create_dir_all(&dir)?;
        sizes.push(bench_keys(&bench, &opts.kvgit, n, &dir, &mut rows)?);
        std::fs::remove_dir_all(&dir)?;
    }

    println!("{}", machine());
    println!(
        "Load average (1 min) before / after: {load_before} / {}\n",
        load_average()
    );
    print!("{}", report(opts.runs, &rows, &sizes, bench.time.is_some()));
    Ok(())
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

/// The two markdown tables: timings, then sizes.
fn report(runs: usize, rows: &[Row], sizes: &[Sizes], mem: bool) -> String {
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
        let ratio = r.kvgit.median().as_secs_f64() / r.floor.median().as_secs_f64();
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
    for z in sizes {
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
    s
}
