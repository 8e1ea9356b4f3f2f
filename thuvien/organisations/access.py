"""Moved to `thuvien.access`; this name is kept only while imports are updated."""

from thuvien.access import *  # noqa: F403
from thuvien.access import __all__  # noqa: F401
