//! The command line: clap definitions (doc comments are the help text) and the
//! one `match` that dispatches to a file per command.

mod attr;
mod branch;
mod commit;
mod config_cmd;
mod context;
mod diff;
mod get;
mod init;
mod log;
mod maintenance;
mod merge;
mod output;
mod reflog;
mod reset;
mod resolve;
mod review;
mod set;
mod status;
mod transfer;
mod usage;

pub use context::Ctx;
pub use usage::UsageError;

use clap::{Args, CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};
use std::ffi::OsString;
use std::path::PathBuf;

/// A versioned key-value store with git's model
#[derive(Debug, Parser)]
#[command(name = "kvgit", version, about, long_about = None, max_term_width = 100)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Args, Clone)]
pub struct GlobalArgs {
    /// Run as if kvgit was started in DIR
    #[arg(short = 'C', global = true, value_name = "DIR")]
    pub dir: Option<PathBuf>,
    /// Print machine-readable JSON on stdout (see docs/json.md)
    #[arg(long, global = true)]
    pub json: bool,
    /// When to colour output
    #[arg(long, global = true, value_name = "WHEN", default_value = "auto")]
    pub color: ColorChoice,
    /// Print only what was asked for
    #[arg(short, long, global = true)]
    pub quiet: bool,
    /// Work inside a namespace: keys are relative to PREFIX/
    #[arg(
        long,
        global = true,
        env = "KVGIT_NS",
        hide_env_values = true,
        value_name = "PREFIX"
    )]
    pub ns: Option<String>,
    /// How long to wait for another process's write, e.g. 30, 2.5s, 500ms, 1m
    #[arg(
        long,
        global = true,
        env = "KVGIT_LOCK_TIMEOUT",
        hide_env_values = true,
        value_name = "DURATION",
        default_value = "30s"
    )]
    pub lock_timeout: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

/// The type a value is parsed as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TypeArg {
    String,
    Int,
    Float,
    Bool,
    Json,
    Bytes,
}

impl From<TypeArg> for kvgit::object::ValueType {
    fn from(t: TypeArg) -> Self {
        use kvgit::object::ValueType as V;
        match t {
            TypeArg::String => V::String,
            TypeArg::Int => V::Int,
            TypeArg::Float => V::Float,
            TypeArg::Bool => V::Bool,
            TypeArg::Json => V::Json,
            TypeArg::Bytes => V::Bytes,
        }
    }
}

// Each subcommand's arguments are built only when it is the one invoked:
// building all of them took 0.4 ms of every command's start-up.
#[derive(Debug, Subcommand)]
#[command(defer = true)]
pub enum Command {
    /// Create a repository
    Init(init::InitArgs),
    /// Read and write settings
    Config(config_cmd::ConfigArgs),
    #[command(flatten)]
    Set(SetCommand),
    /// Print the value of a key
    Get(get::GetArgs),
    /// Stage the removal of keys
    Rm(set::RmArgs),
    /// Stage an increment of an int or float key (a missing key starts at 0)
    Incr(set::IncrArgs),
    /// List keys
    Ls(get::LsArgs),
    /// Show the branch, HEAD and staged changes
    Status(status::StatusArgs),
    /// Commit the staged changes
    Commit(commit::CommitArgs),
    /// Apply operations from stdin or a file as one commit
    Batch(commit::BatchArgs),
    /// Unstage keys, or move the current branch
    Reset(reset::ResetArgs),
    /// Show commit history
    Log(log::LogArgs),
    /// Show a commit and its changes
    Show(log::ShowArgs),
    /// Show changed keys between states
    Diff(diff::DiffArgs),
    /// List, create, delete or rename branches
    Branch(branch::BranchArgs),
    /// Switch to a branch
    Switch(branch::SwitchArgs),
    /// Detach HEAD at a revision (or switch to a branch)
    Checkout(branch::CheckoutArgs),
    /// List, create or delete tags
    Tag(branch::TagArgs),
    /// Show where branch heads and HEAD have been
    Reflog(reflog::ReflogArgs),
    /// Merge a branch, tag or commit into the current branch
    Merge(merge::MergeArgs),
    /// List the conflicts of the merge in progress
    Conflicts(merge::ConflictsArgs),
    /// Settle conflicts of the merge in progress
    Resolve(resolve::ResolveArgs),
    /// Show the type, merge strategy and gc class that apply to keys, and why
    CheckAttr(attr::CheckAttrArgs),
    /// Remove unreachable objects, evict cold keys over high water, compact
    Gc(maintenance::GcArgs),
    /// Verify the database file and every reachable object and reference
    Fsck(maintenance::FsckArgs),
    /// Load keys from a JSON or JSON Lines file as one commit
    Import(transfer::ImportArgs),
    /// Write keys as JSON Lines or JSON
    Export(transfer::ExportArgs),
    /// Print a shell completion script
    Completions(CompletionsArgs),
}

/// `set` is built with the command line, not deferred: its own `--json` (the
/// `--type json` shorthand) takes the place of the global `--json`, and clap
/// adds the global flags to a deferred subcommand before its own arguments,
/// which would give it two `json` arguments.
#[derive(Debug, Subcommand)]
pub enum SetCommand {
    /// Stage a value for a key
    Set(set::SetArgs),
}

#[derive(Debug, Args)]
pub struct GenerateDocsArgs {
    /// The directory to write completions/ and man/ into
    pub out: PathBuf,
}

const GENERATE_DOCS: &str = "generate-docs";

