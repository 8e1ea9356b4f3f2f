from thuvien.circulation.models.loans import (
    DEFAULT_RULE,
    Closure,
    DeskSettings,
    Loan,
    LoanQuerySet,
    LoanRule,
)
from thuvien.circulation.models.readers import Reader, ReaderKind, ReaderQuerySet

__all__ = [
    "DEFAULT_RULE",
    "Closure",
    "DeskSettings",
    "Loan",
    "LoanQuerySet",
    "LoanRule",
    "Reader",
    "ReaderKind",
    "ReaderQuerySet",
]
