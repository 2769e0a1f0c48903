# shellcheck shell=bash
# Which build of wslgo ships: sourced by scripts/install, scripts/package and scripts/bench, the
# one place that decides it (README "Choices": the static musl build, for the exec floor).
#
#   wslgo_pick_build <who>   sets WSLGO_BUILD_TARGET: the static musl triple of this machine
#                            (the toolchain's host triple with -gnu* made -musl*:
#                            x86_64-unknown-linux-musl, aarch64-unknown-linux-musl, ...), or ""
#                            for the default host build when that target cannot be had; then
#                            WSLGO_BUILD_NOTE holds the one line saying so (<who>: prefixed).
#                            The target is there when the toolchain's sysroot has its std; with
#                            rustup on PATH a missing one is added (`rustup target add`, a
#                            download, once); without rustup, or offline, the fallback.
#   wslgo_release_bin        the release binary of that build: <target dir>[/<triple>]/release/wslgo
#   wslgo_describe_bin <f>   "static, no ELF interpreter" or "dynamic, interpreter <path>"
#
# Environment: WSLGO_MUSL_TRIPLE names the static target instead (the tests name one this
# toolchain lacks, to take the fallback path); WSLGO_CI_NO_MUSL=1 (set by .ci/run when rustup
# could not fetch the target) does not ask rustup again. RUSTC and CARGO_TARGET_DIR as cargo
# reads them.

# The toolchain's host triple, its C library made musl.
wslgo_musl_triple() {
  if [[ -n ${WSLGO_MUSL_TRIPLE-} ]]; then
    printf '%s\n' "$WSLGO_MUSL_TRIPLE"
    return
  fi
  local host
  host=$("${RUSTC:-rustc}" -vV | sed -n 's/^host: //p')
  case $host in
    *-linux-gnu*) printf '%s\n' "${host/-linux-gnu/-linux-musl}" ;;
    *-linux-musl*) printf '%s\n' "$host" ;;
    *) # not Linux, or no rustc: name what the machine would need
      local m
      m=$(uname -m)
      [[ $m == arm64 ]] && m=aarch64
      printf '%s\n' "$m-unknown-linux-musl" ;;
  esac
}

# Whether the toolchain has std for target $1 (what cargo needs to build for it).
wslgo_has_target() {
  local sysroot
  sysroot=$("${RUSTC:-rustc}" --print sysroot 2>/dev/null) || return 1
  compgen -G "$sysroot/lib/rustlib/$1/lib/libstd-*.rlib" >/dev/null
}

wslgo_pick_build() {
  local who=$1 triple why
  triple=$(wslgo_musl_triple)
  WSLGO_BUILD_TARGET=$triple
  WSLGO_BUILD_NOTE=
  wslgo_has_target "$triple" && return 0
  if [[ ${WSLGO_CI_NO_MUSL-} == 1 ]]; then
    why="rustup could not fetch the $triple target (WSLGO_CI_NO_MUSL=1)"
  elif command -v rustup >/dev/null; then
    echo "$who: adding the Rust target $triple for the static build (rustup target add $triple)" >&2
    if rustup target add "$triple" >&2 && wslgo_has_target "$triple"; then
      return 0
    fi
    why="rustup could not add the $triple target"
  else
    why="no $triple target and no rustup to add it"
  fi
  WSLGO_BUILD_TARGET=
  # shellcheck disable=SC2034 # read by the script that sourced this file
  WSLGO_BUILD_NOTE="$who: $why: this is the slower, dynamically linked glibc build (+0.35 ms per refresh); for the static one: rustup target add $triple, then run this again"
}

wslgo_release_bin() {
  local dir=${CARGO_TARGET_DIR:-target}
  [[ -n $WSLGO_BUILD_TARGET ]] && dir+=/$WSLGO_BUILD_TARGET
  printf '%s\n' "$dir/release/wslgo"
}

wslgo_describe_bin() {
  local interp
  interp=$(LC_ALL=C readelf -lW "$1" 2>/dev/null | sed -n 's/.*Requesting program interpreter: \(.*\)]$/\1/p')
  if [[ -n $interp ]]; then
    printf 'dynamic, interpreter %s\n' "$interp"
  elif LC_ALL=C readelf -h "$1" >/dev/null 2>&1; then
    printf 'static, no ELF interpreter\n'
  else
    printf 'not an ELF file readelf can read\n'
  fi
}
