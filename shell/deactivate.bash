# shellcheck shell=bash
# `wslgo deactivate bash`: every variable back to its value before wslgo, then the hook, the
# completion and the snippet's functions go. Typed into another shell, it changes nothing and
# says so in one line.
if [[ -z ${BASH_VERSION-} ]]; then
  # shellcheck disable=SC2016 # the command shown is for the user to type, unexpanded
  \builtin printf '%s\n' 'wslgo: this is bash code and this shell is not bash; nothing was changed (in zsh: eval "$(wslgo deactivate zsh)"; in fish: wslgo deactivate fish | source)' >&2
else
__WSLGO_RESTORE__
if \builtin declare -F _wslgo_unhook >/dev/null; then _wslgo_unhook; fi
\builtin complete -r wslgo 2>/dev/null
\builtin unset -f _wslgo _wslgo_hook _wslgo_refresh _wslgo_unhook wslgo 2>/dev/null
\builtin unset -v _wslgo_bin _wslgo_iv _wslgo_pwd _wslgo_t _wslgo_first _wslgo_dirty _wslgo_warn
fi
