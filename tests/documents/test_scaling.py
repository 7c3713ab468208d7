"""Import time grows about linearly with the input (issue: number-dense text was quadratic).

Each shape of text is imported at n and 2n characters; doubling the input may at most about
double the time (a ratio below 3 leaves room for timer noise, a quadratic pass gives 4).
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable

import pytest

from nettonul.documents import analyse_text


def _repeat(make_line: Callable[[int, random.Random], str], size: int) -> str:
    rnd = random.Random(7)
    out, n, k = [], 0, 0
    while n < size:
        k += 1
        line = make_line(k, rnd)
        out.append(line)
        n += len(line)
    return "".join(out)


SHAPES: dict[str, Callable[[int, random.Random], str]] = {
    # a PDF table extracted as text: figures without sentence ends, years and percentages between
    "table numbers": lambda k, r: " ".join(str(r.randint(1, 99999)) for _ in range(6)) + " 2030 -12 %\n",
    "one number per line": lambda k, r: f"{r.randint(1, 999)}\n",
    "hyphenated line breaks": lambda k, r: "varme-\npumper og fjern- og kraftvarme samt forsynings-\nselskaber. ",
    "numbered chapters": lambda k, r: (f"{k}. Kapitel om emne {k}\n\nVi vil reducere udledningen med {k % 90} % "
                                       "i 2030. Kommunen skal være klimaneutral i 2045.\n\n"),
    "lists of commitments": lambda k, r: "Vi har disse mål:\n\n• Vi vil plante træer\n• Kommunen vil bygge stier\n\n",
}


def _seconds(text: str) -> float:
    best = float("inf")
    for _ in range(3):
        t0 = time.perf_counter()
        analyse_text(text)
        best = min(best, time.perf_counter() - t0)
    return best


@pytest.mark.parametrize("shape", list(SHAPES))
def test_doubling_the_input_at_most_about_doubles_the_time(shape: str) -> None:
    small = _repeat(SHAPES[shape], 30_000)
    large = _repeat(SHAPES[shape], 60_000)
    analyse_text(small[:2000])                    # lexicons loaded before timing
    # the best of three ratios: a busy machine slows single runs, never a quadratic pass below 3
    ratio = min(_seconds(large) / _seconds(small) for _ in range(3))
    assert ratio < 3.0, f"{shape}: doubling the input took {ratio:.1f} times as long"


def _table_numbers(size: int, heading: str = "") -> str:
    """Rows of figures as a PDF table extracts to text (Danish thousands separators), with an
    optional heading line whose aim word makes the whole run a candidate for targets."""
    rnd = random.Random(11)
    rows, n = [heading] if heading else [], len(heading)
    while n < size:
        row = " ".join(f"{rnd.randint(1, 99999):,}".replace(",", ".") for _ in range(6)) + " 2030 -12 %\n"
        rows.append(row)
        n += len(row)
    return "".join(rows)[:size]


def _cpu_seconds(text: str) -> float:
    """Best of three CPU times: on a machine shared with other work, wall time is mostly waiting."""
    best = float("inf")
    for _ in range(3):
        t0 = time.process_time()
        analyse_text(text)
        best = min(best, time.process_time() - t0)
    return best


@pytest.mark.parametrize("heading", ["", "Tabel 4. Kommunens mål og status for 2030\n"])
def test_table_numbers_at_200_and_400_kb_scale_linearly(heading: str) -> None:
    small, large = _table_numbers(200_000, heading), _table_numbers(400_000, heading)
    analyse_text(small[:2000])
    ratio = min(_cpu_seconds(large) / _cpu_seconds(small) for _ in range(2))
    assert ratio < 3.0, f"table numbers ({heading or 'no heading'}): doubling took {ratio:.1f} times as long"
