use super::expand::*;
use super::files::*;
use super::lex::heredoc_terms;
use super::profile::*;
use crate::sysroot::read_script;
use std::path::Path;

/// A made-up world: HOME=/h, and these directories exist.
struct W(Vec<&'static str>);
impl World for W {
    fn lookup(&self, name: &str) -> Lookup {
        match name {
            "HOME" => Lookup::Known("/h".into()),
            "LANG" => Lookup::Known("C.UTF-8".into()),
            _ => Lookup::Unset,
        }
    }
    fn is_dir(&self, p: &Path) -> bool {
        self.0.iter().any(|d| Path::new(d) == p)
    }
    fn is_file(&self, _: &Path) -> bool {
        false
    }
}

fn dirs(s: &Settings) -> Vec<&str> {
    s.path.iter().map(|p| p.dir.as_str()).collect()
}

fn vars(s: &Settings) -> Vec<(&str, &str)> {
    s.vars.iter().map(|v| (v.name.as_str(), v.value.as_str())).collect()
}

/// Ubuntu's /etc/skel/.profile (shared with the real-shell tests).
const UBUNTU: &str = include_str!("../../../tests/fixtures/ubuntu.profile");

#[test]
fn ubuntu_guards_follow_the_directories() {
    assert!(dirs(&profile_settings(UBUNTU, &W(vec![]))).is_empty());
    assert_eq!(dirs(&profile_settings(UBUNTU, &W(vec!["/h/bin"]))), ["/h/bin"]);
    let both = profile_settings(UBUNTU, &W(vec!["/h/bin", "/h/.local/bin"]));
    assert_eq!(dirs(&both), ["/h/bin", "/h/.local/bin"]);
    assert_eq!(both.path[1].written, "$HOME/.local/bin");
}

#[test]
fn exports_in_their_forms() {
    let t = "export GOPATH=~/work\nEDITOR=vim; export EDITOR\nexport A=1 B=\"$A-x\"\nexport PATH=$PATH:$GOPATH/bin\n\
             declare -x D=${XDG_X:-$HOME/d}\nLOCAL=1\nexport LANG2=$LANG\nexport UNKNOWN=$NOPE\nexport S='$HOME'\n";
    let s = profile_settings(t, &W(vec![]));
    assert_eq!(
        vars(&s),
        [
            ("GOPATH", "/h/work"),
            ("EDITOR", "vim"),
            ("A", "1"),
            ("B", "1-x"),
            ("D", "/h/d"),
            ("LANG2", "C.UTF-8")
        ]
    );
    assert_eq!(dirs(&s), ["/h/work/bin"]);
}

#[test]
fn one_line_guards_and_else() {
    let t = "[ -d \"$HOME/a\" ] && PATH=\"$HOME/a:$PATH\"\n[ -d /nope ] && PATH=/nope:$PATH\n\
             [ -d /nope ] || export X=1\ncommand -v go >/dev/null && export Y=1\n\
             if [ -d /nope ]; then export Z=1; else export E=1; fi\n\
             if [ -d /h/a ] && [ -d /nope ]; then export Q=1; fi\n";
    let s = profile_settings(t, &W(vec!["/h/a"]));
    assert_eq!(dirs(&s), ["/h/a"]);
    assert_eq!(vars(&s), [("X", "1"), ("E", "1")]);
}

#[test]
fn what_it_cannot_understand_is_left_out() {
    let t = "f() {\n  export F=1\n  PATH=/f:$PATH\n}\nfunction g { export G=1; }\n\
             cat <<'EOF'\nexport H=1\nEOF\nfor d in a b; do PATH=/l/$d:$PATH; done\n\
             case $X in a) export C=1 ;; esac\nexport P=\"$(go env GOPATH)/bin\"\nexport T=`id -u`\n\
             export OK=1\n( export SUB=1 )\necho \"unbalanced\nexport U=1\n";
    let s = profile_settings(t, &W(vec![]));
    assert_eq!(vars(&s), [("OK", "1")]);
    assert!(s.path.is_empty(), "{:?}", s.path);
    // A quote closed on a later line is one string, not commands.
    let t = "echo \"a\nexport IN=1\n\"\nexport AFTER=1\n";
    assert_eq!(vars(&profile_settings(t, &W(vec![]))), [("AFTER", "1")]);
}

#[test]
fn sourced_words() {
    let t = ". ~/.profile\nsource \"$HOME/.profile\" # c\n[ -f ~/.p1 ] && . ~/.p1\nif true; then source ~/.p2; fi\n\
             emulate sh -c '. ~/.p3'\nemulate -R sh -c 'source $HOME/.p4'\n# . ~/.not\necho . ~/.not2\n";
    assert_eq!(
        sourced(t, 0),
        ["~/.profile", "$HOME/.profile", "~/.p1", "~/.p2", "~/.p3", "$HOME/.p4"]
    );
}

#[test]
fn expansion() {
    let l = |n: &str| match n {
        "HOME" => Lookup::Known("/h".into()),
        "E" => Lookup::Known(String::new()),
        "U" => Lookup::Unknown,
        _ => Lookup::Unset,
    };
    assert_eq!(expand("~/x", &l).as_deref(), Some("/h/x"));
    assert_eq!(expand("${ZDOTDIR:-$HOME}/.zshrc", &l).as_deref(), Some("/h/.zshrc"));
    assert_eq!(expand("${E:-d}", &l).as_deref(), Some("d"));
    assert_eq!(expand("${E-d}", &l).as_deref(), Some(""));
    assert_eq!(expand("${U:-d}", &l), None);
    assert_eq!(expand("$NOPE/x", &l), None);
    assert_eq!(expand("~root/x", &l), None);
    assert_eq!(expand("$(pwd)", &l), None);
    assert_eq!(expand("${#HOME}", &l), None);
}

#[test]
fn read_script_refuses_what_is_not_a_text_file() {
    let d = std::env::temp_dir().join(format!("wslgo-startup-{}", std::process::id()));
    std::fs::create_dir_all(&d).unwrap();
    std::fs::write(d.join("bin"), b"export A=1\n\0\x01").unwrap();
    assert!(read_script(&d.join("bin"), 100).is_none());
    std::fs::write(d.join("long"), b"export A=1\nexport B=22222\n").unwrap();
    assert_eq!(read_script(&d.join("long"), 20).unwrap(), "export A=1\n");
    assert!(read_script(&d, 100).is_none());
    assert!(read_script(Path::new("/dev/zero"), 100).is_none());
    std::fs::remove_dir_all(&d).unwrap();
}

#[test]
fn heredoc_needs_an_unquoted_operator() {
    let t = |l: &str| heredoc_terms(l);
    assert_eq!(t("cat <<EOF"), ["EOF"]);
    assert_eq!(t("cat <<-'E O' >x"), ["E O"]);
    assert_eq!(t("cat << \"END\"; cat <<x<<y"), ["END", "x", "y"]);
    assert_eq!(t("cat <<E\\OF"), ["EOF"]);
    assert!(t("echo \"usage: a <<b\"").is_empty());
    assert!(t("echo 'a <<b' \\<<c").is_empty());
    assert!(t("x=$((1<<2)) # cat <<EOF").is_empty());
    assert!(t("read x <<< \"$y\"").is_empty());
    assert_eq!(t("echo a#b <<Z"), ["Z"], "a # inside a word is no comment");
    // The lines after a quoted lookalike are read; after a real heredoc, its body is not.
    let s = profile_settings(
        "echo \"usage: a <<b\"\nexport A=1\ncat <<'E'\nexport B=2\nE\nexport C=3\n",
        &W(vec![]),
    );
    assert_eq!(vars(&s), [("A", "1"), ("C", "3")]);
}

/// Shell-flavoured pieces, so random input reaches quotes, heredocs and continuations.
fn piece() -> impl proptest::strategy::Strategy<Value = String> {
    use proptest::prelude::*;
    prop_oneof![
        Just("<<".to_string()),
        Just("<<-".to_string()),
        Just("<<<".to_string()),
        Just("'".to_string()),
        Just("\"".to_string()),
        Just("\\".to_string()),
        Just("\n".to_string()),
        Just("$((".to_string()),
        Just("))".to_string()),
        Just("#".to_string()),
        Just("EOF".to_string()),
        Just("export A=$HOME/x:$PATH ".to_string()),
        Just(". ~/.profile;".to_string()),
        Just("if [ -d /h ]; then ".to_string()),
        Just("fi".to_string()),
        "[ -~]{0,8}",
        any::<u8>().prop_map(|b| char::from(b).to_string()),
    ]
}

/// Bounded property test (proptest): whatever the bytes, the reader returns, never panics,
/// and each input is handled within a few milliseconds.
mod property {
    use super::*;
    use proptest::prelude::*;
    use std::time::{Duration, Instant};

    /// "A few ms" for inputs up to 4 KiB, in a debug build (the median is ~0.2 ms).
    const BOUND: Duration = Duration::from_millis(5);

    /// The best of three runs is timed: a shared machine preempts single runs at random,
    /// while a slow path (a quadratic join, a loop that never ends) is slow every time.
    fn run(text: &str) {
        let took = (0..3)
            .map(|_| {
                let t = Instant::now();
                let _ = profile_settings(text, &W(vec!["/h"]));
                let _ = sourced(text, 0);
                t.elapsed()
            })
            .min()
            .unwrap();
        assert!(took < BOUND, "{} bytes took {took:?}", text.len());
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 256, max_shrink_iters: 200, ..ProptestConfig::default() })]

        #[test]
        fn random_bytes(b in proptest::collection::vec(any::<u8>(), 0..4096)) {
            run(&String::from_utf8_lossy(&b));
        }

        #[test]
        fn shell_pieces(v in proptest::collection::vec(piece(), 0..400)) {
            run(&v.concat());
        }
    }
}
