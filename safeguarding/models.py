"""Crisis resources an organisation shows on its "Get help now" page."""

from __future__ import annotations

from django.db import models


class CrisisResource(models.Model):
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="crisis_resources"
    )
    name = models.CharField(max_length=120)
    description = models.CharField(
        max_length=300, blank=True, help_text="Who it is for, in a sentence."
    )
    phone = models.CharField(max_length=40, blank=True)
    text_number = models.CharField(max_length=40, blank=True, help_text="Number to text, if any.")
    text_keyword = models.CharField(max_length=40, blank=True, help_text="Word to text, if any.")
    website = models.URLField(blank=True)
    hours = models.CharField(max_length=100, blank=True, help_text="For example: 24 hours a day.")
    is_emergency = models.BooleanField(
        default=False, help_text="Shown first: for when someone is in immediate danger."
    )
    position = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["-is_emergency", "position", "name"]

    def __str__(self) -> str:
        return self.name
