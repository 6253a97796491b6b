from django.apps import AppConfig


class OutcomesConfig(AppConfig):
    name = "outcomes"
    verbose_name = "Outcome measures"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from mentoring.services.ending import CHECKLIST_CONTRIBUTORS
        from outcomes import receivers
        from outcomes.ending import final_measures_item
        from outcomes.services.instruments import sync_builtin_instruments

        receivers.connect()
        if final_measures_item not in CHECKLIST_CONTRIBUTORS:
            CHECKLIST_CONTRIBUTORS.append(final_measures_item)
        post_migrate.connect(sync_builtin_instruments, sender=self)
