# How `wslgo init zsh` loads its functions from their file instead of printing them (what
# src/cmd/zshfile.rs writes; comment lines are left out at build time, build.rs).
#
# Why: zsh parses every byte of an eval'd snippet at each shell start, and the functions are
# most of it (~0.2 ms of CPU here: more than the rest of the snippet). A file can be compiled
# once with zcompile; zsh's `source` then loads the word code from `<file>.zwc` (when it is not
# older than the file) instead of parsing the text.
#
# init checks the file before printing this: in wslgo's own cache directory (this user's,
# closed to others), this user's, and holding exactly the functions of this build (its name
# holds their hash). The source line is the file's only use; if it fails (the file went away:
# a tmpfs cleared at boot, an upgrade that removed an old one, output saved to a file and
# sourced later), the snippet asks the binary for the plain text version instead, so the shell
# never ends up with hooks whose functions are missing.
#
# Four pieces, each ended by a line __WSLGO_END__: the opening, what compiles the file when it
# has no compiled form yet (once: zcompile under zsh's own options, -U so no alias of the
# user's is baked in, into a name of its own, then renamed over, so a shell starting at the
# same moment never reads half a .zwc), the close with the fallback, and (after the opening,
# when a compiled form is there) the check of its zsh version: zsh ignores a .zwc that
# another version wrote (a zsh upgrade) and parses the text at every start; this removes it,
# so the next start compiles it again.
if \builtin source -- __WSLGO_FILE__ 2>/dev/null; then
__WSLGO_END__
() {
  \builtin emulate -L zsh
  \builtin local _wslgo_tmp=$1.$$.zwc
  if \builtin zcompile -UR -- $_wslgo_tmp $1 2>/dev/null; then
    \builtin command mv -f -- $_wslgo_tmp $1.zwc 2>/dev/null || \builtin command rm -f -- $_wslgo_tmp 2>/dev/null
  fi
} __WSLGO_FILE__
__WSLGO_END__
else
  \builtin eval -- "$("$_wslgo_bin" init zsh --inline 2>/dev/null)"
fi
__WSLGO_END__
[[ $ZSH_VERSION == __WSLGO_ZVER__ ]] || \builtin command rm -f -- __WSLGO_FILE__.zwc 2>/dev/null
__WSLGO_END__
