true 'x\' ; printf "%s\n" "wslgo: this is fish code and this shell is not fish; nothing was changed (in bash or zsh: eval \"\$(wslgo deactivate bash)\" or zsh)" >&2 ; # '
true (true)
# `wslgo deactivate fish`: every variable back to its value before wslgo, then the hooks, the
# completion and the snippet's functions go. The two lines above are a guard for the wrong
# shell: fish reads them as `true` with a string argument and `true`; bash and zsh print the
# message of the first line and stop at the second (a syntax error to bash, a bad glob to zsh)
# before anything else runs.
__WSLGO_RESTORE__
# (No `if` block here: zsh parses all of an eval before it runs any, and would stop at `end`
# before printing the guard's message.)
# (_wslgo_unhook, _wslgo_now, _wslgo_iv, _wslgo_pwd, _wslgo_t and _wslgo_next: a shell started
# by an older wslgo has them.)
builtin functions -q _wslgo_unhook; and _wslgo_unhook
builtin complete -e -c wslgo
builtin functions -e _wslgo_complete _wslgo_start _wslgo_hook _wslgo_cd _wslgo_refresh _wslgo_unhook _wslgo_now wslgo
# The completion script's helpers (clap_complete names them __fish_wslgo_*), there once a Tab
# has loaded it.
builtin functions -e (builtin functions -a | builtin string match '__fish_wslgo_*')
# The snippet's variables, those of older snippets too: `set -e` returns 4 for a name that is not
# there, and the status of this line is what `wslgo deactivate fish | source` leaves (a prompt
# that shows it would say deactivate failed), so a missing name is no failure.
set -e _wslgo_bin _wslgo_last _wslgo_iv _wslgo_pwd _wslgo_t _wslgo_next _wslgo_first _wslgo_login _wslgo_dirty _wslgo_warn _wslgo_live
or true
