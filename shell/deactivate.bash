# shellcheck shell=bash
# The rest of `wslgo deactivate bash`: the hook, the completion and the snippet's functions go.
if \builtin declare -F _wslgo_unhook >/dev/null; then _wslgo_unhook; fi
\builtin complete -r wslgo 2>/dev/null
\builtin unset -f _wslgo _wslgo_hook _wslgo_refresh _wslgo_unhook wslgo 2>/dev/null
\builtin unset -v _wslgo_bin _wslgo_iv _wslgo_pwd _wslgo_t _wslgo_first _wslgo_dirty _wslgo_warn
