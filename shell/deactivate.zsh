# `wslgo deactivate zsh`: every variable back to its value before wslgo, then the hooks, the
# completion and the snippet's functions go. Typed into another shell, it changes nothing and
# says so in one line (the zsh-only code is in a function body, which bash parses but never runs).
if [[ -z ${ZSH_VERSION-} ]]; then
  \builtin printf '%s\n' 'wslgo: this is zsh code and this shell is not zsh; nothing was changed (in bash: eval "$(wslgo deactivate bash)"; in fish: wslgo deactivate fish | source)' >&2
else
__WSLGO_RESTORE__
_wslgo_deactivate() {
  \builtin emulate -L zsh
  # (_wslgo_compdef and _wslgo_unhook: a shell started by an older wslgo has them.)
  precmd_functions=(${precmd_functions:#_wslgo_(hook|compdef)})
  chpwd_functions=(${chpwd_functions:#_wslgo_chpwd})
  if (( ${+functions[compdef]} )); then compdef -d wslgo 2>/dev/null; fi
  \builtin unfunction _wslgo _wslgo_compdef _wslgo_hook _wslgo_chpwd _wslgo_refresh _wslgo_unhook wslgo 2>/dev/null
  # The completion script's helpers (clap_complete names them _wslgo_commands and
  # _wslgo__*), there once a Tab has loaded it.
  \builtin unfunction -m '_wslgo_commands' '_wslgo__*' 2>/dev/null
  \builtin unset _wslgo_bin _wslgo_iv _wslgo_pwd _wslgo_t _wslgo_first _wslgo_dirty _wslgo_warn _wslgo_live
}
_wslgo_deactivate
\builtin unfunction _wslgo_deactivate
fi
