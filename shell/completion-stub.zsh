_wslgo() {
  local _wslgo_src
  _wslgo_src=$(\builtin command "${_wslgo_bin:-wslgo}" completions zsh 2>/dev/null) || return 1
  [[ $_wslgo_src == *'_wslgo() {'* ]] || return 1
  \builtin unfunction _wslgo
  \builtin eval -- "${_wslgo_src%%$'\n'if \[ \"\$funcstack\[1\]\" = *}"
  if (( ${+functions[_wslgo]} )); then _wslgo "$@"; fi
}
_wslgo_compdef() {
  \builtin emulate -L zsh
  precmd_functions=(${precmd_functions:#_wslgo_compdef})
  if (( ${+functions[compdef]} )); then compdef _wslgo wslgo; fi
}
if (( ${+functions[compdef]} )); then compdef _wslgo wslgo; fi
() {
  \builtin emulate -L zsh
  \builtin typeset -ga precmd_functions
  if (( ! ${precmd_functions[(Ie)_wslgo_compdef]} )); then
    precmd_functions+=(_wslgo_compdef)
  fi
}
