"""Shared Chinese text tools: jieba segmentation and character shingles.

jieba builds its prefix dictionary on first use (about a second); the lock
makes that happen once even when several request threads arrive together.
"""

import logging
import re
import threading
from functools import lru_cache

import jieba
import jieba.posseg

# Chinese characters, for regular-expression classes ([{HAN}]): the basic block and the rarer
# extensions A to G, which simplification can produce in names (陈璗 → 陈𬍡, U+2C361).
HAN = "\u3400-\u4dbf\u4e00-\u9fff\U00020000-\U0003134f"

_init_lock = threading.Lock()
_initialised = False
# Punctuation and symbols are not words: they would only add noise to indexes.
_WORD = re.compile(r"[\w]", re.UNICODE)


def _tokenizer() -> jieba.Tokenizer:
    global _initialised
    if not _initialised:
        with _init_lock:
            if not _initialised:
                jieba.setLogLevel(logging.WARNING)
                jieba.initialize()
                _initialised = True
    return jieba.dt


def words(text: str) -> list[str]:
    """jieba words of already normalised text, without punctuation or spaces.

    HMM discovery of unknown words is off: it is slower and makes the same
    text segment differently depending on its surroundings, which hurts
    matching a query against indexed text.
    """
    return [word for word in _tokenizer().lcut(text, HMM=False) if _WORD.search(word)]


def words_with_punctuation(text: str) -> list[str]:
    """Every jieba word of ``text``, punctuation included (for short windows)."""
    return _tokenizer().lcut(text, HMM=False)


def part_of_speech(word: str) -> str:
    """jieba's dictionary part-of-speech flag of ``word`` ("" for words it does not know).

    A dictionary look-up, not ``jieba.posseg``: tagging whole sentences is ten
    times slower, and only the flags of known function words are needed here.
    """
    _tokenizer()
    return jieba.posseg.dt.word_tag_tab.get(word, "")


def dictionary_frequency(word: str) -> int:
    """How often jieba's dictionary saw ``word`` (0 when it is not a dictionary word)."""
    return _tokenizer().FREQ.get(word, 0)


def compact(text: str) -> str:
    """Text without spaces and punctuation: what shingles are taken from."""
    return "".join(_WORD.findall(text))


@lru_cache(maxsize=4096)
def shingles(text: str, size: int = 3) -> frozenset[str]:
    """Overlapping character ``size``-grams of the compacted text (the whole text if shorter)."""
    body = compact(text)
    if len(body) <= size:
        return frozenset([body]) if body else frozenset()
    return frozenset(body[start : start + size] for start in range(len(body) - size + 1))
