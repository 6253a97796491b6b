from django.apps import AppConfig


class ToolkitConfig(AppConfig):
    name = "toolkit"
    verbose_name = "Coping-skills toolkit and community resources"

    def ready(self) -> None:
        from toolkit.plan import register

        register()
