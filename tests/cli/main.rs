//! End-to-end tests of the `kvgit` binary: real processes in a cleared
//! environment, checking stdout, stderr and exit codes together (SPEC
//! sections 1, 2, 3 and 5). One test binary; each module covers one area.

// The harness: TestEnv (temp repository, pinned author and clock), Cmd, Output.
mod common;

// init, -C, KVGIT_DIR, --initial-branch, discovery, "not a repository" (exit 6).
mod init;
// config get/set/unset/list, --global, precedence, author from config, bad config files.
mod config;
// set (every type, shorthands, --type, --file, stdin, size limit, a 64 MiB value),
// get output rules, rm, incr.
mod values;
// Key rules (exit 2 per rule), ls (prefix, --at, -l, staged overlay), --ns / KVGIT_NS.
mod keys;
// status (+ --exit-code), commit flags, --expect-head (exit 4), the automatic
// merge of commit when the head moved (exit 3 on a conflict, success otherwise).
mod commit;
// batch: word lines, quotes, JSON lines, --file, parse errors by line, exit 4.
mod batch;
// Revisions (names, HEAD, id prefixes, ambiguity, ~N, ^, ^2), log, show, diff.
mod history;
// branch, switch, checkout (detached), tag, reset (keys, --hard, --soft), reflog.
mod refs;
// Global output behaviour: completions, --color / NO_COLOR / color.ui, -q,
// usage errors, the error line format and the --json error document.
mod output;
// Damaged or busy repositories: lock timeout (exit 5), missing database and
// unreadable format (exit 6), truncated database (exit 7, file untouched), exit 10.
mod failures;
// The table layout: format 1 repositories read as they are and upgraded by the
// first write; a node in the wrong table is damage.
mod layout;
// Many processes at once: concurrent batch increments and commits lose nothing.
mod concurrency;
