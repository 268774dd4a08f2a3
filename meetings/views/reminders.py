"""How each person gets reminders: each as it happens, or one daily digest."""

from django.urls import reverse

from core.actions import form_page, posted, submit

from .. import digest
from ..clock_forms import ReminderEmailsForm
from .common import crumbs

CHOSEN = {
    "digest": "You will get one email a day with everything due, overdue or waiting on you, at 7am on working days",
    "immediate": "You will get an email for each reminder as it happens",
}


def reminder_emails(request):
    form = ReminderEmailsForm(posted(request), initial={"reminder_emails": request.user.reminder_emails})
    outcome = submit(
        request,
        form,
        lambda data: digest.set_reminder_emails(actor=request.user, choice=data["reminder_emails"]),
        success=lambda user: CHOSEN[user.reminder_emails],
        then="meetings:reminder_emails",
    )
    return outcome.response or form_page(
        request,
        outcome.form,
        title="Reminder emails",
        caption="Your account",
        lead="Reminders of what is due or overdue — meeting notes, the authority's responses, extensions to "
        "agree, offers to answer or decide — can come one by one as they happen, or together in one email each "
        "working day at 7am. Emails about things that happen (a draft circulated, a final note sent) always "
        "come at once.",
        crumbs=crumbs(("Reminder emails", None)),
        cancel_url=reverse("meetings:list"),
    )
