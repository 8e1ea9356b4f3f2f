"""Withdrawals: proposed with reasons, approved by the principal with the minutes, copies
withdrawn and marked in the register."""

from __future__ import annotations

import datetime as dt

import pytest

from thuvien.access import Action, allows, resolve_scope
from thuvien.catalogue.models import Copy, CopyStatus, Withdrawal, WithdrawalStatus
from thuvien.catalogue.services import CatalogueError, acquisitions


def proposed(world) -> Withdrawal:
    return Withdrawal.objects.get(school=world.school)


def test_the_principal_approves_and_the_copies_are_withdrawn(world):
    withdrawal = proposed(world)
    assert allows(resolve_scope(world.principal, None), Action.APPROVE_WITHDRAWALS, withdrawal)
    assert not allows(resolve_scope(world.librarian, None), Action.APPROVE_WITHDRAWALS, withdrawal)
    assert not allows(
        resolve_scope(world.principal_a2, None), Action.APPROVE_WITHDRAWALS, withdrawal
    )
    count = acquisitions.approve_withdrawal(
        withdrawal,
        by=world.principal,
        minutes_number="05/BB-TV",
        minutes_date=dt.date(2026, 5, 20),
        decision_number="12/QĐ-THND",
    )
    assert count == 1
    withdrawal.refresh_from_db()
    assert withdrawal.status == WithdrawalStatus.APPROVED
    copy = Copy.objects.get(pk=withdrawal.lines.get().copy_id)
    assert copy.status == CopyStatus.WITHDRAWN and copy.withdrawal == withdrawal
    assert copy.history.first().history_user == world.principal
    with pytest.raises(CatalogueError):
        acquisitions.approve_withdrawal(
            withdrawal, by=world.principal, minutes_number="06", minutes_date=dt.date(2026, 5, 21)
        )


def test_approval_needs_the_minutes(world):
    with pytest.raises(CatalogueError, match="biên bản"):
        acquisitions.approve_withdrawal(
            proposed(world),
            by=world.principal,
            minutes_number=" ",
            minutes_date=dt.date(2026, 5, 20),
        )
    assert proposed(world).status == WithdrawalStatus.PROPOSED


def test_a_copy_cannot_be_on_two_waiting_lists_nor_another_schools(world):
    line_copy = Copy.objects.get(pk=proposed(world).lines.get().copy_id)
    with pytest.raises(CatalogueError):
        acquisitions.propose_withdrawal(world.school, [(line_copy, "x")], by=world.librarian)
    foreign = Copy.objects.get(school=world.outsider_school)
    with pytest.raises(CatalogueError):
        acquisitions.propose_withdrawal(world.school, [(foreign, "x")], by=world.librarian)
    assert Withdrawal.objects.filter(school=world.school).count() == 1


def test_a_cancelled_list_withdraws_nothing(world):
    withdrawal = proposed(world)
    acquisitions.cancel_withdrawal(withdrawal, by=world.principal)
    assert not Copy.objects.filter(status=CopyStatus.WITHDRAWN).exists()
    with pytest.raises(CatalogueError):
        acquisitions.approve_withdrawal(
            withdrawal, by=world.principal, minutes_number="1", minutes_date=dt.date(2026, 5, 20)
        )
