"""What the reports API accepts and sends: the slice asked for, and the same sections, headline
figures and tables as the pages. A withheld figure has no number, only its words."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from outcomes.serializers import LARGEST_ID
from reports.compliance import STANDARD_KEYS

MAX_GAPS = 100


class ReportQuerySerializer(serializers.Serializer[Any]):
    """The slice, as on the pages: both days included; by default the last 365 days."""

    start = serializers.DateField(required=False, help_text="The first day (YYYY-MM-DD).")
    end = serializers.DateField(
        required=False, help_text="The last day (YYYY-MM-DD); today by default."
    )
    team = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=LARGEST_ID,
        help_text="A supervisor's id: only the mentors they supervise, and their mentees.",
    )
    area = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=LARGEST_ID,
        help_text="A place's id: only people living there.",
    )


class GapQuerySerializer(ReportQuerySerializer):
    limit = serializers.IntegerField(required=False, min_value=1, max_value=MAX_GAPS, default=50)
    offset = serializers.IntegerField(required=False, min_value=0, max_value=LARGEST_ID, default=0)


class FilterSerializer(serializers.Serializer[Any]):
    start = serializers.DateField()
    end = serializers.DateField()
    team = serializers.IntegerField(allow_null=True, help_text="The supervisor's id, if chosen.")
    area = serializers.IntegerField(allow_null=True, help_text="The place's id, if chosen.")
    description = serializers.CharField(help_text="The slice in words, as the pages say it.")


class FigureSerializer(serializers.Serializer[Any]):
    number = serializers.FloatField(
        allow_null=True, help_text="For sums and charts; null when withheld or not available."
    )
    text = serializers.CharField(help_text='As a person reads it, e.g. "45% (9 of 20)".')
    withheld = serializers.BooleanField(help_text="True for a group of 1 to 4 people.")
    unit = serializers.CharField(allow_blank=True, help_text='e.g. "%", "days"; may be empty.')


# DRF's metaclass takes declared fields off the class, so a field may be called ``label``.
class HeadlineSerializer(FigureSerializer):
    key = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]


class FunderHeadlineSerializer(HeadlineSerializer):
    section = serializers.CharField(help_text="The key of the section it comes from.")


class TableSerializer(serializers.Serializer[Any]):
    key = serializers.CharField()
    caption = serializers.CharField()
    columns = serializers.ListField(child=serializers.CharField())
    rows = serializers.ListField(
        child=serializers.ListField(child=FigureSerializer()),
        help_text="One list of cells a row, in the order of ``columns``; the first cell names "
        "the row (its ``number`` is null).",
    )
    note = serializers.CharField(allow_blank=True)


class SectionSerializer(serializers.Serializer[Any]):
    key = serializers.CharField()
    title = serializers.CharField()
    note = serializers.CharField(allow_blank=True, help_text="What the figures count.")
    filter_note = serializers.CharField(
        allow_blank=True, help_text="What a team or area does not split, if anything."
    )
    headlines = HeadlineSerializer(many=True)
    tables = TableSerializer(many=True)


class DashboardSerializer(serializers.Serializer[Any]):
    filter = FilterSerializer()
    sections = SectionSerializer(many=True)


class FunderSerializer(serializers.Serializer[Any]):
    filter = FilterSerializer()
    organisation = serializers.CharField()
    headlines = FunderHeadlineSerializer(many=True)
    tables = TableSerializer(many=True, help_text="The key charts' tables, then the outcomes.")


class GapSerializer(serializers.Serializer[Any]):
    label = serializers.CharField()  # type: ignore[assignment]
    url = serializers.CharField(help_text="The page where it can be put right.")
    detail = serializers.CharField(help_text="What is missing.")


class StandardSummarySerializer(serializers.Serializer[Any]):
    key = serializers.ChoiceField(choices=STANDARD_KEYS)
    title = serializers.CharField()
    description = serializers.CharField(help_text="What meeting it means.")
    applies_to = serializers.ChoiceField(choices=("mentors", "relationships"))
    met = serializers.IntegerField()
    of = serializers.IntegerField()
    percent = serializers.IntegerField(allow_null=True, help_text="Null when it applies to none.")
    gaps_total = serializers.IntegerField(help_text="How many did not meet it.")


class StandardSerializer(StandardSummarySerializer):
    gaps = GapSerializer(many=True, help_text="The first of them; the rest are a page away.")


class ComplianceSerializer(serializers.Serializer[Any]):
    filter = FilterSerializer()
    standards = StandardSerializer(many=True)


class StandardGapsSerializer(serializers.Serializer[Any]):
    filter = FilterSerializer()
    standard = StandardSummarySerializer()
    count = serializers.IntegerField(help_text="Every gap, on all pages.")
    next = serializers.CharField(allow_null=True, help_text="The next page's address, if any.")
    previous = serializers.CharField(allow_null=True, help_text="The page before, if any.")
    results = GapSerializer(many=True)
