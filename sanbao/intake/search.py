"""Full-text search over matters: jieba tokens in SQLite FTS5 or a PostgreSQL ``tsvector``.

Neither engine segments Chinese, so the text is segmented here and the
engines only ever see space-separated words: one code path, a small backend
class per vendor for the few statements that differ. A matter's title,
narrative (with the place) and feedback results are normalised
(``normalise_text``), cut with jieba's search mode (long words also give
their sub-words, so 物业公司 is found by 物业) and written to the table
``intake_search`` keyed by the matter's id.

A query is normalised and cut the same way (precise mode); every word must
be present. Only letters and digits survive tokenisation, so no user input
can reach the engines' query syntax. Candidate matters are always joined to
``Matter.objects.visible_to(user)`` in the same SQL statement, before the
limit. Snippets are highlighted here, on the stored text, so both engines
show the same thing.
"""

import logging
import re
import threading
from dataclasses import dataclass
from html import escape

import jieba
from django.core.exceptions import EmptyResultSet
from django.db import connection, transaction
from django.db.models import Prefetch, Q, prefetch_related_objects
from django.db.models.expressions import RawSQL
from django.utils.safestring import SafeString, mark_safe

from sanbao.intake.normalise import normalise_text, to_half_width, to_simplified
from sanbao.intake.signatures import index_signature
from sanbao.matters.models import Feedback, Matter
from sanbao.matters.models.matters import party_names
from sanbao.matters.personal import redact

TABLE = "intake_search"
MAX_QUERY_TERMS = 8
BATCH = 500
SNIPPET_CHARS = 80
# Matches ranked per query: the newest RANK_WINDOW matches in the user's scope. A word found in a
# third of a million matters would otherwise be scored and sorted in full for every keystroke.
RANK_WINDOW = 2000
# Ranked results are read at most this deep (the search page's 50 pages, the APIs' offsets):
# beyond, a clerk adds a word. Both stay well inside RANK_WINDOW.
MAX_PAGE = 50
MAX_OFFSET = 1000
# bm25 column weights (title, body, feedback): a word in the title says more than one in the narrative.
WEIGHTS = (10.0, 2.0, 1.0)
_TERM = re.compile(r"[^\W_]+")
_init_lock = threading.Lock()


def _jieba() -> jieba.Tokenizer:
    # jieba builds its prefix dictionary on first use; build it once even when requests race.
    if not jieba.dt.initialized:
        with _init_lock:
            if not jieba.dt.initialized:
                jieba.setLogLevel(logging.WARNING)
                jieba.dt.initialize()
    return jieba.dt


def _clean(words) -> list[str]:
    """Letters-and-digits pieces of jieba words, lower-cased (punctuation and spaces dropped)."""
    return [piece.lower() for word in words for piece in _TERM.findall(word)]


def index_terms(text: str | None) -> list[str]:
    """Words indexed for ``text``: normalised, cut in search mode (words and their sub-words)."""
    text = normalise_text(text)
    if not text:
        return []
    return _clean(_jieba().cut_for_search(text, HMM=False))


def query_terms(query: str | None) -> list[str]:
    """The distinct words of a user's query (at most ``MAX_QUERY_TERMS``), in order."""
    text = normalise_text(query)
    if not text:
        return []
    terms = list(dict.fromkeys(_clean(_jieba().cut(text, HMM=False))))
    return terms[:MAX_QUERY_TERMS]


@dataclass(frozen=True)
class Document:
    """The three indexed fields of one matter, already segmented."""

    matter_id: int
    title: list[str]
    body: list[str]
    feedback: list[str]


def document_for(matter: Matter, feedback_results) -> Document:
    body = f"{matter.narrative}\n{matter.place}"
    return Document(
        matter_id=matter.pk,
        title=index_terms(matter.title),
        body=index_terms(body),
        feedback=index_terms("\n".join(feedback_results)),
    )


