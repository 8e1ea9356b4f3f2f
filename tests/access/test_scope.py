"""The scope of a request: resolved once per request and user, from the active membership."""

from django.contrib.auth.models import AnonymousUser

from thuvien.access import NO_SCOPE, SESSION_KEY, Action, scope_for
from thuvien.organisations import services
from thuvien.organisations.models import Role, Unit


def test_scope_resolved_for_anonymous_is_not_reused_after_token_login(world, rf):
    request = rf.get("/api/v1/units/")
    request.user = AnonymousUser()
    assert scope_for(request) is NO_SCOPE
    request.user = world.office_officer  # what DRF's token authentication does afterwards
    scope = scope_for(request)
    assert scope.unit == world.office
    assert scope_for(request) is scope


def test_default_membership_is_the_highest_role(world, rf):
    services.add_membership(world.principal, world.department, Role.DEPARTMENT_OFFICER)
    request = rf.get("/")
    request.user = world.principal
    request.session = {}
    assert scope_for(request).role == Role.DEPARTMENT_OFFICER


def test_session_choice_wins_over_default(world, rf):
    extra = services.add_membership(world.principal, world.department, Role.DEPARTMENT_OFFICER)
    own = world.principal.memberships.exclude(pk=extra.pk).get()
    request = rf.get("/")
    request.user = world.principal
    request.session = {SESSION_KEY: own.pk}
    scope = scope_for(request)
    assert (scope.role, scope.unit) == (Role.PRINCIPAL, world.school)
    assert scope.can(Action.VIEW_HISTORY)
    assert not scope.can(Action.MANAGE_UNITS)


def test_ended_membership_gives_no_scope(world, rf):
    membership = world.librarian.memberships.get()
    services.end_membership(membership, on=membership.valid_from)
    request = rf.get("/")
    request.user = world.librarian
    request.session = {}
    scope = scope_for(request)
    assert scope.membership is None and scope.role is None
    assert not scope.can(Action.VIEW_UNITS)
    assert not Unit.objects.visible_to(scope).exists()
    assert scope.user_id == world.librarian.pk  # rows of their own (notifications) stay theirs


def test_subtree_covers_and_school_scope_does_not(world, rf):
    request = rf.get("/")
    request.session = {}
    request.user = world.office_officer
    office_scope = scope_for(request)
    seen = Unit.objects.visible_to(office_scope)
    assert seen.filter(pk=world.school.pk).exists()
    assert not seen.filter(pk=world.outsider_school.pk).exists()
    request2 = rf.get("/")
    request2.session = {}
    request2.user = world.librarian
    school_scope = scope_for(request2)
    seen = Unit.objects.visible_to(school_scope)
    assert list(seen) == [world.school]
    assert not seen.filter(pk=world.school_a2.pk).exists()


def test_department_admin_keeps_no_record_and_evaluates_nobody(world, rf):
    request = rf.get("/")
    request.session = {}
    request.user = world.dept_admin
    scope = scope_for(request)
    assert scope.can(Action.MANAGE_CAMPAIGNS)
    assert not scope.can(Action.TAKE_TRAINING)
    assert not scope.can(Action.EVALUATE_TRAINING)
