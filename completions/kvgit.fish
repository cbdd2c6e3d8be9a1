# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_kvgit_global_optspecs
    string join \n C= json color= q/quiet ns= lock-timeout= h/help V/version
end

function __fish_kvgit_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_kvgit_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_kvgit_using_subcommand
    set -l cmd (__fish_kvgit_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c kvgit -n "__fish_kvgit_needs_command" -s C -d 'Run as if kvgit was started in DIR' -r -F
complete -c kvgit -n "__fish_kvgit_needs_command" -l color -d 'When to colour output' -r -f -a "auto\t''
always\t''
never\t''"
complete -c kvgit -n "__fish_kvgit_needs_command" -l ns -d 'Work inside a namespace: keys are relative to PREFIX/' -r
complete -c kvgit -n "__fish_kvgit_needs_command" -l lock-timeout -d 'How long to wait for another process\'s write, e.g. 30, 2.5s, 500ms, 1m' -r
complete -c kvgit -n "__fish_kvgit_needs_command" -l json -d 'Print machine-readable JSON on stdout (see docs/json.md)'
complete -c kvgit -n "__fish_kvgit_needs_command" -s q -l quiet -d 'Print only what was asked for'
complete -c kvgit -n "__fish_kvgit_needs_command" -s h -l help -d 'Print help'
complete -c kvgit -n "__fish_kvgit_needs_command" -s V -l version -d 'Print version'
complete -c kvgit -n "__fish_kvgit_needs_command" -f -a "init" -d 'Create a repository'
complete -c kvgit -n "__fish_kvgit_needs_command" -f -a "config" -d 'Read and write settings'
complete -c kvgit -n "__fish_kvgit_needs_command" -f -a "set" -d 'Stage a value for a key'
complete -c kvgit -n "__fish_kvgit_needs_command" -f -a "get" -d 'Print the value of a key'
complete -c kvgit -n "__fish_kvgit_needs_command" -f -a "rm" -d 'Stage the removal of keys'
complete -c kvgit -n "__fish_kvgit_needs_command" -f -a "incr" -d 'Stage an increment of an int or float key (a missing key starts at 0)'
complete -c kvgit -n "__fish_kvgit_needs_command" -f -a "ls" -d 'List keys'
complete -c kvgit -n "__fish_kvgit_needs_command" -f -a "status" -d 'Show the branch, HEAD and staged changes'
complete -c kvgit -n "__fish_kvgit_needs_command" -f -a "commit" -d 'Commit the staged changes'
complete -c kvgit -n "__fish_kvgit_needs_command" -f -a "batch" -d 'Apply operations from stdin or a file as one commit'
complete -c kvgit -n "__fish_kvgit_needs_command" -f -a "reset" -d 'Unstage keys, or move the current branch'
complete -c kvgit -n "__fish_kvgit_needs_command" -f -a "log" -d 'Show commit history'
complete -c kvgit -n "__fish_kvgit_needs_command" -f -a "show" -d 'Show a commit and its changes'
complete -c kvgit -n "__fish_kvgit_needs_command" -f -a "diff" -d 'Show changed keys between states'
complete -c kvgit -n "__fish_kvgit_needs_command" -f -a "branch" -d 'List, create, delete or rename branches'
complete -c kvgit -n "__fish_kvgit_needs_command" -f -a "switch" -d 'Switch to a branch'
complete -c kvgit -n "__fish_kvgit_needs_command" -f -a "checkout" -d 'Detach HEAD at a revision (or switch to a branch)'
complete -c kvgit -n "__fish_kvgit_needs_command" -f -a "tag" -d 'List, create or delete tags'
complete -c kvgit -n "__fish_kvgit_needs_command" -f -a "reflog" -d 'Show where branch heads and HEAD have been'
complete -c kvgit -n "__fish_kvgit_needs_command" -f -a "merge" -d 'Merge a branch, tag or commit into the current branch'
complete -c kvgit -n "__fish_kvgit_needs_command" -f -a "conflicts" -d 'List the conflicts of the merge in progress'
complete -c kvgit -n "__fish_kvgit_needs_command" -f -a "resolve" -d 'Settle conflicts of the merge in progress'
complete -c kvgit -n "__fish_kvgit_needs_command" -f -a "check-attr" -d 'Show the type, merge strategy and gc class that apply to keys, and why'
complete -c kvgit -n "__fish_kvgit_needs_command" -f -a "gc" -d 'Remove unreachable objects, evict cold keys over high water, compact'
complete -c kvgit -n "__fish_kvgit_needs_command" -f -a "fsck" -d 'Verify the database file and every reachable object and reference'
complete -c kvgit -n "__fish_kvgit_needs_command" -f -a "import" -d 'Load keys from a JSON or JSON Lines file as one commit'
complete -c kvgit -n "__fish_kvgit_needs_command" -f -a "export" -d 'Write keys as JSON Lines or JSON'
complete -c kvgit -n "__fish_kvgit_needs_command" -f -a "completions" -d 'Print a shell completion script'
complete -c kvgit -n "__fish_kvgit_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c kvgit -n "__fish_kvgit_using_subcommand init" -s C -d 'Run as if kvgit was started in DIR' -r -F
complete -c kvgit -n "__fish_kvgit_using_subcommand init" -l color -d 'When to colour output' -r -f -a "auto\t''
always\t''
never\t''"
complete -c kvgit -n "__fish_kvgit_using_subcommand init" -l ns -d 'Work inside a namespace: keys are relative to PREFIX/' -r
complete -c kvgit -n "__fish_kvgit_using_subcommand init" -l lock-timeout -d 'How long to wait for another process\'s write, e.g. 30, 2.5s, 500ms, 1m' -r
complete -c kvgit -n "__fish_kvgit_using_subcommand init" -s b -l initial-branch -d 'Name of the first branch' -r
complete -c kvgit -n "__fish_kvgit_using_subcommand init" -l json -d 'Print machine-readable JSON on stdout (see docs/json.md)'
complete -c kvgit -n "__fish_kvgit_using_subcommand init" -s q -l quiet -d 'Print only what was asked for'
complete -c kvgit -n "__fish_kvgit_using_subcommand init" -s h -l help -d 'Print help'
complete -c kvgit -n "__fish_kvgit_using_subcommand config; and not __fish_seen_subcommand_from get set unset list rule help" -s C -d 'Run as if kvgit was started in DIR' -r -F
complete -c kvgit -n "__fish_kvgit_using_subcommand config; and not __fish_seen_subcommand_from get set unset list rule help" -l color -d 'When to colour output' -r -f -a "auto\t''
always\t''
never\t''"
complete -c kvgit -n "__fish_kvgit_using_subcommand config; and not __fish_seen_subcommand_from get set unset list rule help" -l ns -d 'Work inside a namespace: keys are relative to PREFIX/' -r
complete -c kvgit -n "__fish_kvgit_using_subcommand config; and not __fish_seen_subcommand_from get set unset list rule help" -l lock-timeout -d 'How long to wait for another process\'s write, e.g. 30, 2.5s, 500ms, 1m' -r
complete -c kvgit -n "__fish_kvgit_using_subcommand config; and not __fish_seen_subcommand_from get set unset list rule help" -l json -d 'Print machine-readable JSON on stdout (see docs/json.md)'
complete -c kvgit -n "__fish_kvgit_using_subcommand config; and not __fish_seen_subcommand_from get set unset list rule help" -s q -l quiet -d 'Print only what was asked for'
complete -c kvgit -n "__fish_kvgit_using_subcommand config; and not __fish_seen_subcommand_from get set unset list rule help" -l global -d 'Use the user config file instead of the repository\'s'
complete -c kvgit -n "__fish_kvgit_using_subcommand config; and not __fish_seen_subcommand_from get set unset list rule help" -s h -l help -d 'Print help'
complete -c kvgit -n "__fish_kvgit_using_subcommand config; and not __fish_seen_subcommand_from get set unset list rule help" -f -a "get" -d 'Print a setting (repository first, then user, unless --global)'
complete -c kvgit -n "__fish_kvgit_using_subcommand config; and not __fish_seen_subcommand_from get set unset list rule help" -f -a "set" -d 'Change a setting'
complete -c kvgit -n "__fish_kvgit_using_subcommand config; and not __fish_seen_subcommand_from get set unset list rule help" -f -a "unset" -d 'Remove a setting'
complete -c kvgit -n "__fish_kvgit_using_subcommand config; and not __fish_seen_subcommand_from get set unset list rule help" -f -a "list" -d 'List settings and the file each comes from'
complete -c kvgit -n "__fish_kvgit_using_subcommand config; and not __fish_seen_subcommand_from get set unset list rule help" -f -a "rule" -d 'Add, list or remove [[rule]] entries (per-key type, merge strategy, gc class)'
complete -c kvgit -n "__fish_kvgit_using_subcommand config; and not __fish_seen_subcommand_from get set unset list rule help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c kvgit -n "__fish_kvgit_using_subcommand config; and __fish_seen_subcommand_from get" -s C -d 'Run as if kvgit was started in DIR' -r -F
complete -c kvgit -n "__fish_kvgit_using_subcommand config; and __fish_seen_subcommand_from get" -l color -d 'When to colour output' -r -f -a "auto\t''
always\t''
never\t''"
complete -c kvgit -n "__fish_kvgit_using_subcommand config; and __fish_seen_subcommand_from get" -l ns -d 'Work inside a namespace: keys are relative to PREFIX/' -r
complete -c kvgit -n "__fish_kvgit_using_subcommand config; and __fish_seen_subcommand_from get" -l lock-timeout -d 'How long to wait for another process\'s write, e.g. 30, 2.5s, 500ms, 1m' -r
complete -c kvgit -n "__fish_kvgit_using_subcommand config; and __fish_seen_subcommand_from get" -l json -d 'Print machine-readable JSON on stdout (see docs/json.md)'
complete -c kvgit -n "__fish_kvgit_using_subcommand config; and __fish_seen_subcommand_from get" -s q -l quiet -d 'Print only what was asked for'
complete -c kvgit -n "__fish_kvgit_using_subcommand config; and __fish_seen_subcommand_from get" -l global -d 'Use the user config file instead of the repository\'s'
complete -c kvgit -n "__fish_kvgit_using_subcommand config; and __fish_seen_subcommand_from get" -s h -l help -d 'Print help'
complete -c kvgit -n "__fish_kvgit_using_subcommand config; and __fish_seen_subcommand_from set" -s C -d 'Run as if kvgit was started in DIR' -r -F
complete -c kvgit -n "__fish_kvgit_using_subcommand config; and __fish_seen_subcommand_from set" -l color -d 'When to colour output' -r -f -a "auto\t''
always\t''
never\t''"
complete -c kvgit -n "__fish_kvgit_using_subcommand config; and __fish_seen_subcommand_from set" -l ns -d 'Work inside a namespace: keys are relative to PREFIX/' -r
complete -c kvgit -n "__fish_kvgit_using_subcommand config; and __fish_seen_subcommand_from set" -l lock-timeout -d 'How long to wait for another process\'s write, e.g. 30, 2.5s, 500ms, 1m' -r
complete -c kvgit -n "__fish_kvgit_using_subcommand config; and __fish_seen_subcommand_from set" -l json -d 'Print machine-readable JSON on stdout (see docs/json.md)'
complete -c kvgit -n "__fish_kvgit_using_subcommand config; and __fish_seen_subcommand_from set" -s q -l quiet -d 'Print only what was asked for'
complete -c kvgit -n "__fish_kvgit_using_subcommand config; and __fish_seen_subcommand_from set" -l global -d 'Use the user config file instead of the repository\'s'
complete -c kvgit -n "__fish_kvgit_using_subcommand config; and __fish_seen_subcommand_from set" -s h -l help -d 'Print help'
complete -c kvgit -n "__fish_kvgit_using_subcommand config; and __fish_seen_subcommand_from unset" -s C -d 'Run as if kvgit was started in DIR' -r -F
complete -c kvgit -n "__fish_kvgit_using_subcommand config; and __fish_seen_subcommand_from unset" -l color -d 'When to colour output' -r -f -a "auto\t''
always\t''
never\t''"
complete -c kvgit -n "__fish_kvgit_using_subcommand config; and __fish_seen_subcommand_from unset" -l ns -d 'Work inside a namespace: keys are relative to PREFIX/' -r
complete -c kvgit -n "__fish_kvgit_using_subcommand config; and __fish_seen_subcommand_from unset" -l lock-timeout -d 'How long to wait for another process\'s write, e.g. 30, 2.5s, 500ms, 1m' -r
complete -c kvgit -n "__fish_kvgit_using_subcommand config; and __fish_seen_subcommand_from unset" -l json -d 'Print machine-readable JSON on stdout (see docs/json.md)'
complete -c kvgit -n "__fish_kvgit_using_subcommand config; and __fish_seen_subcommand_from unset" -s q -l quiet -d 'Print only what was asked for'
complete -c kvgit -n "__fish_kvgit_using_subcommand config; and __fish_seen_subcommand_from unset" -l global -d 'Use the user config file instead of the repository\'s'
complete -c kvgit -n "__fish_kvgit_using_subcommand config; and __fish_seen_subcommand_from unset" -s h -l help -d 'Print help'
complete -c kvgit -n "__fish_kvgit_using_subcommand config; and __fish_seen_subcommand_from list" -s C -d 'Run as if kvgit was started in DIR' -r -F
complete -c kvgit -n "__fish_kvgit_using_subcommand config; and __fish_seen_subcommand_from list" -l color -d 'When to colour output' -r -f -a "auto\t''
always\t''
never\t''"
complete -c kvgit -n "__fish_kvgit_using_subcommand config; and __fish_seen_subcommand_from list" -l ns -d 'Work inside a namespace: keys are relative to PREFIX/' -r
complete -c kvgit -n "__fish_kvgit_using_subcommand config; and __fish_seen_subcommand_from list" -l lock-timeout -d 'How long to wait for another process\'s write, e.g. 30, 2.5s, 500ms, 1m' -r
complete -c kvgit -n "__fish_kvgit_using_subcommand config; and __fish_seen_subcommand_from list" -l json -d 'Print machine-readable JSON on stdout (see docs/json.md)'
complete -c kvgit -n "__fish_kvgit_using_subcommand config; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Print only what was asked for'
complete -c kvgit -n "__fish_kvgit_using_subcommand config; and __fish_seen_subcommand_from list" -l global -d 'Use the user config file instead of the repository\'s'
complete -c kvgit -n "__fish_kvgit_using_subcommand config; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help'
complete -c kvgit -n "__fish_kvgit_using_subcommand config; and __fish_seen_subcommand_from rule" -s C -d 'Run as if kvgit was started in DIR' -r -F
complete -c kvgit -n "__fish_kvgit_using_subcommand config; and __fish_seen_subcommand_from rule" -l color -d 'When to colour output' -r -f -a "auto\t''
always\t''
never\t''"
complete -c kvgit -n "__fish_kvgit_using_subcommand config; and __fish_seen_subcommand_from rule" -l ns -d 'Work inside a namespace: keys are relative to PREFIX/' -r
complete -c kvgit -n "__fish_kvgit_using_subcommand config; and __fish_seen_subcommand_from rule" -l lock-timeout -d 'How long to wait for another process\'s write, e.g. 30, 2.5s, 500ms, 1m' -r
complete -c kvgit -n "__fish_kvgit_using_subcommand config; and __fish_seen_subcommand_from rule" -l json -d 'Print machine-readable JSON on stdout (see docs/json.md)'
complete -c kvgit -n "__fish_kvgit_using_subcommand config; and __fish_seen_subcommand_from rule" -s q -l quiet -d 'Print only what was asked for'
complete -c kvgit -n "__fish_kvgit_using_subcommand config; and __fish_seen_subcommand_from rule" -l global -d 'Use the user config file instead of the repository\'s'
complete -c kvgit -n "__fish_kvgit_using_subcommand config; and __fish_seen_subcommand_from rule" -s h -l help -d 'Print help'
complete -c kvgit -n "__fish_kvgit_using_subcommand config; and __fish_seen_subcommand_from rule" -f -a "add" -d 'Add a rule for keys matching the globs (* and ? stop at /, ** crosses it)'
complete -c kvgit -n "__fish_kvgit_using_subcommand config; and __fish_seen_subcommand_from rule" -f -a "list" -d 'List the rules, lowest precedence first (the last matching rule wins)'
complete -c kvgit -n "__fish_kvgit_using_subcommand config; and __fish_seen_subcommand_from rule" -f -a "remove" -d 'Remove rule number N (as \'rule list\' numbers them)'
complete -c kvgit -n "__fish_kvgit_using_subcommand config; and __fish_seen_subcommand_from rule" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c kvgit -n "__fish_kvgit_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "get" -d 'Print a setting (repository first, then user, unless --global)'
complete -c kvgit -n "__fish_kvgit_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "set" -d 'Change a setting'
complete -c kvgit -n "__fish_kvgit_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "unset" -d 'Remove a setting'
complete -c kvgit -n "__fish_kvgit_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "list" -d 'List settings and the file each comes from'
complete -c kvgit -n "__fish_kvgit_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "rule" -d 'Add, list or remove [[rule]] entries (per-key type, merge strategy, gc class)'
complete -c kvgit -n "__fish_kvgit_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c kvgit -n "__fish_kvgit_using_subcommand set" -s t -l type -d 'Parse the value as this type [default: string, or bytes from a file or stdin]' -r -f -a "string\t''
int\t''
float\t''
bool\t''
json\t''
bytes\t''"
complete -c kvgit -n "__fish_kvgit_using_subcommand set" -l file -d 'Read the value from a file' -r -F
complete -c kvgit -n "__fish_kvgit_using_subcommand set" -s C -d 'Run as if kvgit was started in DIR' -r -F
complete -c kvgit -n "__fish_kvgit_using_subcommand set" -l color -d 'When to colour output' -r -f -a "auto\t''
always\t''
never\t''"
complete -c kvgit -n "__fish_kvgit_using_subcommand set" -l ns -d 'Work inside a namespace: keys are relative to PREFIX/' -r
complete -c kvgit -n "__fish_kvgit_using_subcommand set" -l lock-timeout -d 'How long to wait for another process\'s write, e.g. 30, 2.5s, 500ms, 1m' -r
complete -c kvgit -n "__fish_kvgit_using_subcommand set" -l int -d 'Shorthand for --type int'
complete -c kvgit -n "__fish_kvgit_using_subcommand set" -l float -d 'Shorthand for --type float'
complete -c kvgit -n "__fish_kvgit_using_subcommand set" -l bool -d 'Shorthand for --type bool'
complete -c kvgit -n "__fish_kvgit_using_subcommand set" -l json -d 'Shorthand for --type json, unless another type is named; also prints the JSON result'
complete -c kvgit -n "__fish_kvgit_using_subcommand set" -s q -l quiet -d 'Print only what was asked for'
complete -c kvgit -n "__fish_kvgit_using_subcommand set" -s h -l help -d 'Print help'
complete -c kvgit -n "__fish_kvgit_using_subcommand get" -s C -d 'Run as if kvgit was started in DIR' -r -F
complete -c kvgit -n "__fish_kvgit_using_subcommand get" -l color -d 'When to colour output' -r -f -a "auto\t''
always\t''
never\t''"
complete -c kvgit -n "__fish_kvgit_using_subcommand get" -l ns -d 'Work inside a namespace: keys are relative to PREFIX/' -r
complete -c kvgit -n "__fish_kvgit_using_subcommand get" -l lock-timeout -d 'How long to wait for another process\'s write, e.g. 30, 2.5s, 500ms, 1m' -r
complete -c kvgit -n "__fish_kvgit_using_subcommand get" -l at -d 'Read the value at this revision' -r
complete -c kvgit -n "__fish_kvgit_using_subcommand get" -l side -d 'Read one side of the merge in progress' -r -f -a "ours\t''
theirs\t''
base\t''"
complete -c kvgit -n "__fish_kvgit_using_subcommand get" -l json -d 'Print machine-readable JSON on stdout (see docs/json.md)'
complete -c kvgit -n "__fish_kvgit_using_subcommand get" -s q -l quiet -d 'Print only what was asked for'
complete -c kvgit -n "__fish_kvgit_using_subcommand get" -l committed -d 'Ignore staged changes: read the value at HEAD'
complete -c kvgit -n "__fish_kvgit_using_subcommand get" -l pretty -d 'Indent JSON values'
complete -c kvgit -n "__fish_kvgit_using_subcommand get" -s h -l help -d 'Print help'
complete -c kvgit -n "__fish_kvgit_using_subcommand rm" -s C -d 'Run as if kvgit was started in DIR' -r -F
complete -c kvgit -n "__fish_kvgit_using_subcommand rm" -l color -d 'When to colour output' -r -f -a "auto\t''
always\t''
never\t''"
complete -c kvgit -n "__fish_kvgit_using_subcommand rm" -l ns -d 'Work inside a namespace: keys are relative to PREFIX/' -r
complete -c kvgit -n "__fish_kvgit_using_subcommand rm" -l lock-timeout -d 'How long to wait for another process\'s write, e.g. 30, 2.5s, 500ms, 1m' -r
complete -c kvgit -n "__fish_kvgit_using_subcommand rm" -l json -d 'Print machine-readable JSON on stdout (see docs/json.md)'
complete -c kvgit -n "__fish_kvgit_using_subcommand rm" -s q -l quiet -d 'Print only what was asked for'
complete -c kvgit -n "__fish_kvgit_using_subcommand rm" -s h -l help -d 'Print help'
complete -c kvgit -n "__fish_kvgit_using_subcommand incr" -s C -d 'Run as if kvgit was started in DIR' -r -F
complete -c kvgit -n "__fish_kvgit_using_subcommand incr" -l color -d 'When to colour output' -r -f -a "auto\t''
always\t''
never\t''"
complete -c kvgit -n "__fish_kvgit_using_subcommand incr" -l ns -d 'Work inside a namespace: keys are relative to PREFIX/' -r
complete -c kvgit -n "__fish_kvgit_using_subcommand incr" -l lock-timeout -d 'How long to wait for another process\'s write, e.g. 30, 2.5s, 500ms, 1m' -r
complete -c kvgit -n "__fish_kvgit_using_subcommand incr" -l json -d 'Print machine-readable JSON on stdout (see docs/json.md)'
complete -c kvgit -n "__fish_kvgit_using_subcommand incr" -s q -l quiet -d 'Print only what was asked for'
complete -c kvgit -n "__fish_kvgit_using_subcommand incr" -s h -l help -d 'Print help'
complete -c kvgit -n "__fish_kvgit_using_subcommand ls" -s C -d 'Run as if kvgit was started in DIR' -r -F
complete -c kvgit -n "__fish_kvgit_using_subcommand ls" -l color -d 'When to colour output' -r -f -a "auto\t''
always\t''
never\t''"
complete -c kvgit -n "__fish_kvgit_using_subcommand ls" -l ns -d 'Work inside a namespace: keys are relative to PREFIX/' -r
complete -c kvgit -n "__fish_kvgit_using_subcommand ls" -l lock-timeout -d 'How long to wait for another process\'s write, e.g. 30, 2.5s, 500ms, 1m' -r
complete -c kvgit -n "__fish_kvgit_using_subcommand ls" -l at -d 'List the keys at this revision instead of the working state' -r
complete -c kvgit -n "__fish_kvgit_using_subcommand ls" -l json -d 'Print machine-readable JSON on stdout (see docs/json.md)'
complete -c kvgit -n "__fish_kvgit_using_subcommand ls" -s q -l quiet -d 'Print only what was asked for'
complete -c kvgit -n "__fish_kvgit_using_subcommand ls" -s l -l long -d 'Show each key\'s type and encoded size'
complete -c kvgit -n "__fish_kvgit_using_subcommand ls" -s h -l help -d 'Print help'
complete -c kvgit -n "__fish_kvgit_using_subcommand status" -s C -d 'Run as if kvgit was started in DIR' -r -F
complete -c kvgit -n "__fish_kvgit_using_subcommand status" -l color -d 'When to colour output' -r -f -a "auto\t''
always\t''
never\t''"
complete -c kvgit -n "__fish_kvgit_using_subcommand status" -l ns -d 'Work inside a namespace: keys are relative to PREFIX/' -r
complete -c kvgit -n "__fish_kvgit_using_subcommand status" -l lock-timeout -d 'How long to wait for another process\'s write, e.g. 30, 2.5s, 500ms, 1m' -r
complete -c kvgit -n "__fish_kvgit_using_subcommand status" -l json -d 'Print machine-readable JSON on stdout (see docs/json.md)'
complete -c kvgit -n "__fish_kvgit_using_subcommand status" -s q -l quiet -d 'Print only what was asked for'
complete -c kvgit -n "__fish_kvgit_using_subcommand status" -l exit-code -d 'Exit with 1 when changes are staged or a merge is in progress'
complete -c kvgit -n "__fish_kvgit_using_subcommand status" -s h -l help -d 'Print help'
complete -c kvgit -n "__fish_kvgit_using_subcommand commit" -s C -d 'Run as if kvgit was started in DIR' -r -F
complete -c kvgit -n "__fish_kvgit_using_subcommand commit" -l color -d 'When to colour output' -r -f -a "auto\t''
always\t''
never\t''"
complete -c kvgit -n "__fish_kvgit_using_subcommand commit" -l ns -d 'Work inside a namespace: keys are relative to PREFIX/' -r
complete -c kvgit -n "__fish_kvgit_using_subcommand commit" -l lock-timeout -d 'How long to wait for another process\'s write, e.g. 30, 2.5s, 500ms, 1m' -r
complete -c kvgit -n "__fish_kvgit_using_subcommand commit" -s m -l message -d 'The commit message' -r
complete -c kvgit -n "__fish_kvgit_using_subcommand commit" -l author -d 'Record this author instead of the configured one' -r
complete -c kvgit -n "__fish_kvgit_using_subcommand commit" -l meta -d 'Attach metadata to the commit (repeatable)' -r
complete -c kvgit -n "__fish_kvgit_using_subcommand commit" -l expect-head -d 'Fail (exit 4) unless HEAD is at REV: a strict compare-and-swap' -r
complete -c kvgit -n "__fish_kvgit_using_subcommand commit" -l json -d 'Print machine-readable JSON on stdout (see docs/json.md)'
complete -c kvgit -n "__fish_kvgit_using_subcommand commit" -s q -l quiet -d 'Print only what was asked for'
complete -c kvgit -n "__fish_kvgit_using_subcommand commit" -l allow-empty -d 'Commit even when nothing is staged'
complete -c kvgit -n "__fish_kvgit_using_subcommand commit" -s h -l help -d 'Print help'
complete -c kvgit -n "__fish_kvgit_using_subcommand batch" -s C -d 'Run as if kvgit was started in DIR' -r -F
complete -c kvgit -n "__fish_kvgit_using_subcommand batch" -l color -d 'When to colour output' -r -f -a "auto\t''
always\t''
never\t''"
complete -c kvgit -n "__fish_kvgit_using_subcommand batch" -l ns -d 'Work inside a namespace: keys are relative to PREFIX/' -r
complete -c kvgit -n "__fish_kvgit_using_subcommand batch" -l lock-timeout -d 'How long to wait for another process\'s write, e.g. 30, 2.5s, 500ms, 1m' -r
complete -c kvgit -n "__fish_kvgit_using_subcommand batch" -s m -l message -d 'The commit message [default: "Apply N operations"]' -r
complete -c kvgit -n "__fish_kvgit_using_subcommand batch" -l file -d 'Read operations from this file instead of stdin' -r -F
complete -c kvgit -n "__fish_kvgit_using_subcommand batch" -l author -d 'Record this author instead of the configured one' -r
complete -c kvgit -n "__fish_kvgit_using_subcommand batch" -l meta -d 'Attach metadata to the commit (repeatable)' -r
complete -c kvgit -n "__fish_kvgit_using_subcommand batch" -l expect-head -d 'Fail (exit 4) unless HEAD (or --branch) is at REV' -r
complete -c kvgit -n "__fish_kvgit_using_subcommand batch" -s b -l branch -d 'Commit to this existing branch instead of HEAD (HEAD does not move)' -r
complete -c kvgit -n "__fish_kvgit_using_subcommand batch" -l json -d 'Print machine-readable JSON on stdout (see docs/json.md)'
complete -c kvgit -n "__fish_kvgit_using_subcommand batch" -s q -l quiet -d 'Print only what was asked for'
complete -c kvgit -n "__fish_kvgit_using_subcommand batch" -s h -l help -d 'Print help'
complete -c kvgit -n "__fish_kvgit_using_subcommand reset" -s C -d 'Run as if kvgit was started in DIR' -r -F
complete -c kvgit -n "__fish_kvgit_using_subcommand reset" -l color -d 'When to colour output' -r -f -a "auto\t''
always\t''
never\t''"
complete -c kvgit -n "__fish_kvgit_using_subcommand reset" -l ns -d 'Work inside a namespace: keys are relative to PREFIX/' -r
complete -c kvgit -n "__fish_kvgit_using_subcommand reset" -l lock-timeout -d 'How long to wait for another process\'s write, e.g. 30, 2.5s, 500ms, 1m' -r
complete -c kvgit -n "__fish_kvgit_using_subcommand reset" -l expect-head -d 'Fail (exit 4) unless HEAD is at REV' -r
complete -c kvgit -n "__fish_kvgit_using_subcommand reset" -l json -d 'Print machine-readable JSON on stdout (see docs/json.md)'
complete -c kvgit -n "__fish_kvgit_using_subcommand reset" -s q -l quiet -d 'Print only what was asked for'
complete -c kvgit -n "__fish_kvgit_using_subcommand reset" -l hard -d 'Move the branch to REV and clear the staging area'
complete -c kvgit -n "__fish_kvgit_using_subcommand reset" -l soft -d 'Move the branch to REV and keep the working state: what the commits left behind changed is staged'
complete -c kvgit -n "__fish_kvgit_using_subcommand reset" -s h -l help -d 'Print help'
complete -c kvgit -n "__fish_kvgit_using_subcommand log" -s C -d 'Run as if kvgit was started in DIR' -r -F
complete -c kvgit -n "__fish_kvgit_using_subcommand log" -l color -d 'When to colour output' -r -f -a "auto\t''
always\t''
never\t''"
complete -c kvgit -n "__fish_kvgit_using_subcommand log" -l ns -d 'Work inside a namespace: keys are relative to PREFIX/' -r
complete -c kvgit -n "__fish_kvgit_using_subcommand log" -l lock-timeout -d 'How long to wait for another process\'s write, e.g. 30, 2.5s, 500ms, 1m' -r
complete -c kvgit -n "__fish_kvgit_using_subcommand log" -s n -l max-count -d 'Show at most N commits' -r
complete -c kvgit -n "__fish_kvgit_using_subcommand log" -l json -d 'Print machine-readable JSON on stdout (see docs/json.md)'
complete -c kvgit -n "__fish_kvgit_using_subcommand log" -s q -l quiet -d 'Print only what was asked for'
complete -c kvgit -n "__fish_kvgit_using_subcommand log" -l oneline -d 'One line per commit'
complete -c kvgit -n "__fish_kvgit_using_subcommand log" -l graph -d 'Draw the commit graph'
complete -c kvgit -n "__fish_kvgit_using_subcommand log" -s h -l help -d 'Print help'
complete -c kvgit -n "__fish_kvgit_using_subcommand show" -s C -d 'Run as if kvgit was started in DIR' -r -F
complete -c kvgit -n "__fish_kvgit_using_subcommand show" -l color -d 'When to colour output' -r -f -a "auto\t''
always\t''
never\t''"
complete -c kvgit -n "__fish_kvgit_using_subcommand show" -l ns -d 'Work inside a namespace: keys are relative to PREFIX/' -r
complete -c kvgit -n "__fish_kvgit_using_subcommand show" -l lock-timeout -d 'How long to wait for another process\'s write, e.g. 30, 2.5s, 500ms, 1m' -r
complete -c kvgit -n "__fish_kvgit_using_subcommand show" -l json -d 'Print machine-readable JSON on stdout (see docs/json.md)'
complete -c kvgit -n "__fish_kvgit_using_subcommand show" -s q -l quiet -d 'Print only what was asked for'
complete -c kvgit -n "__fish_kvgit_using_subcommand show" -s h -l help -d 'Print help'
complete -c kvgit -n "__fish_kvgit_using_subcommand diff" -s C -d 'Run as if kvgit was started in DIR' -r -F
complete -c kvgit -n "__fish_kvgit_using_subcommand diff" -l color -d 'When to colour output' -r -f -a "auto\t''
always\t''
never\t''"
complete -c kvgit -n "__fish_kvgit_using_subcommand diff" -l ns -d 'Work inside a namespace: keys are relative to PREFIX/' -r
complete -c kvgit -n "__fish_kvgit_using_subcommand diff" -l lock-timeout -d 'How long to wait for another process\'s write, e.g. 30, 2.5s, 500ms, 1m' -r
complete -c kvgit -n "__fish_kvgit_using_subcommand diff" -l json -d 'Print machine-readable JSON on stdout (see docs/json.md)'
complete -c kvgit -n "__fish_kvgit_using_subcommand diff" -s q -l quiet -d 'Print only what was asked for'
complete -c kvgit -n "__fish_kvgit_using_subcommand diff" -l stat -d 'Summarise: one line per key and a count'
complete -c kvgit -n "__fish_kvgit_using_subcommand diff" -l name-only -d 'Only the names of changed keys'
complete -c kvgit -n "__fish_kvgit_using_subcommand diff" -l exit-code -d 'Exit with 1 when there are changes'
complete -c kvgit -n "__fish_kvgit_using_subcommand diff" -s h -l help -d 'Print help'
complete -c kvgit -n "__fish_kvgit_using_subcommand branch" -s C -d 'Run as if kvgit was started in DIR' -r -F
complete -c kvgit -n "__fish_kvgit_using_subcommand branch" -l color -d 'When to colour output' -r -f -a "auto\t''
always\t''
never\t''"
complete -c kvgit -n "__fish_kvgit_using_subcommand branch" -l ns -d 'Work inside a namespace: keys are relative to PREFIX/' -r
complete -c kvgit -n "__fish_kvgit_using_subcommand branch" -l lock-timeout -d 'How long to wait for another process\'s write, e.g. 30, 2.5s, 500ms, 1m' -r
complete -c kvgit -n "__fish_kvgit_using_subcommand branch" -s d -l delete -d 'Delete a branch that is merged into HEAD' -r
complete -c kvgit -n "__fish_kvgit_using_subcommand branch" -s D -d 'Delete a branch even if it is not merged' -r
complete -c kvgit -n "__fish_kvgit_using_subcommand branch" -s m -l move -d 'Rename a branch: -m OLD NEW' -r
complete -c kvgit -n "__fish_kvgit_using_subcommand branch" -l json -d 'Print machine-readable JSON on stdout (see docs/json.md)'
complete -c kvgit -n "__fish_kvgit_using_subcommand branch" -s q -l quiet -d 'Print only what was asked for'
complete -c kvgit -n "__fish_kvgit_using_subcommand branch" -s h -l help -d 'Print help'
complete -c kvgit -n "__fish_kvgit_using_subcommand switch" -s C -d 'Run as if kvgit was started in DIR' -r -F
complete -c kvgit -n "__fish_kvgit_using_subcommand switch" -l color -d 'When to colour output' -r -f -a "auto\t''
always\t''
never\t''"
complete -c kvgit -n "__fish_kvgit_using_subcommand switch" -l ns -d 'Work inside a namespace: keys are relative to PREFIX/' -r
complete -c kvgit -n "__fish_kvgit_using_subcommand switch" -l lock-timeout -d 'How long to wait for another process\'s write, e.g. 30, 2.5s, 500ms, 1m' -r
complete -c kvgit -n "__fish_kvgit_using_subcommand switch" -l json -d 'Print machine-readable JSON on stdout (see docs/json.md)'
complete -c kvgit -n "__fish_kvgit_using_subcommand switch" -s q -l quiet -d 'Print only what was asked for'
complete -c kvgit -n "__fish_kvgit_using_subcommand switch" -s c -l create -d 'Create the branch (at START, default HEAD) and switch to it'
complete -c kvgit -n "__fish_kvgit_using_subcommand switch" -l discard-changes -d 'Drop staged changes instead of refusing'
complete -c kvgit -n "__fish_kvgit_using_subcommand switch" -s h -l help -d 'Print help'
complete -c kvgit -n "__fish_kvgit_using_subcommand checkout" -s C -d 'Run as if kvgit was started in DIR' -r -F
complete -c kvgit -n "__fish_kvgit_using_subcommand checkout" -l color -d 'When to colour output' -r -f -a "auto\t''
always\t''
never\t''"
complete -c kvgit -n "__fish_kvgit_using_subcommand checkout" -l ns -d 'Work inside a namespace: keys are relative to PREFIX/' -r
complete -c kvgit -n "__fish_kvgit_using_subcommand checkout" -l lock-timeout -d 'How long to wait for another process\'s write, e.g. 30, 2.5s, 500ms, 1m' -r
complete -c kvgit -n "__fish_kvgit_using_subcommand checkout" -l json -d 'Print machine-readable JSON on stdout (see docs/json.md)'
complete -c kvgit -n "__fish_kvgit_using_subcommand checkout" -s q -l quiet -d 'Print only what was asked for'
complete -c kvgit -n "__fish_kvgit_using_subcommand checkout" -l discard-changes -d 'Drop staged changes instead of refusing'
complete -c kvgit -n "__fish_kvgit_using_subcommand checkout" -s h -l help -d 'Print help'
complete -c kvgit -n "__fish_kvgit_using_subcommand tag" -s C -d 'Run as if kvgit was started in DIR' -r -F
complete -c kvgit -n "__fish_kvgit_using_subcommand tag" -l color -d 'When to colour output' -r -f -a "auto\t''
always\t''
never\t''"
complete -c kvgit -n "__fish_kvgit_using_subcommand tag" -l ns -d 'Work inside a namespace: keys are relative to PREFIX/' -r
complete -c kvgit -n "__fish_kvgit_using_subcommand tag" -l lock-timeout -d 'How long to wait for another process\'s write, e.g. 30, 2.5s, 500ms, 1m' -r
complete -c kvgit -n "__fish_kvgit_using_subcommand tag" -s d -l delete -d 'Delete a tag' -r
complete -c kvgit -n "__fish_kvgit_using_subcommand tag" -l json -d 'Print machine-readable JSON on stdout (see docs/json.md)'
complete -c kvgit -n "__fish_kvgit_using_subcommand tag" -s q -l quiet -d 'Print only what was asked for'
complete -c kvgit -n "__fish_kvgit_using_subcommand tag" -s h -l help -d 'Print help'
complete -c kvgit -n "__fish_kvgit_using_subcommand reflog" -s C -d 'Run as if kvgit was started in DIR' -r -F
complete -c kvgit -n "__fish_kvgit_using_subcommand reflog" -l color -d 'When to colour output' -r -f -a "auto\t''
always\t''
never\t''"
complete -c kvgit -n "__fish_kvgit_using_subcommand reflog" -l ns -d 'Work inside a namespace: keys are relative to PREFIX/' -r
complete -c kvgit -n "__fish_kvgit_using_subcommand reflog" -l lock-timeout -d 'How long to wait for another process\'s write, e.g. 30, 2.5s, 500ms, 1m' -r
complete -c kvgit -n "__fish_kvgit_using_subcommand reflog" -l json -d 'Print machine-readable JSON on stdout (see docs/json.md)'
complete -c kvgit -n "__fish_kvgit_using_subcommand reflog" -s q -l quiet -d 'Print only what was asked for'
complete -c kvgit -n "__fish_kvgit_using_subcommand reflog" -s h -l help -d 'Print help'
complete -c kvgit -n "__fish_kvgit_using_subcommand merge" -s C -d 'Run as if kvgit was started in DIR' -r -F
complete -c kvgit -n "__fish_kvgit_using_subcommand merge" -l color -d 'When to colour output' -r -f -a "auto\t''
always\t''
never\t''"
complete -c kvgit -n "__fish_kvgit_using_subcommand merge" -l ns -d 'Work inside a namespace: keys are relative to PREFIX/' -r
complete -c kvgit -n "__fish_kvgit_using_subcommand merge" -l lock-timeout -d 'How long to wait for another process\'s write, e.g. 30, 2.5s, 500ms, 1m' -r
complete -c kvgit -n "__fish_kvgit_using_subcommand merge" -s m -l message -d 'The merge commit\'s message' -r
complete -c kvgit -n "__fish_kvgit_using_subcommand merge" -s s -l strategy -d 'Use strategy S for keys matching GLOB (repeatable; the last match wins)' -r
complete -c kvgit -n "__fish_kvgit_using_subcommand merge" -s X -l default-strategy -d 'Strategy for keys that no flag or rule decides' -r -f -a "conflict\t''
ours\t''
theirs\t''
lww\t''
counter\t''
max\t''
min\t''
union\t''
json\t''"
complete -c kvgit -n "__fish_kvgit_using_subcommand merge" -l force-strategy -d 'Use strategy S for every key, whatever the rules say' -r -f -a "conflict\t''
ours\t''
theirs\t''
lww\t''
counter\t''
max\t''
min\t''
union\t''
json\t''"
complete -c kvgit -n "__fish_kvgit_using_subcommand merge" -l expect-head -d 'Fail (exit 4) unless HEAD is at REV' -r
complete -c kvgit -n "__fish_kvgit_using_subcommand merge" -l json -d 'Print machine-readable JSON on stdout (see docs/json.md)'
complete -c kvgit -n "__fish_kvgit_using_subcommand merge" -s q -l quiet -d 'Print only what was asked for'
complete -c kvgit -n "__fish_kvgit_using_subcommand merge" -l no-commit -d 'Stop before committing, even when the merge is clean'
complete -c kvgit -n "__fish_kvgit_using_subcommand merge" -l ff-only -d 'Only fast-forward; refuse otherwise'
complete -c kvgit -n "__fish_kvgit_using_subcommand merge" -l no-ff -d 'Make a merge commit even when a fast-forward is possible'
complete -c kvgit -n "__fish_kvgit_using_subcommand merge" -l dry-run -d 'Compute and report the merge; write nothing (exit 3 on conflicts)'
complete -c kvgit -n "__fish_kvgit_using_subcommand merge" -l atomic -d 'Commit if clean; on conflicts leave no merge state behind'
complete -c kvgit -n "__fish_kvgit_using_subcommand merge" -l explain -d 'Print, for every key the merge touches, the strategy, who chose it and the result'
complete -c kvgit -n "__fish_kvgit_using_subcommand merge" -l continue -d 'Commit the merge in progress once every conflict is resolved'
complete -c kvgit -n "__fish_kvgit_using_subcommand merge" -l abort -d 'Forget the merge in progress (HEAD and staged changes are as before it)'
complete -c kvgit -n "__fish_kvgit_using_subcommand merge" -s h -l help -d 'Print help'
complete -c kvgit -n "__fish_kvgit_using_subcommand conflicts" -s C -d 'Run as if kvgit was started in DIR' -r -F
complete -c kvgit -n "__fish_kvgit_using_subcommand conflicts" -l color -d 'When to colour output' -r -f -a "auto\t''
always\t''
never\t''"
complete -c kvgit -n "__fish_kvgit_using_subcommand conflicts" -l ns -d 'Work inside a namespace: keys are relative to PREFIX/' -r
complete -c kvgit -n "__fish_kvgit_using_subcommand conflicts" -l lock-timeout -d 'How long to wait for another process\'s write, e.g. 30, 2.5s, 500ms, 1m' -r
complete -c kvgit -n "__fish_kvgit_using_subcommand conflicts" -l json -d 'Print machine-readable JSON on stdout (see docs/json.md)'
complete -c kvgit -n "__fish_kvgit_using_subcommand conflicts" -s q -l quiet -d 'Print only what was asked for'
complete -c kvgit -n "__fish_kvgit_using_subcommand conflicts" -s h -l help -d 'Print help'
complete -c kvgit -n "__fish_kvgit_using_subcommand resolve" -s C -d 'Run as if kvgit was started in DIR' -r -F
complete -c kvgit -n "__fish_kvgit_using_subcommand resolve" -l color -d 'When to colour output' -r -f -a "auto\t''
always\t''
never\t''"
complete -c kvgit -n "__fish_kvgit_using_subcommand resolve" -l ns -d 'Work inside a namespace: keys are relative to PREFIX/' -r
complete -c kvgit -n "__fish_kvgit_using_subcommand resolve" -l lock-timeout -d 'How long to wait for another process\'s write, e.g. 30, 2.5s, 500ms, 1m' -r
complete -c kvgit -n "__fish_kvgit_using_subcommand resolve" -l value -d 'Use this value' -r
complete -c kvgit -n "__fish_kvgit_using_subcommand resolve" -s t -l type -d 'The type of --value [default: the key\'s rule type, else the type of our value]' -r -f -a "string\t''
int\t''
float\t''
bool\t''
json\t''
bytes\t''"
complete -c kvgit -n "__fish_kvgit_using_subcommand resolve" -l strategy -d 'Apply a strategy to the key\'s base, ours and theirs' -r -f -a "conflict\t''
ours\t''
theirs\t''
lww\t''
counter\t''
max\t''
min\t''
union\t''
json\t''"
complete -c kvgit -n "__fish_kvgit_using_subcommand resolve" -l from-file -d 'Read decisions from a file (or - for stdin) in the format \'conflicts --json\' prints' -r
complete -c kvgit -n "__fish_kvgit_using_subcommand resolve" -l record -d 'With -i: write the decisions to F in the --from-file format' -r -F
complete -c kvgit -n "__fish_kvgit_using_subcommand resolve" -l json -d 'Print machine-readable JSON on stdout (see docs/json.md)'
complete -c kvgit -n "__fish_kvgit_using_subcommand resolve" -s q -l quiet -d 'Print only what was asked for'
complete -c kvgit -n "__fish_kvgit_using_subcommand resolve" -l all -d 'Settle every conflict'
complete -c kvgit -n "__fish_kvgit_using_subcommand resolve" -l ours -d 'Take our value'
complete -c kvgit -n "__fish_kvgit_using_subcommand resolve" -l theirs -d 'Take their value'
complete -c kvgit -n "__fish_kvgit_using_subcommand resolve" -l base -d 'Take the base value'
complete -c kvgit -n "__fish_kvgit_using_subcommand resolve" -l delete -d 'Delete the key'
complete -c kvgit -n "__fish_kvgit_using_subcommand resolve" -l list -d 'List the conflicts and whether each is resolved'
complete -c kvgit -n "__fish_kvgit_using_subcommand resolve" -s i -l interactive -d 'Review the conflicts one by one in the terminal'
complete -c kvgit -n "__fish_kvgit_using_subcommand resolve" -l script -d 'With -i: read one answer a line from stdin instead of a terminal (for tests)'
complete -c kvgit -n "__fish_kvgit_using_subcommand resolve" -s h -l help -d 'Print help'
complete -c kvgit -n "__fish_kvgit_using_subcommand check-attr" -s C -d 'Run as if kvgit was started in DIR' -r -F
complete -c kvgit -n "__fish_kvgit_using_subcommand check-attr" -l color -d 'When to colour output' -r -f -a "auto\t''
always\t''
never\t''"
complete -c kvgit -n "__fish_kvgit_using_subcommand check-attr" -l ns -d 'Work inside a namespace: keys are relative to PREFIX/' -r
complete -c kvgit -n "__fish_kvgit_using_subcommand check-attr" -l lock-timeout -d 'How long to wait for another process\'s write, e.g. 30, 2.5s, 500ms, 1m' -r
complete -c kvgit -n "__fish_kvgit_using_subcommand check-attr" -s s -l strategy -d 'Use strategy S for keys matching GLOB (repeatable; the last match wins)' -r
complete -c kvgit -n "__fish_kvgit_using_subcommand check-attr" -s X -l default-strategy -d 'Strategy for keys that no flag or rule decides' -r -f -a "conflict\t''
ours\t''
theirs\t''
lww\t''
counter\t''
max\t''
min\t''
union\t''
json\t''"
complete -c kvgit -n "__fish_kvgit_using_subcommand check-attr" -l force-strategy -d 'Use strategy S for every key, whatever the rules say' -r -f -a "conflict\t''
ours\t''
theirs\t''
lww\t''
counter\t''
max\t''
min\t''
union\t''
json\t''"
complete -c kvgit -n "__fish_kvgit_using_subcommand check-attr" -l json -d 'Print machine-readable JSON on stdout (see docs/json.md)'
complete -c kvgit -n "__fish_kvgit_using_subcommand check-attr" -s q -l quiet -d 'Print only what was asked for'
complete -c kvgit -n "__fish_kvgit_using_subcommand check-attr" -s h -l help -d 'Print help'
complete -c kvgit -n "__fish_kvgit_using_subcommand gc" -s C -d 'Run as if kvgit was started in DIR' -r -F
complete -c kvgit -n "__fish_kvgit_using_subcommand gc" -l color -d 'When to colour output' -r -f -a "auto\t''
always\t''
never\t''"
complete -c kvgit -n "__fish_kvgit_using_subcommand gc" -l ns -d 'Work inside a namespace: keys are relative to PREFIX/' -r
complete -c kvgit -n "__fish_kvgit_using_subcommand gc" -l lock-timeout -d 'How long to wait for another process\'s write, e.g. 30, 2.5s, 500ms, 1m' -r
complete -c kvgit -n "__fish_kvgit_using_subcommand gc" -l prune-older-than -d 'Keep unreachable objects younger than this (e.g. 1h, 30m, 2d, now)' -r
complete -c kvgit -n "__fish_kvgit_using_subcommand gc" -l expire-reflog -d 'Forget reflog entries older than this first (e.g. 90d, now; default: gc.reflog-expire, else never)' -r
complete -c kvgit -n "__fish_kvgit_using_subcommand gc" -l high-water -d 'Evict the coldest keys when the branch\'s live data exceeds this (e.g. 10MiB)' -r
complete -c kvgit -n "__fish_kvgit_using_subcommand gc" -l low-water -d 'Evict down to this much live data [default: 80% of high water]' -r
complete -c kvgit -n "__fish_kvgit_using_subcommand gc" -l protect -d 'Never evict keys matching this glob (repeatable; also gc.protect, rules with gc = "protected", and keys whose last segment starts with __)' -r
complete -c kvgit -n "__fish_kvgit_using_subcommand gc" -l json -d 'Print machine-readable JSON on stdout (see docs/json.md)'
complete -c kvgit -n "__fish_kvgit_using_subcommand gc" -s q -l quiet -d 'Print only what was asked for'
complete -c kvgit -n "__fish_kvgit_using_subcommand gc" -l dry-run -d 'Report what would be removed; change nothing'
complete -c kvgit -n "__fish_kvgit_using_subcommand gc" -s h -l help -d 'Print help'
complete -c kvgit -n "__fish_kvgit_using_subcommand fsck" -s C -d 'Run as if kvgit was started in DIR' -r -F
complete -c kvgit -n "__fish_kvgit_using_subcommand fsck" -l color -d 'When to colour output' -r -f -a "auto\t''
always\t''
never\t''"
complete -c kvgit -n "__fish_kvgit_using_subcommand fsck" -l ns -d 'Work inside a namespace: keys are relative to PREFIX/' -r
complete -c kvgit -n "__fish_kvgit_using_subcommand fsck" -l lock-timeout -d 'How long to wait for another process\'s write, e.g. 30, 2.5s, 500ms, 1m' -r
complete -c kvgit -n "__fish_kvgit_using_subcommand fsck" -l json -d 'Print machine-readable JSON on stdout (see docs/json.md)'
complete -c kvgit -n "__fish_kvgit_using_subcommand fsck" -s q -l quiet -d 'Print only what was asked for'
complete -c kvgit -n "__fish_kvgit_using_subcommand fsck" -s h -l help -d 'Print help'
complete -c kvgit -n "__fish_kvgit_using_subcommand import" -s C -d 'Run as if kvgit was started in DIR' -r -F
complete -c kvgit -n "__fish_kvgit_using_subcommand import" -l color -d 'When to colour output' -r -f -a "auto\t''
always\t''
never\t''"
complete -c kvgit -n "__fish_kvgit_using_subcommand import" -l ns -d 'Work inside a namespace: keys are relative to PREFIX/' -r
complete -c kvgit -n "__fish_kvgit_using_subcommand import" -l lock-timeout -d 'How long to wait for another process\'s write, e.g. 30, 2.5s, 500ms, 1m' -r
complete -c kvgit -n "__fish_kvgit_using_subcommand import" -l format -d 'The input format [default: json for a .json file, else jsonl]' -r -f -a "json\t'One object {key: value}; values get their natural JSON type'
jsonl\t'One {"key", "type", "value"} a line; keeps every type exactly'"
complete -c kvgit -n "__fish_kvgit_using_subcommand import" -s m -l message -d 'The commit message [default: "Import FILE"]' -r
complete -c kvgit -n "__fish_kvgit_using_subcommand import" -l expect-head -d 'Fail (exit 4) unless HEAD is at REV' -r
complete -c kvgit -n "__fish_kvgit_using_subcommand import" -l json -d 'Print machine-readable JSON on stdout (see docs/json.md)'
complete -c kvgit -n "__fish_kvgit_using_subcommand import" -s q -l quiet -d 'Print only what was asked for'
complete -c kvgit -n "__fish_kvgit_using_subcommand import" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kvgit -n "__fish_kvgit_using_subcommand export" -s C -d 'Run as if kvgit was started in DIR' -r -F
complete -c kvgit -n "__fish_kvgit_using_subcommand export" -l color -d 'When to colour output' -r -f -a "auto\t''
always\t''
never\t''"
complete -c kvgit -n "__fish_kvgit_using_subcommand export" -l ns -d 'Work inside a namespace: keys are relative to PREFIX/' -r
complete -c kvgit -n "__fish_kvgit_using_subcommand export" -l lock-timeout -d 'How long to wait for another process\'s write, e.g. 30, 2.5s, 500ms, 1m' -r
complete -c kvgit -n "__fish_kvgit_using_subcommand export" -l format -d 'The output format' -r -f -a "json\t'One object {key: value}; values get their natural JSON type'
jsonl\t'One {"key", "type", "value"} a line; keeps every type exactly'"
complete -c kvgit -n "__fish_kvgit_using_subcommand export" -l json -d 'Print machine-readable JSON on stdout (see docs/json.md)'
complete -c kvgit -n "__fish_kvgit_using_subcommand export" -s q -l quiet -d 'Print only what was asked for'
complete -c kvgit -n "__fish_kvgit_using_subcommand export" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kvgit -n "__fish_kvgit_using_subcommand completions" -s C -d 'Run as if kvgit was started in DIR' -r -F
complete -c kvgit -n "__fish_kvgit_using_subcommand completions" -l color -d 'When to colour output' -r -f -a "auto\t''
always\t''
never\t''"
complete -c kvgit -n "__fish_kvgit_using_subcommand completions" -l ns -d 'Work inside a namespace: keys are relative to PREFIX/' -r
complete -c kvgit -n "__fish_kvgit_using_subcommand completions" -l lock-timeout -d 'How long to wait for another process\'s write, e.g. 30, 2.5s, 500ms, 1m' -r
complete -c kvgit -n "__fish_kvgit_using_subcommand completions" -l json -d 'Print machine-readable JSON on stdout (see docs/json.md)'
complete -c kvgit -n "__fish_kvgit_using_subcommand completions" -s q -l quiet -d 'Print only what was asked for'
complete -c kvgit -n "__fish_kvgit_using_subcommand completions" -s h -l help -d 'Print help'
complete -c kvgit -n "__fish_kvgit_using_subcommand help; and not __fish_seen_subcommand_from init config set get rm incr ls status commit batch reset log show diff branch switch checkout tag reflog merge conflicts resolve check-attr gc fsck import export completions help" -f -a "init" -d 'Create a repository'
complete -c kvgit -n "__fish_kvgit_using_subcommand help; and not __fish_seen_subcommand_from init config set get rm incr ls status commit batch reset log show diff branch switch checkout tag reflog merge conflicts resolve check-attr gc fsck import export completions help" -f -a "config" -d 'Read and write settings'
complete -c kvgit -n "__fish_kvgit_using_subcommand help; and not __fish_seen_subcommand_from init config set get rm incr ls status commit batch reset log show diff branch switch checkout tag reflog merge conflicts resolve check-attr gc fsck import export completions help" -f -a "set" -d 'Stage a value for a key'
complete -c kvgit -n "__fish_kvgit_using_subcommand help; and not __fish_seen_subcommand_from init config set get rm incr ls status commit batch reset log show diff branch switch checkout tag reflog merge conflicts resolve check-attr gc fsck import export completions help" -f -a "get" -d 'Print the value of a key'
complete -c kvgit -n "__fish_kvgit_using_subcommand help; and not __fish_seen_subcommand_from init config set get rm incr ls status commit batch reset log show diff branch switch checkout tag reflog merge conflicts resolve check-attr gc fsck import export completions help" -f -a "rm" -d 'Stage the removal of keys'
complete -c kvgit -n "__fish_kvgit_using_subcommand help; and not __fish_seen_subcommand_from init config set get rm incr ls status commit batch reset log show diff branch switch checkout tag reflog merge conflicts resolve check-attr gc fsck import export completions help" -f -a "incr" -d 'Stage an increment of an int or float key (a missing key starts at 0)'
complete -c kvgit -n "__fish_kvgit_using_subcommand help; and not __fish_seen_subcommand_from init config set get rm incr ls status commit batch reset log show diff branch switch checkout tag reflog merge conflicts resolve check-attr gc fsck import export completions help" -f -a "ls" -d 'List keys'
complete -c kvgit -n "__fish_kvgit_using_subcommand help; and not __fish_seen_subcommand_from init config set get rm incr ls status commit batch reset log show diff branch switch checkout tag reflog merge conflicts resolve check-attr gc fsck import export completions help" -f -a "status" -d 'Show the branch, HEAD and staged changes'
complete -c kvgit -n "__fish_kvgit_using_subcommand help; and not __fish_seen_subcommand_from init config set get rm incr ls status commit batch reset log show diff branch switch checkout tag reflog merge conflicts resolve check-attr gc fsck import export completions help" -f -a "commit" -d 'Commit the staged changes'
complete -c kvgit -n "__fish_kvgit_using_subcommand help; and not __fish_seen_subcommand_from init config set get rm incr ls status commit batch reset log show diff branch switch checkout tag reflog merge conflicts resolve check-attr gc fsck import export completions help" -f -a "batch" -d 'Apply operations from stdin or a file as one commit'
complete -c kvgit -n "__fish_kvgit_using_subcommand help; and not __fish_seen_subcommand_from init config set get rm incr ls status commit batch reset log show diff branch switch checkout tag reflog merge conflicts resolve check-attr gc fsck import export completions help" -f -a "reset" -d 'Unstage keys, or move the current branch'
complete -c kvgit -n "__fish_kvgit_using_subcommand help; and not __fish_seen_subcommand_from init config set get rm incr ls status commit batch reset log show diff branch switch checkout tag reflog merge conflicts resolve check-attr gc fsck import export completions help" -f -a "log" -d 'Show commit history'
complete -c kvgit -n "__fish_kvgit_using_subcommand help; and not __fish_seen_subcommand_from init config set get rm incr ls status commit batch reset log show diff branch switch checkout tag reflog merge conflicts resolve check-attr gc fsck import export completions help" -f -a "show" -d 'Show a commit and its changes'
complete -c kvgit -n "__fish_kvgit_using_subcommand help; and not __fish_seen_subcommand_from init config set get rm incr ls status commit batch reset log show diff branch switch checkout tag reflog merge conflicts resolve check-attr gc fsck import export completions help" -f -a "diff" -d 'Show changed keys between states'
complete -c kvgit -n "__fish_kvgit_using_subcommand help; and not __fish_seen_subcommand_from init config set get rm incr ls status commit batch reset log show diff branch switch checkout tag reflog merge conflicts resolve check-attr gc fsck import export completions help" -f -a "branch" -d 'List, create, delete or rename branches'
complete -c kvgit -n "__fish_kvgit_using_subcommand help; and not __fish_seen_subcommand_from init config set get rm incr ls status commit batch reset log show diff branch switch checkout tag reflog merge conflicts resolve check-attr gc fsck import export completions help" -f -a "switch" -d 'Switch to a branch'
complete -c kvgit -n "__fish_kvgit_using_subcommand help; and not __fish_seen_subcommand_from init config set get rm incr ls status commit batch reset log show diff branch switch checkout tag reflog merge conflicts resolve check-attr gc fsck import export completions help" -f -a "checkout" -d 'Detach HEAD at a revision (or switch to a branch)'
complete -c kvgit -n "__fish_kvgit_using_subcommand help; and not __fish_seen_subcommand_from init config set get rm incr ls status commit batch reset log show diff branch switch checkout tag reflog merge conflicts resolve check-attr gc fsck import export completions help" -f -a "tag" -d 'List, create or delete tags'
complete -c kvgit -n "__fish_kvgit_using_subcommand help; and not __fish_seen_subcommand_from init config set get rm incr ls status commit batch reset log show diff branch switch checkout tag reflog merge conflicts resolve check-attr gc fsck import export completions help" -f -a "reflog" -d 'Show where branch heads and HEAD have been'
complete -c kvgit -n "__fish_kvgit_using_subcommand help; and not __fish_seen_subcommand_from init config set get rm incr ls status commit batch reset log show diff branch switch checkout tag reflog merge conflicts resolve check-attr gc fsck import export completions help" -f -a "merge" -d 'Merge a branch, tag or commit into the current branch'
complete -c kvgit -n "__fish_kvgit_using_subcommand help; and not __fish_seen_subcommand_from init config set get rm incr ls status commit batch reset log show diff branch switch checkout tag reflog merge conflicts resolve check-attr gc fsck import export completions help" -f -a "conflicts" -d 'List the conflicts of the merge in progress'
complete -c kvgit -n "__fish_kvgit_using_subcommand help; and not __fish_seen_subcommand_from init config set get rm incr ls status commit batch reset log show diff branch switch checkout tag reflog merge conflicts resolve check-attr gc fsck import export completions help" -f -a "resolve" -d 'Settle conflicts of the merge in progress'
complete -c kvgit -n "__fish_kvgit_using_subcommand help; and not __fish_seen_subcommand_from init config set get rm incr ls status commit batch reset log show diff branch switch checkout tag reflog merge conflicts resolve check-attr gc fsck import export completions help" -f -a "check-attr" -d 'Show the type, merge strategy and gc class that apply to keys, and why'
complete -c kvgit -n "__fish_kvgit_using_subcommand help; and not __fish_seen_subcommand_from init config set get rm incr ls status commit batch reset log show diff branch switch checkout tag reflog merge conflicts resolve check-attr gc fsck import export completions help" -f -a "gc" -d 'Remove unreachable objects, evict cold keys over high water, compact'
complete -c kvgit -n "__fish_kvgit_using_subcommand help; and not __fish_seen_subcommand_from init config set get rm incr ls status commit batch reset log show diff branch switch checkout tag reflog merge conflicts resolve check-attr gc fsck import export completions help" -f -a "fsck" -d 'Verify the database file and every reachable object and reference'
complete -c kvgit -n "__fish_kvgit_using_subcommand help; and not __fish_seen_subcommand_from init config set get rm incr ls status commit batch reset log show diff branch switch checkout tag reflog merge conflicts resolve check-attr gc fsck import export completions help" -f -a "import" -d 'Load keys from a JSON or JSON Lines file as one commit'
complete -c kvgit -n "__fish_kvgit_using_subcommand help; and not __fish_seen_subcommand_from init config set get rm incr ls status commit batch reset log show diff branch switch checkout tag reflog merge conflicts resolve check-attr gc fsck import export completions help" -f -a "export" -d 'Write keys as JSON Lines or JSON'
complete -c kvgit -n "__fish_kvgit_using_subcommand help; and not __fish_seen_subcommand_from init config set get rm incr ls status commit batch reset log show diff branch switch checkout tag reflog merge conflicts resolve check-attr gc fsck import export completions help" -f -a "completions" -d 'Print a shell completion script'
complete -c kvgit -n "__fish_kvgit_using_subcommand help; and not __fish_seen_subcommand_from init config set get rm incr ls status commit batch reset log show diff branch switch checkout tag reflog merge conflicts resolve check-attr gc fsck import export completions help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
