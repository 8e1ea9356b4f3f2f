from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from thuvien.notifications.models import Notification


def unread_notifications(request: HttpRequest) -> dict[str, Any]:
    """The number of the person's unread notifications for the navigation: counted (one query)
    only when a template shows it, at most once per response."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"unread_notifications": 0}
    return {
        "unread_notifications": SimpleLazyObject(
            lambda: Notification.objects.for_recipient(user).unread().count()
        )
    }
