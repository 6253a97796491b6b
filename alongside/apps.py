from django.apps import AppConfig


class AlongsideConfig(AppConfig):
    """The project itself: base layout, dashboards, shared fields and commands."""

    name = "alongside"
    verbose_name = "Alongside"

    def ready(self) -> None:
        from alongside.encryption import check_keys

        # A malformed key must stop the process at start-up, not fail at the first saved note.
        check_keys()
