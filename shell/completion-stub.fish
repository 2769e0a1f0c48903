function _wslgo_complete
    builtin complete -e -c wslgo
    "$_wslgo_bin" completions fish 2>/dev/null | builtin source
    builtin complete -C (builtin commandline -cp)
end
builtin complete -c wslgo -f -a '(_wslgo_complete)'
