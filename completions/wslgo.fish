# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_wslgo_global_optspecs
    string join \n h/help V/version
end

function __fish_wslgo_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_wslgo_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_wslgo_using_subcommand
    set -l cmd (__fish_wslgo_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c wslgo -n "__fish_wslgo_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wslgo -n "__fish_wslgo_needs_command" -s V -l version -d 'Print version'
complete -c wslgo -n "__fish_wslgo_needs_command" -f -a "init" -d 'Print the line to eval in your rc file: eval "$(wslgo init zsh)"; fish: wslgo init fish | source'
complete -c wslgo -n "__fish_wslgo_needs_command" -f -a "hook" -d 'Print the code that brings this shell\'s environment up to date (the prompt hook runs it)'
complete -c wslgo -n "__fish_wslgo_needs_command" -f -a "setup" -d 'Add the init line to the right rc file, once (a backup first; says how to undo it)'
complete -c wslgo -n "__fish_wslgo_needs_command" -f -a "env" -d 'Show what wslgo sets in this shell, and why'
complete -c wslgo -n "__fish_wslgo_needs_command" -f -a "doctor" -d 'Check the setup against every known WSL and Go trap; exit 1 when a check fails'
complete -c wslgo -n "__fish_wslgo_needs_command" -f -a "deactivate" -d 'Print the code that puts every variable back as it was before wslgo, and removes the hook'
complete -c wslgo -n "__fish_wslgo_needs_command" -f -a "completions" -d 'Print the completion script for a shell (`wslgo init` already registers it)'
complete -c wslgo -n "__fish_wslgo_needs_command" -f -a "config" -d 'Show where the config file is, write a commented default, check it, or show what applies'
complete -c wslgo -n "__fish_wslgo_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c wslgo -n "__fish_wslgo_using_subcommand init" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wslgo -n "__fish_wslgo_using_subcommand hook" -l login -d 'The shell is a login shell (it decides which startup files count as read)'
complete -c wslgo -n "__fish_wslgo_using_subcommand hook" -l first -d 'This is the session\'s first refresh (a cd, or the first interval after the shell started, never the first prompt itself): also check the startup files'
complete -c wslgo -n "__fish_wslgo_using_subcommand hook" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wslgo -n "__fish_wslgo_using_subcommand setup" -l dry-run -d 'Say what would change, change nothing'
complete -c wslgo -n "__fish_wslgo_using_subcommand setup" -s h -l help -d 'Print help'
complete -c wslgo -n "__fish_wslgo_using_subcommand env" -l color -d 'When to colour the output (auto: on a terminal, unless NO_COLOR is set)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c wslgo -n "__fish_wslgo_using_subcommand env" -l all -d 'List every variable wslgo manages, also those it leaves alone'
complete -c wslgo -n "__fish_wslgo_using_subcommand env" -l json -d 'Print everything as JSON (for scripts; always complete)'
complete -c wslgo -n "__fish_wslgo_using_subcommand env" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wslgo -n "__fish_wslgo_using_subcommand doctor" -l color -d 'When to colour the output (auto: on a terminal, unless NO_COLOR is set)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c wslgo -n "__fish_wslgo_using_subcommand doctor" -l json -d 'Print the checks as JSON (for scripts)'
complete -c wslgo -n "__fish_wslgo_using_subcommand doctor" -s h -l help -d 'Print help'
complete -c wslgo -n "__fish_wslgo_using_subcommand deactivate" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wslgo -n "__fish_wslgo_using_subcommand completions" -s h -l help -d 'Print help'
complete -c wslgo -n "__fish_wslgo_using_subcommand config; and not __fish_seen_subcommand_from path init check show help" -s h -l help -d 'Print help'
complete -c wslgo -n "__fish_wslgo_using_subcommand config; and not __fish_seen_subcommand_from path init check show help" -f -a "path" -d 'Print where the config file is (or would be): WSLGO_CONFIG, else $XDG_CONFIG_HOME/wslgo/config.toml'
complete -c wslgo -n "__fish_wslgo_using_subcommand config; and not __fish_seen_subcommand_from path init check show help" -f -a "init" -d 'Write the commented default config there (an existing file is kept)'
complete -c wslgo -n "__fish_wslgo_using_subcommand config; and not __fish_seen_subcommand_from path init check show help" -f -a "check" -d 'Check the config file: every problem with its line and column; exit 1 when there is one'
complete -c wslgo -n "__fish_wslgo_using_subcommand config; and not __fish_seen_subcommand_from path init check show help" -f -a "show" -d 'Print every key with its value in force, and what each `auto` gives in this shell now'
complete -c wslgo -n "__fish_wslgo_using_subcommand config; and not __fish_seen_subcommand_from path init check show help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c wslgo -n "__fish_wslgo_using_subcommand config; and __fish_seen_subcommand_from path" -s h -l help -d 'Print help'
complete -c wslgo -n "__fish_wslgo_using_subcommand config; and __fish_seen_subcommand_from init" -l force -d 'Overwrite an existing file'
complete -c wslgo -n "__fish_wslgo_using_subcommand config; and __fish_seen_subcommand_from init" -s h -l help -d 'Print help'
complete -c wslgo -n "__fish_wslgo_using_subcommand config; and __fish_seen_subcommand_from check" -s h -l help -d 'Print help'
complete -c wslgo -n "__fish_wslgo_using_subcommand config; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help'
complete -c wslgo -n "__fish_wslgo_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "path" -d 'Print where the config file is (or would be): WSLGO_CONFIG, else $XDG_CONFIG_HOME/wslgo/config.toml'
complete -c wslgo -n "__fish_wslgo_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "init" -d 'Write the commented default config there (an existing file is kept)'
complete -c wslgo -n "__fish_wslgo_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "check" -d 'Check the config file: every problem with its line and column; exit 1 when there is one'
complete -c wslgo -n "__fish_wslgo_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "show" -d 'Print every key with its value in force, and what each `auto` gives in this shell now'
complete -c wslgo -n "__fish_wslgo_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c wslgo -n "__fish_wslgo_using_subcommand help; and not __fish_seen_subcommand_from init hook setup env doctor deactivate completions config help" -f -a "init" -d 'Print the line to eval in your rc file: eval "$(wslgo init zsh)"; fish: wslgo init fish | source'
complete -c wslgo -n "__fish_wslgo_using_subcommand help; and not __fish_seen_subcommand_from init hook setup env doctor deactivate completions config help" -f -a "hook" -d 'Print the code that brings this shell\'s environment up to date (the prompt hook runs it)'
complete -c wslgo -n "__fish_wslgo_using_subcommand help; and not __fish_seen_subcommand_from init hook setup env doctor deactivate completions config help" -f -a "setup" -d 'Add the init line to the right rc file, once (a backup first; says how to undo it)'
complete -c wslgo -n "__fish_wslgo_using_subcommand help; and not __fish_seen_subcommand_from init hook setup env doctor deactivate completions config help" -f -a "env" -d 'Show what wslgo sets in this shell, and why'
complete -c wslgo -n "__fish_wslgo_using_subcommand help; and not __fish_seen_subcommand_from init hook setup env doctor deactivate completions config help" -f -a "doctor" -d 'Check the setup against every known WSL and Go trap; exit 1 when a check fails'
complete -c wslgo -n "__fish_wslgo_using_subcommand help; and not __fish_seen_subcommand_from init hook setup env doctor deactivate completions config help" -f -a "deactivate" -d 'Print the code that puts every variable back as it was before wslgo, and removes the hook'
complete -c wslgo -n "__fish_wslgo_using_subcommand help; and not __fish_seen_subcommand_from init hook setup env doctor deactivate completions config help" -f -a "completions" -d 'Print the completion script for a shell (`wslgo init` already registers it)'
complete -c wslgo -n "__fish_wslgo_using_subcommand help; and not __fish_seen_subcommand_from init hook setup env doctor deactivate completions config help" -f -a "config" -d 'Show where the config file is, write a commented default, check it, or show what applies'
complete -c wslgo -n "__fish_wslgo_using_subcommand help; and not __fish_seen_subcommand_from init hook setup env doctor deactivate completions config help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c wslgo -n "__fish_wslgo_using_subcommand help; and __fish_seen_subcommand_from config" -f -a "path" -d 'Print where the config file is (or would be): WSLGO_CONFIG, else $XDG_CONFIG_HOME/wslgo/config.toml'
complete -c wslgo -n "__fish_wslgo_using_subcommand help; and __fish_seen_subcommand_from config" -f -a "init" -d 'Write the commented default config there (an existing file is kept)'
complete -c wslgo -n "__fish_wslgo_using_subcommand help; and __fish_seen_subcommand_from config" -f -a "check" -d 'Check the config file: every problem with its line and column; exit 1 when there is one'
complete -c wslgo -n "__fish_wslgo_using_subcommand help; and __fish_seen_subcommand_from config" -f -a "show" -d 'Print every key with its value in force, and what each `auto` gives in this shell now'
# Values of positional arguments (added by wslgo: clap_complete's fish script has none)
complete -c wslgo -n "__fish_wslgo_using_subcommand init; and not __fish_seen_subcommand_from bash zsh fish" -f -a "bash\t''
zsh\t''
fish\t''"
complete -c wslgo -n "__fish_wslgo_using_subcommand hook; and not __fish_seen_subcommand_from bash zsh fish" -f -a "bash\t''
zsh\t''
fish\t''"
complete -c wslgo -n "__fish_wslgo_using_subcommand setup; and not __fish_seen_subcommand_from bash zsh fish" -f -a "bash\t''
zsh\t''
fish\t''"
complete -c wslgo -n "__fish_wslgo_using_subcommand deactivate; and not __fish_seen_subcommand_from bash zsh fish" -f -a "bash\t''
zsh\t''
fish\t''"
complete -c wslgo -n "__fish_wslgo_using_subcommand completions; and not __fish_seen_subcommand_from bash zsh fish" -f -a "bash\t''
zsh\t''
fish\t''"
