"""The statement check of SQL monitors: one read, read the same way by every database.

A checker that reads a query differently from the server can be walked around: the
review's ``SELECT 'pwn' INTO #x\\nOUTFILE '/tmp/x1'`` looked harmless to a reader that
took ``#`` for an operator, while MySQL took it for a comment and wrote the file. So this
lexer follows the lexical rules of the servers Gyrfalcon watches, and where they differ
it refuses the query rather than guess which one will run it:

===============================  ===========================  ==========================
construct                        MySQL / MariaDB              PostgreSQL / SQLite
===============================  ===========================  ==========================
``# ...``                        comment to the end of line   an operator / an error
``--`` then a space or control   comment                      comment
``--x`` (no space)               two minus signs, then code   comment
``/*! ... */``, ``/*M! ... */``  **executed** as SQL          comment
``/* /* */ */``                  ends at the first ``*/``     nests (PostgreSQL)
``'a\\'b'``                      backslash escapes the quote  the string ends at ``\\'``
``$tag$ ... $tag$``              part of an identifier        a string (PostgreSQL)
``[ ... ]``                      code                         an identifier (SQLite)
===============================  ===========================  ==========================

Refused therefore: ``#`` outside strings, ``--`` not followed by white space,
executable comments, a ``/*`` inside a comment, ``$`` and ``\\`` outside quoted text,
and quote characters between ``[`` and ``]``; also anything left open (a string,
identifier or comment without its end). A line comment ends at the first CR or LF, the
earliest any server ends it, so the checker never takes for a comment what a server
runs.

Backslashes inside quotes depend on the dialect, which is known once the monitor's
datasource is (``dialect=``): PostgreSQL reads them literally (the check's sessions pin
``standard_conforming_strings`` on) except in ``E'...'`` strings, where they escape;
SQLite reads them literally; on MySQL/MariaDB their meaning depends on the server's
``NO_BACKSLASH_ESCAPES`` mode, so they are refused there, as for any other dialect.
Without a dialect (a definition checked before its datasource is looked up) they
pass this step and are judged when the dialect is known.

What remains is read as code tokens, and the query passes when they make one
statement (``;`` only at the end) whose first word is a read (SELECT, WITH, VALUES,
TABLE, SHOW, EXPLAIN) and that holds no ``INTO`` at all: ``SELECT ... INTO OUTFILE``
writes files on the database host even inside a read-only transaction, and a monitor
has no use for ``SELECT ... INTO`` of any kind.

This check is the first layer only; the read-only transaction, the driver's one
statement per call and the server-side timeouts stand behind it (see ``sql.py``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

READ_KEYWORDS = frozenset({"SELECT", "WITH", "VALUES", "TABLE", "SHOW", "EXPLAIN"})
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_LINE_END = "\r\n"


@dataclass(frozen=True)
class _Token:
    kind: str  # "word", "symbol", "quoted", "comment", "space"
    text: str
    start: int
    end: int


# Dialects whose servers read a backslash inside quotes as a plain character.
_LITERAL_BACKSLASHES = frozenset({"postgresql", "sqlite"})


class _Lexer:
    def __init__(self, query: str, dialect: str | None) -> None:
        self.query = query
        self.dialect = dialect
        self.position = 0
        self.tokens: list[_Token] = []

    def run(self) -> list[_Token]:
        while self.position < len(self.query):
            self._next()
        return self.tokens

    def _emit(self, kind: str, end: int) -> None:
        start = self.position
        self.tokens.append(_Token(kind, self.query[start:end], start, end))
        self.position = end

    def _next(self) -> None:
        query, at = self.query, self.position
        char, pair = query[at], query[at : at + 2]
        if char.isspace():
            end = at + 1
            while end < len(query) and query[end].isspace():
                end += 1
            self._emit("space", end)
        elif pair == "--":
            self._line_comment(at)
        elif pair == "/*":
            self._block_comment(at)
        elif char in "'\"`":
            self._quoted(at, char)
        elif char == "#":
            raise ValueError("'#' is only allowed inside quotes (MySQL reads it as a comment)")
        elif char == "$":
            raise ValueError(
                "'$' is only allowed inside quotes (PostgreSQL reads $tag$ as a string)"
            )
        elif char == "\\":
            raise ValueError("backslashes are only allowed inside comments")
        elif char == "[":
            self._bracket(at)
        elif match := _WORD.match(query, at):
            self._emit("word", match.end())
        else:
            self._emit("symbol", at + 1)

    def _line_comment(self, at: int) -> None:
        after = self.query[at + 2 : at + 3]
        if after and not (after.isspace() or ord(after) < 32):
            raise ValueError(
                "write a space after '--' (MySQL reads '--x' as code, PostgreSQL as a comment)"
            )
        end = at + 2
        while end < len(self.query) and self.query[end] not in _LINE_END:
            end += 1
        self._emit("comment", end)

    def _block_comment(self, at: int) -> None:
        if self.query.startswith(("/*!", "/*M!"), at):
            raise ValueError("executable comments (/*! ... */) are not allowed")
        end = self.query.find("*/", at + 2)
        if end < 0:
            raise ValueError("a comment is not closed with '*/'")
        if "/*" in self.query[at + 2 : end]:
            raise ValueError("comments cannot contain '/*' (PostgreSQL nests them, MySQL not)")
        self._emit("comment", end + 2)

    def _quoted(self, at: int, quote: str) -> None:
        escapes = self._escape_string(at, quote)
        end = at + 1
        while end < len(self.query):
            char = self.query[end]
            if escapes and char == "\\":
                end += 2
            elif char != quote:
                end += 1
            elif self.query.startswith(quote * 2, end):  # a doubled quote stands for itself
                end += 2
            else:
                break
        if end >= len(self.query):
            raise ValueError(f"a {quote} is not closed")
        if "\\" in self.query[at:end] and not self._backslashes_are_clear(quote, escapes):
            raise ValueError(
                "backslashes inside quotes are read differently by MySQL servers in different "
                "modes and by other databases: leave them out, or double a quote to escape it"
            )
        self._emit("quoted", end + 1)

    def _escape_string(self, at: int, quote: str) -> bool:
        """A PostgreSQL E'...' string, whose backslashes escape."""
        previous = self.tokens[-1] if self.tokens else None
        return (
            self.dialect == "postgresql"
            and quote == "'"
            and previous is not None
            and previous.end == at
            and previous.text.upper() == "E"
        )

    def _backslashes_are_clear(self, quote: str, escapes: bool) -> bool:
        if quote == "`" or escapes:
            return True
        return self.dialect is None or self.dialect in _LITERAL_BACKSLASHES

    def _bracket(self, at: int) -> None:
        end = self.query.find("]", at)
        if end >= 0 and any(quote in self.query[at:end] for quote in "'\"`"):
            raise ValueError("quotes inside [ ] read differently on SQLite and other databases")
        self._emit("symbol", at + 1)


@lru_cache(maxsize=4096)
def validate_query(query: str, dialect: str | None = None) -> str:
    """Return ``query`` as one statement without the trailing ';', or raise ValueError
    with a sentence a person can act on. ``dialect`` is the datasource's, when known.
    Cached: every run of a monitor checks the same text again."""
    tokens = _Lexer(query, dialect).run()
    code = [t for t in tokens if t.kind not in ("space", "comment")]
    while code and code[-1].text == ";":
        code.pop()
    if not code:
        raise ValueError("the query is empty")
    if any(t.text == ";" for t in code):
        raise ValueError("only one statement is allowed; remove everything after the first ';'")
    words = [t.text.upper() for t in code if t.kind == "word"]
    opening = next((t for t in code if t.text != "("), code[0])  # "(SELECT 1) UNION ..."
    first = opening.text.upper() if opening.kind == "word" else opening.text
    if first not in READ_KEYWORDS:
        raise ValueError(f"only read statements (SELECT, WITH ...) are allowed, not {first[:30]}")
    if "INTO" in words:
        raise ValueError("SELECT ... INTO is not allowed (INTO OUTFILE writes files)")
    return query[: code[-1].end].strip()
