"""The shared form fields read what people type."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from thuvien.core.widgets import MoneyField


@pytest.mark.parametrize(
    ("typed", "amount"),
    [("1.500.000", 1_500_000), ("1 500 000", 1_500_000), ("1,500,000 đ", 1_500_000),
     ("1500000", 1_500_000), ("", None)],
)  # fmt: skip
def test_an_amount_in_dong_reads_as_people_type_it(typed, amount):
    assert MoneyField(required=False).clean(typed) == amount


def test_an_amount_that_is_not_one_says_so():
    with pytest.raises(ValidationError, match=r"số nguyên"):
        MoneyField().clean("một triệu")
