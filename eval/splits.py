"""The tune/held split every eval on web pages uses: by a hash of the page's site.

No site has pages on both sides, so a rule fitted to one site's markup on the tuning half
gains nothing on the held half.
"""

from __future__ import annotations

import hashlib
from urllib.parse import urlsplit


def half(url: str) -> str:
    """``tune`` or ``held``: a fixed split of the pages by a hash of their site (the host without ``www.``)."""
    host = (urlsplit(url).hostname or "").lower().removeprefix("www.")
    return "tune" if int(hashlib.sha1(host.encode()).hexdigest(), 16) % 2 == 0 else "held"
