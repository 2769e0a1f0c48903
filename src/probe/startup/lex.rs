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
        // A quote left open continues on the next line: join while one is, found by a scan
        // that carries the quote state (each byte is looked at once; splitting the growing
        // buffer again after every join was quadratic in a long line).
        let mut open = open_quote(None, buf.as_bytes());
        let mut joined = 0;
        while open.is_some() && joined < MAX_JOIN && i < lines.len() {
            buf.push('\n');
            buf.push_str(lines[i]);
            open = open_quote(open, lines[i].as_bytes());
            i += 1;
            joined += 1;
        }
        let Ok(words) = shell_words::split(&buf) else { return };
        heredocs.extend(heredoc_terms(&buf));
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

/// The quote (`'` or `"`) still open after `line`, given the one open before it.
fn open_quote(mut q: Option<u8>, b: &[u8]) -> Option<u8> {
    let mut i = 0;
    while i < b.len() {
        match (q, b[i]) {
            (Some(b'\''), c) => {
                if c == b'\'' {
                    q = None;
                }
                i += 1;
            }
            (Some(_), b'\\') | (None, b'\\') => i += 2,
            (Some(_), c) => {
                if c == b'"' {
                    q = None;
                }
                i += 1;
            }
            (None, c @ (b'\'' | b'"')) => {
                q = Some(c);
                i += 1;
            }
            (None, b'#') if i == 0 || b[i - 1] == b' ' || b[i - 1] == b'\t' => break,
            (None, _) => i += 1,
        }
    }
    q
}

fn ends_with_continuation(s: &str) -> bool {
    s.bytes().rev().take_while(|&b| b == b'\\').count() % 2 == 1
}

/// The terminators of the heredocs a logical line opens (`<<EOF`, `<<-EOF`, `<< 'EOF'`,
/// `<<"E"OF`; not `<<<`), read from the raw text: a `<<` inside quotes (`echo "usage: a <<b"`),
/// after a `\`, in a comment or in `$((...))` arithmetic opens nothing. The terminator is the
/// next word with its quotes removed, as the shell compares it.
pub(super) fn heredoc_terms(line: &str) -> Vec<String> {
    let b = line.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    let mut arith = 0usize;
    while i < b.len() {
        match b[i] {
            b'\\' => i += 2,
            b'\'' => i = skip_single(b, i),
            b'"' => i = skip_double(b, i),
            b'#' if i == 0 || b" \t;&|()".contains(&b[i - 1]) => break,
            b'$' if b[i + 1..].starts_with(b"((") => {
                arith += 1;
                i += 3;
            }
            b')' if arith > 0 && b[i + 1..].starts_with(b")") => {
                arith -= 1;
                i += 2;
            }
            b'<' if arith == 0 && b[i + 1..].starts_with(b"<") => {
                i += 2;
                if b.get(i) == Some(&b'<') {
                    i += 1;
                    continue;
                }
                if b.get(i) == Some(&b'-') {
                    i += 1;
                }
                while matches!(b.get(i), Some(b' ' | b'\t')) {
                    i += 1;
                }
                let (term, next) = heredoc_word(b, i);
                if !term.is_empty() {
                    out.push(term);
                }
                i = next;
            }
            _ => i += 1,
        }
    }
    out
}

/// The index after a single-quoted string starting at `i` (the end of the text if unclosed).
fn skip_single(b: &[u8], i: usize) -> usize {
    memchr::memchr(b'\'', &b[i + 1..]).map_or(b.len(), |e| i + 1 + e + 1)
}

/// The index after a double-quoted string starting at `i`, `\` escapes honoured.
fn skip_double(b: &[u8], mut i: usize) -> usize {
    i += 1;
    while i < b.len() {
        match b[i] {
            b'\\' => i += 2,
            b'"' => return i + 1,
            _ => i += 1,
        }
    }
    b.len()
}

/// A heredoc delimiter word at `i`, quotes removed, and the index after it.
fn heredoc_word(b: &[u8], mut i: usize) -> (String, usize) {
    let mut w = Vec::new();
    while i < b.len() {
        match b[i] {
            b' ' | b'\t' | b';' | b'&' | b'|' | b'<' | b'>' | b'(' | b')' => break,
            b'\\' => {
                if let Some(&c) = b.get(i + 1) {
                    w.push(c);
                }
                i += 2;
            }
            b'\'' => {
                let end = skip_single(b, i);
                w.extend_from_slice(&b[i + 1..end.saturating_sub(1).max(i + 1)]);
                i = end;
            }
            b'"' => {
                let end = skip_double(b, i);
                w.extend(b[i + 1..end.saturating_sub(1).max(i + 1)].iter().filter(|&&c| c != b'\\'));
                i = end;
            }
            c => {
                w.push(c);
                i += 1;
            }
        }
    }
    (String::from_utf8_lossy(&w).into_owned(), i)
}
