"""List what the risk detector flagged in alerts that were closed as false alarms, in the format of
the evaluation set (safeguarding/evaluation/README.md), for the detector's maintainers to review.

Each sign of a closed alert marked a false positive becomes one line of JSON, labelled "ordinary"
with expected level "none", plus what the detector found (``found_level``, ``found_categories``,
``matches``). The flagged text is printed only with ``--with-text``; every export is audited
per organisation (the matched phrases are the person's own words). Nothing printed goes into the
set as it is: a maintainer rewrites each example so nobody can be recognised, then adds it (see
the README).
"""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from accounts.models import Organisation
from audit.services import audit_record
from safeguarding.models import AlertSign, AlertStatus

# Signs that did not come from the detector: questionnaire answers and detection failures.
NOT_FROM_THE_DETECTOR = ("measure",)


class Command(BaseCommand):
    help = (
        "Print one line of JSON per sign of every closed alert marked a false alarm, in the "
        "evaluation-set format (label ordinary, level none) with what the detector found. "
        "Use --with-text to include the flagged text, --organisation SLUG for one organisation. "
        "Every export is audited."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--organisation", metavar="SLUG", help="Only this organisation's alerts."
        )
        parser.add_argument(
            "--with-text",
            action="store_true",
            help="Include the flagged text (an excerpt). Every export is audited.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        signs = (
            AlertSign.objects.filter(
                alert__status=AlertStatus.CLOSED,
                alert__false_positive=True,
                detection_failed=False,
            )
            .exclude(source__in=NOT_FROM_THE_DETECTOR)
            .select_related("alert__organisation")
            .order_by("alert__closed_at", "alert_id", "created_at", "pk")
        )
        slug = options.get("organisation")
        if slug:
            organisation = Organisation.objects.filter(slug=slug).first()
            if organisation is None:
                raise CommandError(f"No organisation with the slug '{slug}'.")
            signs = signs.filter(alert__organisation=organisation)

        with_text = bool(options.get("with_text"))
        # Every export is recorded (the matched phrases are the person's own words), before
        # anything is printed, so an interrupted export is still on record.
        counts = Counter(signs.values_list("alert__organisation_id", flat=True))
        with transaction.atomic():
            for organisation in Organisation.objects.filter(pk__in=counts):
                audit_record(
                    actor=None,
                    action="safeguarding.false_positives_exported",
                    organisation=organisation,
                    metadata={"count": counts[organisation.pk], "with_text": with_text},
                )
        for sign in signs.iterator(chunk_size=500):
            self.stdout.write(json.dumps(self._line(sign, with_text)))

    @staticmethod
    def _line(sign: AlertSign, with_text: bool) -> dict[str, object]:
        alert = sign.alert
        closed = alert.closed_at.date().isoformat() if alert.closed_at else "an unknown date"
        return {
            "text": sign.excerpt if with_text else "",
            "label": "ordinary",
            "level": "none",
            "categories": [],
            "note": (
                f"Closed as a false alarm on {closed} ({sign.source}). Rewrite it so nobody can "
                "be recognised before adding it to the set."
            ),
            "found_level": sign.level,
            "found_categories": list(sign.categories),
            "matches": sign.match_list,
            "organisation": alert.organisation.slug,
            "alert": alert.pk,
        }
