# The rest of `wslgo deactivate zsh`: the hooks, the completion and the snippet's functions go.
() {
  \builtin emulate -L zsh
  if (( ${+functions[_wslgo_unhook]} )); then _wslgo_unhook; fi
  precmd_functions=(${precmd_functions:#_wslgo_compdef})
  chpwd_functions=(${chpwd_functions:#_wslgo_chpwd})
  if (( ${+functions[compdef]} )); then compdef -d wslgo 2>/dev/null; fi
  \builtin unfunction _wslgo _wslgo_compdef _wslgo_hook _wslgo_chpwd _wslgo_refresh _wslgo_unhook wslgo 2>/dev/null
  \builtin unset _wslgo_bin _wslgo_iv _wslgo_pwd _wslgo_t _wslgo_first _wslgo_dirty _wslgo_warn _wslgo_live
}