class SQLiteBackend:
    """FTS5 virtual table ``intake_search(title, body, feedback)``; rowid is the matter id."""

    create_sql = (
        f"CREATE VIRTUAL TABLE IF NOT EXISTS {TABLE} USING fts5("
        "title, body, feedback, tokenize = 'unicode61 remove_diacritics 0')"
    )
    drop_sql = f"DROP TABLE IF EXISTS {TABLE}"

    def write(self, cursor, documents: list[Document]) -> None:
        ids = [(doc.matter_id,) for doc in documents]
        cursor.executemany(f"DELETE FROM {TABLE} WHERE rowid = %s", ids)  # noqa: S608 (constant name)
        cursor.executemany(
            f"INSERT INTO {TABLE} (rowid, title, body, feedback) VALUES (%s, %s, %s, %s)",  # noqa: S608
            [(doc.matter_id, " ".join(doc.title), " ".join(doc.body), " ".join(doc.feedback)) for doc in documents],
        )

    def match(self, terms: list[str]) -> str:
        # Each term is letters and digits only; quoting makes it a plain phrase, never an operator.
        return " ".join('"{}"'.format(term.replace('"', '""')) for term in terms)

    def ids_sql(self) -> str:
        return f"SELECT rowid FROM {TABLE} WHERE {TABLE} MATCH %s"  # noqa: S608

    def ranked(self, visible: tuple[str, tuple], match: str, limit: int, offset: int) -> tuple[str, list]:
        weights = ", ".join(str(weight) for weight in WEIGHTS)
        # The inner query walks the matches newest first (FTS5 reads its doclists in rowid order)
        # and stops after RANK_WINDOW in scope; only those are scored and sorted.
        sql = (
            "SELECT matter_id, search_rank FROM ("  # noqa: S608
            f"SELECT {TABLE}.rowid AS matter_id, bm25({TABLE}, {weights}) AS search_rank "
            f"FROM {TABLE} JOIN ({visible[0]}) AS visible ON visible.id = {TABLE}.rowid "
            f"WHERE {TABLE} MATCH %s ORDER BY {TABLE}.rowid DESC LIMIT %s"
            ") ORDER BY search_rank, matter_id DESC LIMIT %s OFFSET %s"
        )
        return sql, [*visible[1], match, RANK_WINDOW, limit, offset]


class PostgreSQLBackend:
    """Table ``intake_search(matter_id, document tsvector)`` with a GIN index.

    The ``tsvector`` is written as a literal built here (words with positions
    and weights A/B/C), so PostgreSQL's text parser, which does not know
    Chinese, never cuts anything (the literal bypasses any text search
    configuration, so the result is what 'simple' would keep: the words as given).
    """

    create_sql = (
        f"CREATE TABLE IF NOT EXISTS {TABLE} (matter_id bigint PRIMARY KEY, document tsvector NOT NULL);"
        f"CREATE INDEX IF NOT EXISTS {TABLE}_document_idx ON {TABLE} USING gin (document)"
    )
    drop_sql = f"DROP TABLE IF EXISTS {TABLE}"
    # PostgreSQL keeps positions 1..16383 and at most 256 positions per word.
    max_position = 16383
    max_positions_per_word = 255

    def vector(self, doc: Document) -> str:
        positions: dict[str, list[str]] = {}
        position = 0
        for weight, terms in (("A", doc.title), ("B", doc.body), ("C", doc.feedback)):
            for term in terms:
                position = min(position + 1, self.max_position)
                slots = positions.setdefault(term, [])
                if len(slots) < self.max_positions_per_word:
                    slots.append(f"{position}{weight}")
        return " ".join("'{}':{}".format(_pg_quote(term), ",".join(slots)) for term, slots in positions.items())

    def write(self, cursor, documents: list[Document]) -> None:
        cursor.executemany(
            f"INSERT INTO {TABLE} (matter_id, document) VALUES (%s, %s::tsvector) "  # noqa: S608
            "ON CONFLICT (matter_id) DO UPDATE SET document = EXCLUDED.document",
            [(doc.matter_id, self.vector(doc)) for doc in documents],
        )

    def match(self, terms: list[str]) -> str:
        return " & ".join(f"'{_pg_quote(term)}'" for term in terms)

    def ids_sql(self) -> str:
        return f"SELECT matter_id FROM {TABLE} WHERE document @@ %s::tsquery"  # noqa: S608

    def ranked(self, visible: tuple[str, tuple], match: str, limit: int, offset: int) -> tuple[str, list]:
        # Negated so that, as with bm25, a smaller rank is a better match. Same window as SQLite.
        sql = (
            "SELECT matter_id, search_rank FROM ("  # noqa: S608
            f"SELECT {TABLE}.matter_id, -ts_rank({TABLE}.document, %s::tsquery) AS search_rank "
            f"FROM {TABLE} JOIN ({visible[0]}) AS visible ON visible.id = {TABLE}.matter_id "
            f"WHERE {TABLE}.document @@ %s::tsquery ORDER BY {TABLE}.matter_id DESC LIMIT %s"
            ") AS window_ ORDER BY search_rank, matter_id DESC LIMIT %s OFFSET %s"
        )
        return sql, [match, *visible[1], match, RANK_WINDOW, limit, offset]


