_wslgo() {
  \builtin local _wslgo_src
  _wslgo_src=$(\builtin command "${_wslgo_bin:-wslgo}" completions zsh 2>/dev/null) || \builtin return 1
  [[ $_wslgo_src == *'_wslgo() {'* ]] || \builtin return 1
  \builtin unfunction _wslgo
  \builtin eval -- "${_wslgo_src%%$'\n'if \[ \"\$funcstack\[1\]\" = *}"
  if (( ${+functions[_wslgo]} )); then _wslgo "$@"; fi
}
