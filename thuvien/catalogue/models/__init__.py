"""The catalogue's tables: shared records and their search terms (`records`), a school's
numbering, collections and copies (`copies`), acquisitions and withdrawals (`acquisitions`), the
province's settings, SRU targets and digital resources (`settings`)."""

from thuvien.catalogue.models.acquisitions import (
    AcquisitionBatch,
    Withdrawal,
    WithdrawalLine,
    WithdrawalStatus,
)
from thuvien.catalogue.models.copies import (
    SCHOOL_ROWS,
    Collection,
    Copy,
    CopyStatus,
    Sequence,
    Source,
)
from thuvien.catalogue.models.records import (
    RECORD_POLICY,
    DocType,
    Record,
    RecordIsbn,
    RecordTerm,
    TermField,
)
from thuvien.catalogue.models.settings import (
    CallNumberRule,
    CatalogueSettings,
    DigitalResource,
    ResourceKind,
    SruTarget,
    Visibility,
)

__all__ = [
    "RECORD_POLICY",
    "SCHOOL_ROWS",
    "AcquisitionBatch",
    "CallNumberRule",
    "CatalogueSettings",
    "Collection",
    "Copy",
    "CopyStatus",
    "DigitalResource",
    "DocType",
    "Record",
    "RecordIsbn",
    "RecordTerm",
    "ResourceKind",
    "Sequence",
    "Source",
    "SruTarget",
    "TermField",
    "Visibility",
    "Withdrawal",
    "WithdrawalLine",
    "WithdrawalStatus",
]
