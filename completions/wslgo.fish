# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_wslgo_global_optspecs
    string join \n color= h/help V/version
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

complete -c wslgo -n "__fish_wslgo_needs_command" -l color -d 'When to use colour (NO_COLOR is respected)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c wslgo -n "__fish_wslgo_needs_command" -s h -l help -d 'Print help'
complete -c wslgo -n "__fish_wslgo_needs_command" -s V -l version -d 'Print version'
complete -c wslgo -n "__fish_wslgo_needs_command" -f -a "init" -d 'Print the snippet for the rc file: eval "$(wslgo init zsh)", or in fish: wslgo init fish | source'
complete -c wslgo -n "__fish_wslgo_needs_command" -f -a "hook" -d 'Print the shell code that moves the current environment to the desired one'
complete -c wslgo -n "__fish_wslgo_needs_command" -f -a "setup" -d 'Add the init line to the right rc file, once (a backup first; says how to undo it)'
complete -c wslgo -n "__fish_wslgo_needs_command" -f -a "env" -d 'Show the desired environment and why'
complete -c wslgo -n "__fish_wslgo_needs_command" -f -a "doctor" -d 'Check the setup against every known WSL + Go trap; exit 1 when any check fails'
complete -c wslgo -n "__fish_wslgo_needs_command" -f -a "deactivate" -d 'Print code that restores every variable to its value before wslgo, and removes the hook'
complete -c wslgo -n "__fish_wslgo_needs_command" -f -a "completions" -d 'Print the completion script for a shell (the same files are under completions/)'
complete -c wslgo -n "__fish_wslgo_needs_command" -f -a "config" -d 'Where the config is, write a default, validate it, print the effective config'
complete -c wslgo -n "__fish_wslgo_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c wslgo -n "__fish_wslgo_using_subcommand init" -l color -d 'When to use colour (NO_COLOR is respected)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c wslgo -n "__fish_wslgo_using_subcommand init" -s h -l help -d 'Print help'
complete -c wslgo -n "__fish_wslgo_using_subcommand init" -s V -l version -d 'Print version'
complete -c wslgo -n "__fish_wslgo_using_subcommand hook" -l color -d 'When to use colour (NO_COLOR is respected)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c wslgo -n "__fish_wslgo_using_subcommand hook" -l login -d 'The shell is a login shell (the snippet passes this)'
complete -c wslgo -n "__fish_wslgo_using_subcommand hook" -l first -d 'The first prompt of the session: run the one-off startup checks'
complete -c wslgo -n "__fish_wslgo_using_subcommand hook" -s h -l help -d 'Print help'
complete -c wslgo -n "__fish_wslgo_using_subcommand hook" -s V -l version -d 'Print version'
complete -c wslgo -n "__fish_wslgo_using_subcommand setup" -l color -d 'When to use colour (NO_COLOR is respected)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c wslgo -n "__fish_wslgo_using_subcommand setup" -l dry-run -d 'Say what would change, change nothing'
complete -c wslgo -n "__fish_wslgo_using_subcommand setup" -s h -l help -d 'Print help'
complete -c wslgo -n "__fish_wslgo_using_subcommand setup" -s V -l version -d 'Print version'
complete -c wslgo -n "__fish_wslgo_using_subcommand env" -l color -d 'When to use colour (NO_COLOR is respected)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c wslgo -n "__fish_wslgo_using_subcommand env" -l json -d 'Print JSON (SPEC 7)'
complete -c wslgo -n "__fish_wslgo_using_subcommand env" -s h -l help -d 'Print help'
complete -c wslgo -n "__fish_wslgo_using_subcommand env" -s V -l version -d 'Print version'
complete -c wslgo -n "__fish_wslgo_using_subcommand doctor" -l color -d 'When to use colour (NO_COLOR is respected)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c wslgo -n "__fish_wslgo_using_subcommand doctor" -l json -d 'Print JSON (SPEC 7)'
complete -c wslgo -n "__fish_wslgo_using_subcommand doctor" -s h -l help -d 'Print help'
complete -c wslgo -n "__fish_wslgo_using_subcommand doctor" -s V -l version -d 'Print version'
complete -c wslgo -n "__fish_wslgo_using_subcommand deactivate" -l color -d 'When to use colour (NO_COLOR is respected)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c wslgo -n "__fish_wslgo_using_subcommand deactivate" -s h -l help -d 'Print help'
complete -c wslgo -n "__fish_wslgo_using_subcommand deactivate" -s V -l version -d 'Print version'
complete -c wslgo -n "__fish_wslgo_using_subcommand completions" -l color -d 'When to use colour (NO_COLOR is respected)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c wslgo -n "__fish_wslgo_using_subcommand completions" -s h -l help -d 'Print help'
complete -c wslgo -n "__fish_wslgo_using_subcommand completions" -s V -l version -d 'Print version'
complete -c wslgo -n "__fish_wslgo_using_subcommand config; and not __fish_seen_subcommand_from path init check show help" -l color -d 'When to use colour (NO_COLOR is respected)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c wslgo -n "__fish_wslgo_using_subcommand config; and not __fish_seen_subcommand_from path init check show help" -s h -l help -d 'Print help'
complete -c wslgo -n "__fish_wslgo_using_subcommand config; and not __fish_seen_subcommand_from path init check show help" -s V -l version -d 'Print version'
complete -c wslgo -n "__fish_wslgo_using_subcommand config; and not __fish_seen_subcommand_from path init check show help" -f -a "path" -d 'Print where the config file is (or would be)'
complete -c wslgo -n "__fish_wslgo_using_subcommand config; and not __fish_seen_subcommand_from path init check show help" -f -a "init" -d 'Write the commented default config (refuses to overwrite)'
complete -c wslgo -n "__fish_wslgo_using_subcommand config; and not __fish_seen_subcommand_from path init check show help" -f -a "check" -d 'Validate the config file; exit 1 when it has problems'
complete -c wslgo -n "__fish_wslgo_using_subcommand config; and not __fish_seen_subcommand_from path init check show help" -f -a "show" -d 'Print the effective config (the file over the defaults) as TOML'
complete -c wslgo -n "__fish_wslgo_using_subcommand config; and not __fish_seen_subcommand_from path init check show help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c wslgo -n "__fish_wslgo_using_subcommand config; and __fish_seen_subcommand_from path" -l color -d 'When to use colour (NO_COLOR is respected)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c wslgo -n "__fish_wslgo_using_subcommand config; and __fish_seen_subcommand_from path" -s h -l help -d 'Print help'
complete -c wslgo -n "__fish_wslgo_using_subcommand config; and __fish_seen_subcommand_from path" -s V -l version -d 'Print version'
complete -c wslgo -n "__fish_wslgo_using_subcommand config; and __fish_seen_subcommand_from init" -l color -d 'When to use colour (NO_COLOR is respected)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c wslgo -n "__fish_wslgo_using_subcommand config; and __fish_seen_subcommand_from init" -l force -d 'Overwrite an existing file'
complete -c wslgo -n "__fish_wslgo_using_subcommand config; and __fish_seen_subcommand_from init" -s h -l help -d 'Print help'
complete -c wslgo -n "__fish_wslgo_using_subcommand config; and __fish_seen_subcommand_from init" -s V -l version -d 'Print version'
complete -c wslgo -n "__fish_wslgo_using_subcommand config; and __fish_seen_subcommand_from check" -l color -d 'When to use colour (NO_COLOR is respected)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c wslgo -n "__fish_wslgo_using_subcommand config; and __fish_seen_subcommand_from check" -s h -l help -d 'Print help'
complete -c wslgo -n "__fish_wslgo_using_subcommand config; and __fish_seen_subcommand_from check" -s V -l version -d 'Print version'
complete -c wslgo -n "__fish_wslgo_using_subcommand config; and __fish_seen_subcommand_from show" -l color -d 'When to use colour (NO_COLOR is respected)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c wslgo -n "__fish_wslgo_using_subcommand config; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help'
complete -c wslgo -n "__fish_wslgo_using_subcommand config; and __fish_seen_subcommand_from show" -s V -l version -d 'Print version'
complete -c wslgo -n "__fish_wslgo_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "path" -d 'Print where the config file is (or would be)'
complete -c wslgo -n "__fish_wslgo_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "init" -d 'Write the commented default config (refuses to overwrite)'
complete -c wslgo -n "__fish_wslgo_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "check" -d 'Validate the config file; exit 1 when it has problems'
complete -c wslgo -n "__fish_wslgo_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "show" -d 'Print the effective config (the file over the defaults) as TOML'
complete -c wslgo -n "__fish_wslgo_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c wslgo -n "__fish_wslgo_using_subcommand help; and not __fish_seen_subcommand_from init hook setup env doctor deactivate completions config help" -f -a "init" -d 'Print the snippet for the rc file: eval "$(wslgo init zsh)", or in fish: wslgo init fish | source'
complete -c wslgo -n "__fish_wslgo_using_subcommand help; and not __fish_seen_subcommand_from init hook setup env doctor deactivate completions config help" -f -a "hook" -d 'Print the shell code that moves the current environment to the desired one'
complete -c wslgo -n "__fish_wslgo_using_subcommand help; and not __fish_seen_subcommand_from init hook setup env doctor deactivate completions config help" -f -a "setup" -d 'Add the init line to the right rc file, once (a backup first; says how to undo it)'
complete -c wslgo -n "__fish_wslgo_using_subcommand help; and not __fish_seen_subcommand_from init hook setup env doctor deactivate completions config help" -f -a "env" -d 'Show the desired environment and why'
complete -c wslgo -n "__fish_wslgo_using_subcommand help; and not __fish_seen_subcommand_from init hook setup env doctor deactivate completions config help" -f -a "doctor" -d 'Check the setup against every known WSL + Go trap; exit 1 when any check fails'
complete -c wslgo -n "__fish_wslgo_using_subcommand help; and not __fish_seen_subcommand_from init hook setup env doctor deactivate completions config help" -f -a "deactivate" -d 'Print code that restores every variable to its value before wslgo, and removes the hook'
complete -c wslgo -n "__fish_wslgo_using_subcommand help; and not __fish_seen_subcommand_from init hook setup env doctor deactivate completions config help" -f -a "completions" -d 'Print the completion script for a shell (the same files are under completions/)'
complete -c wslgo -n "__fish_wslgo_using_subcommand help; and not __fish_seen_subcommand_from init hook setup env doctor deactivate completions config help" -f -a "config" -d 'Where the config is, write a default, validate it, print the effective config'
complete -c wslgo -n "__fish_wslgo_using_subcommand help; and not __fish_seen_subcommand_from init hook setup env doctor deactivate completions config help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c wslgo -n "__fish_wslgo_using_subcommand help; and __fish_seen_subcommand_from config" -f -a "path" -d 'Print where the config file is (or would be)'
complete -c wslgo -n "__fish_wslgo_using_subcommand help; and __fish_seen_subcommand_from config" -f -a "init" -d 'Write the commented default config (refuses to overwrite)'
complete -c wslgo -n "__fish_wslgo_using_subcommand help; and __fish_seen_subcommand_from config" -f -a "check" -d 'Validate the config file; exit 1 when it has problems'
complete -c wslgo -n "__fish_wslgo_using_subcommand help; and __fish_seen_subcommand_from config" -f -a "show" -d 'Print the effective config (the file over the defaults) as TOML'
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
