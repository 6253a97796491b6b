"""Forms on the coordinator's triage pages: filtering the queue, and each action on a referral."""

from __future__ import annotations

from django import forms

from alongside.forms import KeyedForm
from alongside.widgets import QuickSelect
from referrals.models import QUEUE_STATUSES, ContactMethod, ContactOutcome, Source


class QueueFilterForm(forms.Form):
    """Narrow the queue by where referrals are and where they came from. Sent with GET, so a
    filtered queue can be bookmarked and works without JavaScript."""

    status = forms.ChoiceField(
        label="Status",
        required=False,
        choices=[("", "Any status"), *((status.value, status.label) for status in QUEUE_STATUSES)],
        widget=QuickSelect,
    )
    source = forms.ChoiceField(
        label="Where it came from",
        required=False,
        choices=[("", "Anywhere"), *Source.choices],
        widget=QuickSelect,
    )


class ContactAttemptForm(KeyedForm):
    """Carries a one-time key, so a resent form logs the attempt once."""

    method = forms.ChoiceField(
        label="How did you try?", choices=ContactMethod.choices, widget=forms.RadioSelect
    )
    outcome = forms.ChoiceField(
        label="What happened?", choices=ContactOutcome.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label="Note (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="For example, when they asked you to call back. Only staff see this.",
    )


class SignpostForm(forms.Form):
    service_name = forms.CharField(
        label="Service you pointed them to",
        max_length=200,
        help_text="For example: the local talking therapies service, or a carers' group.",
    )
    note = forms.CharField(
        label="Note (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Why this service suits them better. Only staff see this.",
    )


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label="Reason, for the record",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Only staff see this. We do not email the person; tell them yourself.",
    )
