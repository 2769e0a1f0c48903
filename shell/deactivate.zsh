# The rest of `wslgo deactivate zsh`: the hook and the snippet's functions go.
if (( ${+functions[_wslgo_unhook]} )); then _wslgo_unhook; fi
\builtin unfunction _wslgo_hook _wslgo_refresh _wslgo_unhook wslgo 2>/dev/null
\builtin unset _wslgo_bin _wslgo_iv _wslgo_pwd _wslgo_t _wslgo_first _wslgo_dirty
