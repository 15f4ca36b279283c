"""scalescope: how many users will this backend hold, what breaks first, and what to fix first.

Importing the package defines names and does nothing else.
"""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__"]
