//! Lexing: a script as a sequence of simple commands (quotes, comments, continuations,
//! heredocs), tokenized with shell-words.

/// How many physical lines one logical line may span while quotes stay open.
const MAX_JOIN: usize = 64;

/// How two commands are joined.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Link {
    /// First of a list (after a newline, `;` or `&`).
    Start,
    And,
    Or,
    Pipe,
}

/// One simple command (or a keyword with what follows it), as words with quotes removed.
#[derive(Debug, Clone)]
pub(crate) struct Command {
    pub words: Vec<String>,
    pub link: Link,
    /// The logical line held a single quote: a `$` in a word may have been literal.
    pub single_quoted: bool,
}

/// Calls `f` for each command of a script, in order; stops when `f` returns false, or at a
/// line whose quotes never close (nothing after it can be told apart from string contents).
/// Heredoc bodies are skipped; `\`-continued lines are joined.
pub(crate) fn for_each_command(text: &str, mut f: impl FnMut(Command) -> bool) {
    let lines: Vec<&str> = text.split('\n').collect();
    let mut i = 0;
    let mut heredocs: Vec<String> = Vec::new();
    while i < lines.len() {
        if let Some(term) = heredocs.first() {
            if lines[i].trim() == term {
                heredocs.remove(0);
            }
            i += 1;
            continue;
        }
        let mut buf = lines[i].to_string();
        i += 1;
        while ends_with_continuation(&buf) && i < lines.len() {
            buf.pop();
            buf.push_str(lines[i]);
            i += 1;
        }
        let mut joined = 0;
        let words = loop {
            match shell_words::split(&buf) {
                Ok(w) => break w,
                Err(_) if joined < MAX_JOIN && i < lines.len() => {
                    buf.push('\n');
                    buf.push_str(lines[i]);
                    i += 1;
                    joined += 1;
                }
                Err(_) => return,
            }
        };
        heredocs.extend(heredoc_terms(&words));
        let single_quoted = buf.contains('\'');
        let mut cur: Vec<String> = Vec::new();
        let mut link = Link::Start;
        let mut flush = |cur: &mut Vec<String>, link: Link| -> bool {
            if cur.is_empty() {
                return true;
            }
            f(Command {
                words: std::mem::take(cur),
                link,
                single_quoted,
            })
        };
        for w in words {
            let sep = match w.as_str() {
                ";" | ";;" | "&" | ";&" | ";;&" => Some(Link::Start),
                "&&" => Some(Link::And),
                "||" => Some(Link::Or),
                "|" | "|&" => Some(Link::Pipe),
                _ => None,
            };
            if let Some(next) = sep {
                if !flush(&mut cur, link) {
                    return;
                }
                link = next;
                continue;
            }
            if let Some(stripped) = w.strip_suffix(';').filter(|s| !s.is_empty()) {
                cur.push(stripped.trim_end_matches(';').to_string());
                if !flush(&mut cur, link) {
                    return;
                }
                link = Link::Start;
                continue;
            }
            cur.push(w);
        }
        if !flush(&mut cur, link) {
            return;
        }
    }
}

fn ends_with_continuation(s: &str) -> bool {
    s.bytes().rev().take_while(|&b| b == b'\\').count() % 2 == 1
}

/// The terminators of the heredocs a line opens (`<<EOF`, `<<-EOF`, `<< 'EOF'`; not `<<<`).
fn heredoc_terms(words: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    for (k, w) in words.iter().enumerate() {
        let Some(pos) = w.find("<<") else { continue };
        let rest = &w[pos + 2..];
        if rest.starts_with('<') {
            continue;
        }
        let rest = rest.strip_prefix('-').unwrap_or(rest);
        let term = if rest.is_empty() {
            words.get(k + 1).cloned()
        } else {
            Some(rest.to_string())
        };
        if let Some(t) = term.filter(|t| !t.is_empty()) {
            out.push(t);
        }
    }
    out
}
