"""Moved to `thuvien.access.api`; this name is kept only while imports are updated."""

from thuvien.access.api import (  # noqa: F401
    API_PERMISSIONS,
    ERROR_RESPONSES,
    MEMBERSHIP_HEADER,
    ScopeAllows,
    api_scope,
)
