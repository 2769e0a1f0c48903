# The rest of `wslgo deactivate zsh`: the hook, the completion and the snippet's functions go.
() {
  emulate -L zsh
  if (( ${+functions[_wslgo_unhook]} )); then _wslgo_unhook; fi
  precmd_functions=(${precmd_functions:#_wslgo_compdef})
  if (( ${+functions[compdef]} )); then compdef -d wslgo 2>/dev/null; fi
  unfunction _wslgo _wslgo_compdef _wslgo_hook _wslgo_refresh _wslgo_unhook wslgo 2>/dev/null
  unset _wslgo_bin _wslgo_iv _wslgo_pwd _wslgo_t _wslgo_first _wslgo_dirty
}