def _pg_quote(term: str) -> str:
    return term.replace("\\", "\\\\").replace("'", "''")


BACKENDS = {"sqlite": SQLiteBackend, "postgresql": PostgreSQLBackend}


def backend(vendor: str | None = None):
    """The backend for ``vendor`` (default: the current connection's)."""
    return BACKENDS[vendor or connection.vendor]()


# --- Maintenance -------------------------------------------------------------


def _feedback_results() -> Prefetch:
    return Prefetch("feedbacks", queryset=Feedback.objects.only("id", "matter_id", "result"))


def _with_feedback(queryset):
    return queryset.prefetch_related(_feedback_results())


def _indexed_fields(queryset):
    return _with_feedback(queryset.only("id", "title", "narrative", "place"))


def _documents(matters) -> list[Document]:
    return [document_for(matter, [feedback.result for feedback in matter.feedbacks.all()]) for matter in matters]


def index_matter(matter: Matter) -> None:
    """Write (or rewrite) the index row of ``matter`` from its current title, narrative, place and feedback.

    Called inside the matters verbs' transaction, so the index commits or rolls back with the change.
    """
    fresh = _indexed_fields(Matter.objects.filter(pk=matter.pk)).first()
    if fresh is None:
        return
    with connection.cursor() as cursor:
        backend().write(cursor, _documents([fresh]))
    index_signature(fresh)  # the duplicate index (intake signatures) follows the same verbs


def reindex_all(batch: int = BATCH) -> int:
    """Rebuild the whole index from the matters table in batches; returns the number of matters indexed."""
    engine, count, last_id = backend(), 0, 0
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {TABLE}")  # noqa: S608 (constant name)
        while True:
            matters = list(_indexed_fields(Matter.objects.filter(pk__gt=last_id).order_by("pk"))[:batch])
            if not matters:
                return count
            with connection.cursor() as cursor:
                engine.write(cursor, _documents(matters))
            count += len(matters)
            last_id = matters[-1].pk


def demo_reindex() -> None:
    """Demo step: index every demo matter (the bulk history writer bypasses the verbs)."""
    reindex_all()


# --- Queries -----------------------------------------------------------------


@dataclass(frozen=True)
class Hit:
    """One search result: the matter, its rank (smaller is better) and a highlighted snippet."""

    matter: Matter
    rank: float
    snippet: SafeString


def matches(query: str) -> Q | None:
    """A filter keeping the matters that match ``query`` (None when it has no words).

    For querysets already scoped to the user (``MatterFilterSet``): the
    matching ids are a subquery of the same statement.
    """
    terms = query_terms(query)
    if not terms:
        return None
    engine = backend()
    # The SQL is constant; the only user input is a bound parameter made of letters and digits.
    return Q(pk__in=RawSQL(engine.ids_sql(), [engine.match(terms)]))  # noqa: S611