/// The command line kvgit parses: the public one (`Cli::command()`, which
/// help, completions and man pages describe) plus the hidden, internal
/// `generate-docs`. It is added only here because clap_complete lists hidden
/// subcommands and clap cannot take a subcommand out of a `Command`.
pub fn parser() -> clap::Command {
    Cli::command().subcommand(
        GenerateDocsArgs::augment_args(clap::Command::new(GENERATE_DOCS))
            .about("Write completions/ and man/ into a directory (for the source tree)")
            .hide(true),
    )
}

/// What a command line asks for.
#[derive(Debug)]
pub enum Invocation {
    Run(Cli),
    GenerateDocs(GenerateDocsArgs),
}

impl Invocation {
    /// Whether errors are reported as a JSON document.
    pub fn json(&self) -> bool {
        match self {
            Invocation::Run(cli) => cli.global.json,
            Invocation::GenerateDocs(_) => false,
        }
    }
}

/// Parses a command line (program name first).
pub fn parse(args: &[OsString]) -> Result<Invocation, clap::Error> {
    let mut cmd = parser();
    let mut matches = cmd.try_get_matches_from_mut(args)?;
    let invocation = if matches.subcommand_name() == Some(GENERATE_DOCS) {
        let (_, mut sub) = matches
            .remove_subcommand()
            .expect("the subcommand was just named");
        GenerateDocsArgs::from_arg_matches_mut(&mut sub).map(Invocation::GenerateDocs)
    } else {
        Cli::from_arg_matches_mut(&mut matches).map(Invocation::Run)
    };
    invocation.map_err(|e| e.format(&mut cmd))
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to generate for
    pub shell: clap_complete::Shell,
}

/// Runs a parsed command and returns its exit code.
pub fn run(invocation: Invocation) -> anyhow::Result<i32> {
    let cli = match invocation {
        Invocation::Run(cli) => cli,
        Invocation::GenerateDocs(a) => return generate_docs(&a.out).map(|()| 0),
    };
    let ctx = Ctx::new(cli.global)?;
    match cli.command {
        Command::Init(a) => init::run(&ctx, a),
        Command::Config(a) => config_cmd::run(&ctx, a),
        Command::Set(SetCommand::Set(a)) => set::set(&ctx, a),
        Command::Get(a) => get::get(&ctx, a),
        Command::Rm(a) => set::rm(&ctx, a),
        Command::Incr(a) => set::incr(&ctx, a),
        Command::Ls(a) => get::ls(&ctx, a),
        Command::Status(a) => status::run(&ctx, a),
        Command::Commit(a) => commit::commit(&ctx, a),
        Command::Batch(a) => commit::batch(&ctx, a),
        Command::Reset(a) => reset::run(&ctx, a),
        Command::Log(a) => log::log(&ctx, a),
        Command::Show(a) => log::show(&ctx, a),
        Command::Diff(a) => diff::run(&ctx, a),
        Command::Branch(a) => branch::branch(&ctx, a),
        Command::Switch(a) => branch::switch(&ctx, a),
        Command::Checkout(a) => branch::checkout(&ctx, a),
        Command::Tag(a) => branch::tag(&ctx, a),
        Command::Reflog(a) => reflog::run(&ctx, a),
        Command::Merge(a) => merge::run(&ctx, a),
        Command::Conflicts(a) => merge::conflicts(&ctx, a),
        Command::Resolve(a) => resolve::run(&ctx, a),
        Command::CheckAttr(a) => attr::run(&ctx, a),
        Command::Gc(a) => maintenance::gc(&ctx, a),
        Command::Fsck(a) => maintenance::fsck(&ctx, a),
        Command::Import(a) => transfer::import(&ctx, a),
        Command::Export(a) => transfer::export(&ctx, a),
        Command::Completions(a) => {
            let mut script = Vec::new();
            clap_complete::generate(a.shell, &mut Cli::command(), "kvgit", &mut script);
            std::io::Write::write_all(&mut std::io::stdout().lock(), &script)?;
            Ok(0)
        }
    }
}

/// Writes completion scripts (bash, zsh, fish) and one man page per command.
fn generate_docs(out: &std::path::Path) -> anyhow::Result<()> {
    let completions = out.join("completions");
    let man = out.join("man");
    std::fs::create_dir_all(&completions)?;
    std::fs::create_dir_all(&man)?;
    for (shell, file) in [
        (clap_complete::Shell::Bash, "kvgit.bash"),
        (clap_complete::Shell::Zsh, "_kvgit"),
        (clap_complete::Shell::Fish, "kvgit.fish"),
    ] {
        let mut buf = Vec::new();
        clap_complete::generate(shell, &mut Cli::command(), "kvgit", &mut buf);
        std::fs::write(completions.join(file), buf)?;
    }
    let mut cmd = Cli::command();
    cmd.build();
    write_man(&man, &cmd, "kvgit")?;
    for sub in cmd
        .get_subcommands()
        .filter(|s| !s.is_hide_set() && s.get_name() != "help")
    {
        let name = format!("kvgit-{}", sub.get_name());
        write_man(&man, &sub.clone().name(name.clone()), &name)?;
    }
    Ok(())
}

fn write_man(dir: &std::path::Path, cmd: &clap::Command, name: &str) -> anyhow::Result<()> {
    let mut buf = Vec::new();
    clap_mangen::Man::new(cmd.clone()).render(&mut buf)?;
    std::fs::write(dir.join(format!("{name}.1")), buf)?;
    Ok(())
}
