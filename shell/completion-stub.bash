_wslgo() {
  \builtin local _wslgo_src
  if _wslgo_src=$(\builtin command "${_wslgo_bin:-wslgo}" completions bash 2>/dev/null) && [[ ${_wslgo_src} == *'_wslgo() {'* ]]; then
    \builtin unset -f _wslgo
    \builtin eval -- "${_wslgo_src}"
    if \builtin declare -F _wslgo >/dev/null; then _wslgo "$@"; fi
  fi
}
if ((BASH_VERSINFO[0] > 4 || (BASH_VERSINFO[0] == 4 && BASH_VERSINFO[1] >= 4))); then
  \builtin complete -F _wslgo -o nosort -o bashdefault -o default wslgo
else
  \builtin complete -F _wslgo -o bashdefault -o default wslgo
fi
