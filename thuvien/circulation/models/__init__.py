from thuvien.circulation.models.activities import (
    ActivityKind,
    ActivityPhoto,
    OnSiteReading,
    ReadingActivity,
)
from thuvien.circulation.models.holds import ACTIVE, Hold, HoldQuerySet, HoldStatus
from thuvien.circulation.models.kiosks import SipAccount
from thuvien.circulation.models.loans import (
    DEFAULT_RULE,
    Closure,
    DeskSettings,
    Loan,
    LoanEnd,
    LoanQuerySet,
    LoanRule,
)
from thuvien.circulation.models.readers import Reader, ReaderKind, ReaderQuerySet

__all__ = [
    "ACTIVE",
    "DEFAULT_RULE",
    "ActivityKind",
    "ActivityPhoto",
    "Closure",
    "DeskSettings",
    "Hold",
    "HoldQuerySet",
    "HoldStatus",
    "Loan",
    "LoanEnd",
    "LoanQuerySet",
    "LoanRule",
    "OnSiteReading",
    "Reader",
    "ReaderKind",
    "ReaderQuerySet",
    "ReadingActivity",
    "SipAccount",
]
