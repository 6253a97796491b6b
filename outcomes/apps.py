from django.apps import AppConfig


class OutcomesConfig(AppConfig):
    name = "outcomes"
    verbose_name = "Outcome measures"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from outcomes import receivers
        from outcomes.services.instruments import sync_builtin_instruments

        receivers.connect()
        post_migrate.connect(sync_builtin_instruments, sender=self)
