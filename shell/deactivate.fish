# The rest of `wslgo deactivate fish`: the hook, the completion and the snippet's functions go.
if builtin functions -q _wslgo_unhook
    _wslgo_unhook
end
builtin complete -e -c wslgo
builtin functions -e _wslgo_complete _wslgo_hook _wslgo_cd _wslgo_refresh _wslgo_unhook _wslgo_now wslgo
set -e _wslgo_bin _wslgo_iv _wslgo_pwd _wslgo_t _wslgo_next _wslgo_first _wslgo_dirty _wslgo_warn _wslgo_live
