"""Titles that tell Caliskan et al.'s WEAT tests apart (WEAT 3, 4 and 5 share their sets' names).

WEAT 3 uses the names of Greenwald et al. (1998) with 25 pleasant and 25 unpleasant words;
WEAT 4 the names of Bertrand & Mullainathan (2004) with the same words; WEAT 5 those names with
the 8 + 8 words of Nosek et al. (2002). Any other tests that share a title get their set sizes.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping

SOURCES = {
    "weat3": "Greenwald et al. names, 25 + 25 attribute words",
    "weat4": "Bertrand & Mullainathan names, 25 + 25 attribute words",
    "weat5": "Bertrand & Mullainathan names, Nosek et al.'s 8 + 8 attribute words",
}


def distinct_titles(tests: Mapping[str, object]) -> dict[str, str]:
    """``key -> title`` where no two tests read the same (``tests``: key -> WeatTest)."""
    counts = Counter(t.title for t in tests.values())
    titles = {}
    for key, test in tests.items():
        if counts[test.title] == 1:
            titles[key] = test.title
            continue
        note = SOURCES.get(key) or (f"{len(test.x)} + {len(test.y)} targets, "
                                    f"{len(test.a)} + {len(test.b)} attributes")
        titles[key] = f"{test.title} ({note})"
    return titles
