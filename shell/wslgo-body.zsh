# The functions of wslgo's zsh snippet: the part of `wslgo init zsh`'s output that is the same
# at every shell start (shell/wslgo.zsh has the rest). init prints it in place of
# __WSLGO_BODY__ there, or keeps it in a file that the snippet sources (shell/wslgo-load.zsh).
# Comment lines are left out at build time (build.rs).

# Runs the binary and applies what it prints. The output is applied only when the binary
# finished: Ctrl-C or a crash leaves the environment as it was.
_wslgo_refresh() {
  \builtin emulate -L zsh
  if [[ ! -x $_wslgo_bin ]]; then
    \builtin printf 'wslgo: %s is gone; the prompt hook removed itself (delete the wslgo line from ~/.zshrc, or reinstall)\n' "$_wslgo_bin" >&2
    precmd_functions=(${precmd_functions:#_wslgo_hook})
    chpwd_functions=(${chpwd_functions:#_wslgo_chpwd})
    # Nothing may keep pointing at the old path: `wslgo` is again whatever PATH finds.
    if (( ${+functions[compdef]} )); then compdef -d wslgo 2>/dev/null; fi
    \builtin unfunction wslgo _wslgo 2>/dev/null
    \builtin return 0
  fi
  \builtin local _wslgo_out _wslgo_login=
  if [[ -o login ]]; then _wslgo_login=--login; fi
  _wslgo_pwd=$PWD
  _wslgo_t=$SECONDS
  _wslgo_dirty=
  # The session's first refresh (a cd or the interval after start, never the first prompt
  # itself: shell start costs one process) also runs the one-off startup-file checks, when the
  # rc files have long finished. (Under `emulate -L zsh` an empty unquoted word is no argument.)
  if _wslgo_out=$("$_wslgo_bin" hook zsh $_wslgo_login ${_wslgo_first:+--first}); then
    _wslgo_first=
    \builtin eval -- "$_wslgo_out"
  fi
  \builtin return 0
}

# The prompt hook. At the first prompt (the rc file has finished): prints the warnings init
# kept (init itself prints nothing while the rc file runs: a powerlevel10k instant prompt stays
# clean) and registers the completion stub if compinit has run (wslgo never runs compinit
# itself). Then refreshes when the directory changed, after `hook.interval_secs`, or after a
# `wslgo config` command. zsh keeps $? for the prompt by itself.
_wslgo_hook() {
  \builtin emulate -L zsh
  if [[ -z $_wslgo_live ]]; then
    _wslgo_live=1
    if [[ -n $_wslgo_warn ]]; then
      \builtin printf '%s' "$_wslgo_warn" >&2
      _wslgo_warn=
    fi
    if (( ${+functions[compdef]} )); then compdef _wslgo wslgo; fi
  fi
  if [[ ${WSLGO_DISABLE-} != 1 ]]; then
    if [[ $PWD != "$_wslgo_pwd" || -n $_wslgo_dirty ]] || ((SECONDS - _wslgo_t >= _wslgo_iv || SECONDS < _wslgo_t)); then
      _wslgo_refresh
    fi
  fi
}

# A `cd` refreshes at once, so `cd mod && go build` already runs the module's SDK. Not in a
# subshell (`$(cd dir && pwd)` changes nothing here) and not while the rc files still run.
_wslgo_chpwd() {
  \builtin emulate -L zsh
  if [[ -n $_wslgo_live && ${WSLGO_DISABLE-} != 1 && $PWD != "$_wslgo_pwd" ]] && ((ZSH_SUBSHELL == 0)); then
    _wslgo_refresh
  fi
}

# `wslgo config ...` refreshes at the next prompt. (The one function not named _wslgo*: it
# stands for the command itself.)
wslgo() {
  if [[ ${1-} == config ]]; then _wslgo_dirty=1; fi
  "$_wslgo_bin" "$@"
}

# Completions: this stub (shell/completion-stub.zsh) loads clap_complete's _wslgo
# (completions/_wslgo) at the first Tab. _wslgo_hook registers it at the first prompt, the
# first moment a Tab can come: the rc file has finished then, whether it ran compinit before
# or after the init line (a compinit after it would start a fresh table). Registering here as
# well would only run compdef twice. (The stubs hold no comments: init prints them as they
# are.)
__WSLGO_COMPLETIONS__
