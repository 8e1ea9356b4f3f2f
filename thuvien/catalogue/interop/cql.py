"""A small parser of CQL (the Contextual Query Language of SRU), enough for a catalogue:

    query    ::= ['>' [prefix '='] uri] query | clauses
    clauses  ::= clause (boolean [modifiers] clause)*        (left to right, one precedence)
    clause   ::= '(' query ')' | index relation [modifiers] term | term
    relation ::= '=' | '==' | '<>' | '<' | '>' | '<=' | '>=' | a word (exact, all, any, adj…)

Booleans and relation names are case-insensitive; a quoted term is never a keyword. The result
is a tree of `Clause` and `Boolean`; what a server makes of it is the server's business.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

BOOLEANS = {"and", "or", "not", "prox"}
SYMBOLS = ("<=", ">=", "<>", "==", "=", "<", ">")
SERVER_CHOICE = "cql.serverchoice"


class CqlError(ValueError):
    """A query that is not CQL; `code` is the SRU diagnostic number (10: syntax error)."""

    def __init__(self, message: str, code: int = 10) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class Token:
    text: str
    quoted: bool = False

    def word(self) -> str | None:
        """The token as a keyword (lower case), or None when quoted or a symbol."""
        return None if self.quoted else self.text.lower()


@dataclass(frozen=True)
class Modifier:
    name: str
    comparator: str = ""
    value: str = ""


@dataclass(frozen=True)
class Clause:
    index: str  # lower case; "cql.serverchoice" for a bare term
    relation: str  # lower case; "=" for a bare term
    term: str
    modifiers: tuple[Modifier, ...] = ()


@dataclass(frozen=True)
class Boolean:
    operator: str  # and, or, not, prox
    left: Node
    right: Node
    modifiers: tuple[Modifier, ...] = field(default=())


Node = Clause | Boolean


def tokenize(query: str) -> list[Token]:
    tokens: list[Token] = []
    i, n = 0, len(query)
    while i < n:
        char = query[i]
        if char.isspace():
            i += 1
        elif char in "()/":
            tokens.append(Token(char))
            i += 1
        elif char in "<>=":
            symbol = next(s for s in SYMBOLS if query.startswith(s, i))
            tokens.append(Token(symbol))
            i += len(symbol)
        elif char == '"':
            i, text = _quoted(query, i + 1)
            tokens.append(Token(text, quoted=True))
        else:
            start = i
            while i < n and not query[i].isspace() and query[i] not in '()/<>="':
                i += 1
            tokens.append(Token(query[start:i]))
    return tokens


def _quoted(query: str, i: int) -> tuple[int, str]:
    """The text of a quoted string starting after its quote; backslash escapes kept as typed
    (a `\\*` is a literal star to the server), except `\\"`."""
    out: list[str] = []
    while i < len(query):
        char = query[i]
        if char == "\\" and i + 1 < len(query):
            nxt = query[i + 1]
            out.append(nxt if nxt == '"' else char + nxt)
            i += 2
            continue
        if char == '"':
            return i + 1, "".join(out)
        out.append(char)
        i += 1
    raise CqlError(_("A quoted string is not closed."), code=14)


class _Parser:
    def __init__(self, tokens: list[Token]) -> None:
        self.tokens = tokens
        self.at = 0

    def peek(self, ahead: int = 0) -> Token | None:
        i = self.at + ahead
        return self.tokens[i] if i < len(self.tokens) else None

    def take(self) -> Token:
        token = self.peek()
        if token is None:
            raise CqlError(_("The query ends too early."))
        self.at += 1
        return token

    def query(self) -> Node:
        token = self.peek()
        if token is not None and not token.quoted and token.text == ">":
            self.take()
            self.take()  # prefix or uri
            following = self.peek()
            if following is not None and not following.quoted and following.text == "=":
                self.take()
                self.take()  # the uri
            return self.query()
        node = self.clause()
        while (token := self.peek()) is not None and token.word() in BOOLEANS:
            operator = self.take().text.lower()
            modifiers = self.modifiers()
            node = Boolean(operator, node, self.clause(), modifiers)
        return node

    def clause(self) -> Node:
        token = self.take()
        if not token.quoted and token.text == "(":
            node = self.query()
            closing = self.peek()
            if closing is None or closing.quoted or closing.text != ")":
                raise CqlError(_("A parenthesis is not closed."), code=13)
            self.take()
            return node
        if not token.quoted and token.text in {")", "/", *SYMBOLS}:
            raise CqlError(
                _("Unexpected “%(text)s”.") % {"text": token.text},
                code=13 if token.text == ")" else 10,
            )
        following = self.peek()
        if following is None or self._ends_clause(following):
            return Clause(SERVER_CHOICE, "=", token.text)
        if token.quoted:
            raise CqlError(
                _("A quoted string cannot be an index: “%(text)s”.") % {"text": token.text}
            )
        relation = self.take()
        if relation.quoted:
            raise CqlError(_("“%(text)s” is not a relation.") % {"text": relation.text})
        modifiers = self.modifiers()
        term = self.take()
        if not term.quoted and term.text in {"(", ")", "/", *SYMBOLS}:
            raise CqlError(_("A search term is missing before “%(text)s”.") % {"text": term.text})
        return Clause(token.text.lower(), relation.text.lower(), term.text, modifiers)

    def _ends_clause(self, token: Token) -> bool:
        return token.word() in BOOLEANS or (not token.quoted and token.text == ")")

    def modifiers(self) -> tuple[Modifier, ...]:
        found = []
        while (token := self.peek()) is not None and not token.quoted and token.text == "/":
            self.take()
            name = self.take().text.lower()
            comparator = value = ""
            following = self.peek()
            if following is not None and not following.quoted and following.text in SYMBOLS:
                comparator = self.take().text
                value = self.take().text
            found.append(Modifier(name, comparator, value))
        return tuple(found)


def parse(query: str) -> Node:
    """The tree of a CQL query; `CqlError` (with its diagnostic code) when it is not CQL."""
    tokens = tokenize(query)
    if not tokens:
        raise CqlError(_("The query is empty."), code=27)
    parser = _Parser(tokens)
    node = parser.query()
    rest = parser.peek()
    if rest is not None:
        if rest.word() == "sortby":
            raise CqlError(_("Sorting is not supported."), code=80)
        if not rest.quoted and rest.text == ")":
            raise CqlError(_("A parenthesis was not opened."), code=13)
        raise CqlError(
            _("A boolean (and, or, not) is missing before “%(text)s”.") % {"text": rest.text}
        )
    return node