def search(user, query: str, *, limit: int = 20, offset: int = 0, queryset=None, load=None) -> tuple[list[Hit], bool]:
    """Matters visible to ``user`` that match ``query``, best first: ``(hits, has_more)``.

    ``queryset`` narrows the candidates further (kind, status …); it is always
    combined with ``Matter.objects.visible_to(user)`` inside the ranked SQL (its
    conditions are AND-ed into the scope's, so no list of ids is built).
    ``load`` is the queryset the page's matters are read from (default: with
    their category), so a list can select the related rows it shows.
    """
    terms = query_terms(query)
    if not terms:
        return [], False
    visible = Matter.objects.visible_to(user)
    if queryset is not None:
        visible = visible & queryset
    try:
        visible_sql = visible.order_by().values("id").query.sql_with_params()
    except EmptyResultSet:  # a scope that can hold nothing (administrators see no matters)
        return [], False
    engine = backend()
    sql, params = engine.ranked(visible_sql, engine.match(terms), limit + 1, offset)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    has_more = len(rows) > limit
    rows = rows[:limit]
    load = Matter.objects.select_related("category") if load is None else load
    matters = _with_feedback(load.filter(pk__in=[row[0] for row in rows])).prefetch_related(party_names())
    by_id = {matter.pk: matter for matter in matters}
    hits = [
        Hit(matter=by_id[pk], rank=float(rank), snippet=snippet_for(by_id[pk], terms))
        for pk, rank in rows
        if pk in by_id
    ]
    return hits, has_more


def ranked_matters(user, query: str, *, limit: int, offset: int = 0, queryset=None, load=None):
    """``search()`` for matter lists: ``(matters, has_more)``, each matter with its ``search_snippet``."""
    hits, has_more = search(user, query, limit=limit, offset=offset, queryset=queryset, load=load)
    for hit in hits:
        hit.matter.search_snippet = hit.snippet
    return [hit.matter for hit in hits], has_more


def add_snippets(matters: list[Matter], query: str) -> None:
    """Give each of ``matters`` its highlighted ``search_snippet`` for ``query`` (one query for their feedback).

    For lists filtered by ``q`` but sorted by a column, which show the same snippets as ranked ones.
    """
    terms = query_terms(query)
    prefetch_related_objects(matters, _feedback_results(), party_names())
    for matter in matters:
        matter.search_snippet = snippet_for(matter, terms)


def page_number(value) -> int:
    """The 1-based page of ranked results asked for, clamped to 1..MAX_PAGE (bad input reads as page 1)."""
    try:
        return min(max(int(value), 1), MAX_PAGE)
    except (TypeError, ValueError):
        return 1


# --- Snippets ----------------------------------------------------------------


def _comparable(text: str) -> str:
    """Text with the character-for-character parts of normalisation (simplified, half-width), lower-cased.

    When a conversion changes the length (rare OpenCC phrases), the original is used as is.
    """
    converted = to_simplified(to_half_width(text)).lower()
    return converted if len(converted) == len(text) else text.lower()


def highlight(text: str, terms: list[str], width: int = SNIPPET_CHARS) -> SafeString | None:
    """The window of ``text`` around its first matching term, every term wrapped in ``<mark>``; None if none."""
    haystack = _comparable(text)
    spans = sorted(
        (match.start(), match.end())
        for term in terms
        for match in re.finditer(re.escape(term), haystack)
    )
    if not spans:
        return None
    start = max(0, spans[0][0] - width // 4)
    end = min(len(text), start + width)
    parts, cursor = ["…" if start else ""], start
    for span_start, span_end in spans:
        if span_start < cursor or span_end > end:
            continue
        parts += [escape(text[cursor:span_start]), "<mark>", escape(text[span_start:span_end]), "</mark>"]
        cursor = span_end
    parts += [escape(text[cursor:end]), "…" if end < len(text) else ""]
    return mark_safe("".join(parts))  # noqa: S308 (every piece of text is escaped above)


def snippet_for(matter: Matter, terms: list[str]) -> SafeString:
    """Highlighted snippet from the narrative, else the feedback, else the place, else the title.

    Masked as lists mask (``personal.redact``: numbers and the matter's people's names) before highlighting,
    so a search for a name finds the matter without printing the name.
    """
    names = matter.person_names()
    texts = [matter.narrative, *(feedback.result for feedback in matter.feedbacks.all()), matter.place, matter.title]
    for text in texts:
        snippet = highlight(redact(text, names), terms)
        if snippet is not None:
            return snippet
    return mark_safe(escape(redact(matter.narrative, names)[:SNIPPET_CHARS]))  # noqa: S308 (escaped)
