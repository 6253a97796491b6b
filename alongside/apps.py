from django.apps import AppConfig


class AlongsideConfig(AppConfig):
    """The project itself: base layout, dashboards, shared fields and commands."""

    name = "alongside"
    verbose_name = "Alongside"
